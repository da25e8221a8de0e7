package serve

import (
	"context"
	"io"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// inputFeed reads a session's keys for its program, in place of the
// program's own input reader.
//
// Why: Bubble Tea v2.1.1 parses its input with ultraviolet's TerminalReader
// (v0.0.0-20261008173134-6b8d4baf91b4, the newest on the module proxy), whose
// sendEvents sends each parsed event on the program's unbuffered message
// channel without watching the context (terminal_reader.go:234,
// `eventc <- event`). Once the program stops reading (q, ctrl+c, the client
// gone, a shutdown) while keys are still pending, that send blocks for ever
// and holds the whole program alive, about 3 MB a dropped session. Upstream
// has no fix yet (charmbracelet/ultraviolet main as of this change).
//
// So the program is given an input that never yields a byte (its reader has
// nothing to parse and so nothing to block on), and the session's real input
// is parsed here by a TerminalReader of our own, whose events are handed to
// the program with Program.Send: Send gives up once the program has ended,
// and this feed keeps draining its reader until the reader stops. The
// program still believes it has input, so its terminal queries (background
// colour and the like) go out, and their answers come back through here.
type inputFeed struct {
	reader  *uv.TerminalReader
	hold    *io.PipeReader // the program's input: nothing, until closed
	release *io.PipeWriter
	ctx     context.Context
	cancel  context.CancelFunc
}

func newInputFeed(in io.Reader, term string) *inputFeed {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	return &inputFeed{reader: uv.NewTerminalReader(in, term), hold: pr, release: pw, ctx: ctx, cancel: cancel}
}

// programInput is what to give the program as its input (tea.WithInput).
func (f *inputFeed) programInput() io.Reader { return f.hold }

// start parses the session's input and sends each event to p, until stop is
// called or the input ends. Call it once the program is about to run: Send
// blocks until the program reads, and returns at once after it has ended.
func (f *inputFeed) start(p *tea.Program) {
	events := make(chan uv.Event)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.reader.StreamEvents(f.ctx, events) // io.EOF, the client gone, is not an error
	}()
	go func() {
		for {
			select {
			case ev := <-events:
				p.Send(ev)
			case <-done:
				return // StreamEvents has returned: nothing more can be sent
			}
		}
	}()
}

// stop ends the feed once the program has ended: the program's own reader
// gets EOF, and ours stops at its next read (the session's input ends when
// the session closes). Safe to call more than once.
func (f *inputFeed) stop() {
	f.cancel()
	_ = f.release.Close()
}
