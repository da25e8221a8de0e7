// Package progressui draws the progress of `cognito-totp admin status` on a
// terminal: a line of what is being done and a bar, on stderr, so stdout
// stays clean for the report. ctrl+c stops the work cleanly.
package progressui

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Progress is how far a status run has got (Progress is this type).
type Progress struct {
	Listing bool // still listing; Done counts users listed
	Done    int  // users listed, or users read
	Total   int  // users to read (0 while listing)
}

// Work is the job shown: it reports its progress and stops when ctx is done.
type Work func(ctx context.Context, report func(Progress)) error

type progressMsg Progress

type doneMsg struct{ err error }

// Model is the progress screen.
type Model struct {
	tr       *i18n.Localizer
	bar      progress.Model
	p        Progress
	cancel   context.CancelFunc
	stopping bool
	done     bool
}

// NewModel returns the screen, in tr's language; cancel stops the work
// (ctrl+c). In a wide-script language the bar is drawn with ASCII: its
// usual block characters are East Asian Ambiguous, two cells wide on
// terminals set up for Japanese.
func NewModel(cancel context.CancelFunc, tr *i18n.Localizer) Model {
	opts := []progress.Option{progress.WithDefaultBlend(), progress.WithWidth(40)}
	if tr.WideScript() {
		opts = append(opts, progress.WithFillCharacters('#', '.'))
	}
	return Model{tr: tr, bar: progress.New(opts...), cancel: cancel}
}

func (m Model) Init() tea.Cmd { return nil }

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" && !m.stopping {
			m.stopping = true
			m.cancel()
		}
	case tea.WindowSizeMsg:
		m.bar.SetWidth(max(10, min(60, msg.Width-4)))
	case progressMsg:
		m.p = Progress(msg)
	case doneMsg:
		m.done = true
		return m, tea.Quit
	}
	return m, nil
}

func (m Model) View() tea.View {
	var line string
	switch {
	case m.p.Listing || m.p.Total == 0:
		line = m.tr.N(i18n.AdminBarListing, m.p.Done)
	default:
		line = m.tr.T(i18n.AdminBarReading, "Done", m.p.Done, "Total", m.p.Total)
	}
	s := line + "\n"
	if !m.p.Listing && m.p.Total > 0 {
		s += m.bar.ViewAs(float64(m.p.Done)/float64(m.p.Total)) + "\n"
	}
	switch {
	case m.done:
	case m.stopping:
		s += m.tr.T(i18n.AdminBarStopping) + "\n"
	default:
		s += m.tr.T(i18n.AdminBarHint) + "\n"
	}
	return tea.NewView(s)
}

// Run runs work while drawing its progress on out (a terminal), in tr's
// language, reading keys from in. It returns work's error; ctrl+c cancels
// work's context. opts are for tests (a window size when out is not a
// terminal).
func Run(ctx context.Context, in io.Reader, out io.Writer, tr *i18n.Localizer, work Work, opts ...tea.ProgramOption) error {
	// ctrl+c cancels only the work, so the program lives on to draw its
	// last frame; a signal (ctx) ends both.
	workCtx, cancelWork := context.WithCancel(ctx)
	defer cancelWork()
	opts = append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}, opts...)
	p := tea.NewProgram(NewModel(cancelWork, tr), opts...)
	result := make(chan error, 1)
	go func() {
		var mu sync.Mutex
		var last time.Time
		err := work(workCtx, func(pr Progress) {
			// Reports come from several readers at once, and thousands of
			// reads need not be thousands of frames.
			mu.Lock()
			defer mu.Unlock()
			if now := time.Now(); now.Sub(last) >= 50*time.Millisecond || (pr.Total > 0 && pr.Done == pr.Total) {
				last = now
				p.Send(progressMsg(pr))
			}
		})
		result <- err
		p.Send(doneMsg{err})
	}()
	_, runErr := p.Run()
	cancelWork() // the program ended first (a signal, or it failed): stop the work too
	err := <-result
	if err == nil && runErr != nil && ctx.Err() == nil {
		return fmt.Errorf("the progress display failed: %w", runErr)
	}
	return err
}
