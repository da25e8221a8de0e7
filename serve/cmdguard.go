package serve

import (
	"reflect"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/ui"
)

// cmdGuard runs a wizard's commands (its side effects, each on a goroutine
// of its own) so that a panic in one ends that session as an internal
// error, as ui.Guard does for a panic in Update or View. Bubble Tea's own
// recovery would print the panic's value and the stack's argument words to
// the server's stderr, its log, where a secret could land; and the session
// would end as if the person had left.
type cmdGuard struct {
	inner tea.Model

	mu     sync.Mutex
	report *ui.Panic
}

// cmdPanicked tells the program a command panicked: it quits.
type cmdPanicked struct{}

func (g *cmdGuard) Init() tea.Cmd { return g.wrap(g.inner.Init()) }

func (g *cmdGuard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(cmdPanicked); ok {
		return g, tea.Quit
	}
	var cmd tea.Cmd
	g.inner, cmd = g.inner.Update(msg)
	return g, g.wrap(cmd)
}

func (g *cmdGuard) View() tea.View { return g.inner.View() }

// Recovered is the first panic recovered in a command, or nil.
func (g *cmdGuard) Recovered() *ui.Panic {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.report
}

// wrap returns cmd recovering its own panic, and the commands of a batch or
// a sequence it returns wrapped the same way (Bubble Tea runs those itself).
func (g *cmdGuard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if v := recover(); v != nil {
				g.mu.Lock()
				if g.report == nil {
					g.report = ui.NewPanic(v, debug.Stack())
				}
				g.mu.Unlock()
				msg = cmdPanicked{}
			}
		}()
		return g.wrapMsg(cmd())
	}
}

// cmdType is tea.Cmd's type: a batch (tea.BatchMsg) and a sequence (of a
// type Bubble Tea does not export) are slices of it.
var cmdType = reflect.TypeFor[tea.Cmd]()

func (g *cmdGuard) wrapMsg(msg tea.Msg) tea.Msg {
	if msg == nil {
		return nil
	}
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		c, _ := v.Index(i).Interface().(tea.Cmd)
		out.Index(i).Set(reflect.ValueOf(g.wrap(c)))
	}
	return out.Interface()
}
