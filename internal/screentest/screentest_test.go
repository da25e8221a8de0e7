package screentest

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// feed is what a program has written and the reader not yet taken, as
// teatest's output buffer is: reading it when empty is io.EOF, not a wait.
type feed struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (f *feed) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Write(p)
}

func (f *feed) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Read(p)
}

// A frame that was drawn and then overwritten is no longer on the screen,
// so a wait cannot be satisfied by what a person can no longer see.
func TestAnOverwrittenFrameIsGone(t *testing.T) {
	var out feed
	s := New(&out, 40, 5)
	_, _ = out.Write([]byte("\x1b[2J\x1b[HSecret: ABCD EFGH\r\nType the code"))
	s.WaitFor(t, "Secret: ABCD EFGH")
	// The next frame: home, draw over the first line, erase the rest.
	_, _ = out.Write([]byte("\x1b[H\x1b[2KDone\x1b[J"))
	s.WaitFor(t, "Done")
	if text := s.Text(); strings.Contains(text, "ABCD") || strings.Contains(text, "Type the code") {
		t.Errorf("the overwritten frame is still read:\n%s", text)
	}
}

// Text is the screen row by row, so words a program drew on separate lines
// by moving the cursor are read on separate lines, in their places.
func TestTextIsTheScreenRowByRow(t *testing.T) {
	var out feed
	s := New(&out, 20, 3)
	_, _ = out.Write([]byte("\x1b[3;5Hthird\x1b[1;1Hfirst"))
	if got, want := s.Text(), "first\n\n    third"; got != want {
		t.Errorf("screen %q, want %q", got, want)
	}
}
