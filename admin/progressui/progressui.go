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
	bar      progress.Model
	p        Progress
	cancel   context.CancelFunc
	stopping bool
	done     bool
}

// NewModel returns the screen; cancel stops the work (ctrl+c).
func NewModel(cancel context.CancelFunc) Model {
	return Model{bar: progress.New(progress.WithDefaultBlend(), progress.WithWidth(40)), cancel: cancel}
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
		line = fmt.Sprintf("Listing users: %d so far", m.p.Done)
	default:
		line = fmt.Sprintf("Reading users' MFA settings: %d of %d", m.p.Done, m.p.Total)
	}
	s := line + "\n"
	if !m.p.Listing && m.p.Total > 0 {
		s += m.bar.ViewAs(float64(m.p.Done)/float64(m.p.Total)) + "\n"
	}
	switch {
	case m.done:
	case m.stopping:
		s += "Stopping; the partial summary follows.\n"
	default:
		s += "ctrl+c stops and prints what was read so far.\n"
	}
	return tea.NewView(s)
}

// Run runs work while drawing its progress on out (a terminal), reading keys
// from in. It returns work's error; ctrl+c cancels work's context. opts are
// for tests (a window size when out is not a terminal).
func Run(ctx context.Context, in io.Reader, out io.Writer, work Work, opts ...tea.ProgramOption) error {
	// ctrl+c cancels only the work, so the program lives on to draw its
	// last frame; a signal (ctx) ends both.
	workCtx, cancelWork := context.WithCancel(ctx)
	defer cancelWork()
	opts = append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}, opts...)
	p := tea.NewProgram(NewModel(cancelWork), opts...)
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
