package ui

import (
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Guarded wraps a model so that a panic in its Update or View ends the
// program cleanly with an empty screen. Bubble Tea's own recovery prints the
// panic's value and a stack trace, and either could hold a secret; run the
// program with tea.WithoutCatchPanics and read Panicked (and Recovered, for
// the debug log) after it.
type Guarded struct {
	inner    tea.Model
	panicked bool
	report   *Panic
}

// Panic is what a recovered panic leaves for a support log, and only what
// cannot hold a secret:
//   - the value's type, always;
//   - the value's text only when the Go runtime raised it (an index out of
//     range, a nil dereference), whose messages hold numbers and type names.
//     A value our code or a library built could quote anything the model
//     holds, a password or a TOTP secret among it, so it is not kept;
//   - the stack's function names and file:line, with the argument values
//     Go prints in a traceback removed (they are raw words of the frames).
type Panic struct {
	Type    string // the panic value's type, as %T
	Runtime string // the runtime's message, or "" for any other value
	Stack   string
}

// Guard wraps m.
func Guard(m tea.Model) *Guarded { return &Guarded{inner: m} }

// Panicked reports whether the model panicked.
func (g *Guarded) Panicked() bool { return g.panicked }

// Recovered is the first panic recovered, or nil.
func (g *Guarded) Recovered() *Panic { return g.report }

func (g *Guarded) Init() tea.Cmd { return g.inner.Init() }

func (g *Guarded) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if g.panicked {
		return g, tea.Quit
	}
	defer func() {
		if v := recover(); v != nil {
			g.recovered(v)
			model, cmd = g, tea.Quit
		}
	}()
	g.inner, cmd = g.inner.Update(msg)
	return g, cmd
}

func (g *Guarded) View() (v tea.View) {
	if g.panicked {
		return tea.NewView("")
	}
	defer func() {
		if p := recover(); p != nil {
			g.recovered(p)
			v = tea.NewView("")
		}
	}()
	return g.inner.View()
}

// recovered records a panic; it runs in the deferred function, so the stack
// still holds the frames that panicked.
func (g *Guarded) recovered(v any) {
	g.panicked = true
	if g.report == nil {
		g.report = NewPanic(v, debug.Stack())
	}
}

// NewPanic keeps of a panic value v and its stack (from debug.Stack) only
// what Panic says is safe to log.
func NewPanic(v any, stack []byte) *Panic {
	p := &Panic{Type: fmt.Sprintf("%T", v), Stack: StackWithoutArguments(string(stack))}
	if re, ok := v.(runtime.Error); ok && reflect.TypeOf(v).PkgPath() == "runtime" {
		p.Runtime = re.Error()
	}
	return p
}

// StackWithoutArguments removes the argument values from a goroutine's
// traceback: "ui.(*Model).Update(0xc000123, {0x1, 0x2})" becomes
// "ui.(*Model).Update(...)". The file:line lines are kept as they are.
func StackWithoutArguments(stack string) string {
	lines := strings.Split(stack, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\t") || !strings.HasSuffix(l, ")") {
			continue
		}
		if open := strings.LastIndex(l, "("); open > 0 {
			lines[i] = l[:open] + "(...)"
		}
	}
	return strings.Join(lines, "\n")
}
