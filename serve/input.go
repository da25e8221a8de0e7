package serve

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// inputGate passes a session's keys to its program, and sees that the
// program's input reader has nothing left to deliver before the program
// stops reading.
//
// Why: Bubble Tea v2.1.1 parses its input with ultraviolet's TerminalReader
// (v0.0.0-20261008173134-6b8d4baf91b4, the newest on the module proxy), whose
// sendEvents sends each parsed event on the program's unbuffered message
// channel without watching the context (terminal_reader.go:234,
// `eventc <- event`). Once the program stops reading (q, ctrl+c, the client
// gone, a shutdown) while keys are still pending, that send blocks for ever
// and holds the whole program alive, about 3 MB a dropped session. Upstream
// main has the same code.
//
// So the program reads the session's keys through a pipe, and when it is
// about to stop (a QuitMsg or an InterruptMsg reaches the filter), the stop
// is held: the pipe takes no more keys, gets a marker (an APC sequence no
// terminal sends) and is closed. The marker comes out of the reader after
// everything before it; when the filter sees it, nothing is pending, and the
// held stop goes on. The program meanwhile sees no other message.
type inputGate struct {
	pr *io.PipeReader
	pw *io.PipeWriter

	mu       sync.Mutex  // held while writing to pw
	closed   bool        // pw is closed: write nothing more
	stopping atomic.Bool // a stop is held: pass no more keys

	// The program's goroutine only (the filter):
	held     tea.Msg // the QuitMsg or InterruptMsg waiting for the marker
	timer    *time.Timer
	timedOut bool // the marker never came: the stop went on after drainPatience
}

// drainMarker is written after the last key; it reaches the filter as a
// uv.UnknownApcEvent.
const drainMarker = "\x1b_cognito-totp:input-drained\x1b\\"

// drainPatience is how long a held stop waits for the marker before going
// on anyway (a reader that cannot make sense of the stream).
const drainPatience = 2 * time.Second

type drainTimedOut struct{}

// newInputGate starts passing in to the pipe the program reads (reader).
func newInputGate(in io.Reader) *inputGate {
	g := &inputGate{}
	g.pr, g.pw = io.Pipe()
	go g.copy(in)
	return g
}

func (g *inputGate) reader() io.Reader { return g.pr }

func (g *inputGate) copy(in io.Reader) {
	buf := make([]byte, 512)
	for {
		n, err := in.Read(buf)
		if n > 0 && !g.stopping.Load() {
			g.mu.Lock()
			if g.closed {
				g.mu.Unlock()
				return
			}
			_, werr := g.pw.Write(buf[:n])
			g.mu.Unlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			// The session's input ended: the program keeps its pipe open,
			// with nothing more in it, until it stops.
			return
		}
	}
}

// filter is the program's message filter; send is Program.Send.
func (g *inputGate) filter(msg tea.Msg, send func(tea.Msg)) tea.Msg {
	if g.held != nil {
		switch m := msg.(type) {
		case uv.UnknownApcEvent:
			if strings.Contains(string(m), drainMarker[2:len(drainMarker)-2]) {
				g.timer.Stop()
				return g.held
			}
		case drainTimedOut:
			g.timedOut = true
			_ = g.pw.CloseWithError(io.ErrClosedPipe) // whatever is blocked on the pipe returns
			return g.held
		}
		return nil // the program has asked to stop: it sees nothing more
	}
	switch msg.(type) {
	case tea.QuitMsg, tea.InterruptMsg:
		g.held = msg
		g.stopping.Store(true)
		g.timer = time.AfterFunc(drainPatience, func() { send(drainTimedOut{}) })
		go g.drain() // not here: writing to the pipe waits on the reader, which waits on this goroutine
		return nil
	}
	return msg
}

// drain lets a partly received escape sequence time out in the reader, then
// writes the marker and closes the pipe.
func (g *inputGate) drain() {
	time.Sleep(2 * uv.DefaultEscTimeout)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	g.closed = true
	_, _ = io.WriteString(g.pw, drainMarker)
	_ = g.pw.Close()
}

// close ends the pipe once the program has returned (it may never have
// asked to stop: a program that failed to start).
func (g *inputGate) close() {
	g.stopping.Store(true)
	_ = g.pw.CloseWithError(io.ErrClosedPipe)
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}
