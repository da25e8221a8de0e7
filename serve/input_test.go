package serve

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// quitOnQ counts the keys it gets and quits on q.
type quitOnQ struct{ keys *int }

func (m quitOnQ) Init() tea.Cmd { return nil }
func (m quitOnQ) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		*m.keys++
		if k.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m quitOnQ) View() tea.View { return tea.NewView("") }

// TestInputGateDrainsBeforeTheProgramStops: keys still arriving when the
// program quits, a half escape sequence last among them, are all taken out
// of the reader before the program stops reading: the marker is seen (no
// wait for drainPatience), and the reader's goroutines end.
//
// Not parallel: it counts the process's goroutines.
func TestInputGateDrainsBeforeTheProgramStops(t *testing.T) {
	for _, tail := range []string{"", "\x1b", "\x1b["} {
		pr, pw := io.Pipe()
		gate := newInputGate(pr)
		keys := 0
		var p *tea.Program
		p = tea.NewProgram(quitOnQ{&keys}, tea.WithInput(gate.reader()), tea.WithOutput(io.Discard),
			tea.WithoutSignalHandler(), tea.WithWindowSize(80, 24),
			tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg { return gate.filter(msg, p.Send) }))
		go func() {
			_, _ = pw.Write([]byte("abcq"))
			_, _ = pw.Write(append(bytes.Repeat([]byte("x"), 4096), tail...))
		}()
		start := time.Now()
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		select {
		case <-done:
		case <-time.After(patience):
			t.Fatalf("tail %q: the program did not stop", tail)
		}
		if gate.timedOut || time.Since(start) >= drainPatience {
			t.Errorf("tail %q: the marker was not seen; the stop waited %s", tail, time.Since(start))
		}
		if keys < 4 {
			t.Errorf("tail %q: the model got %d keys, want a, b, c and q at least", tail, keys)
		}
		gate.close()
		pw.Close()
		eventually.Require(t, patience, func() bool { return readLoops() == 0 }, func() string {
			return fmt.Sprintf("tail %q: the program's input reader is still running:\n%s", tail, goroutineSummary())
		})
	}
}

// readLoops counts the goroutines of Bubble Tea input readers in the process.
func readLoops() int {
	buf := make([]byte, 8<<20)
	return strings.Count(string(buf[:runtime.Stack(buf, true)]), "(*Program).readLoop")
}
