package screentest

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
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

// fatalRecorder stands in for a test that a wait may fail: it records the
// failure and ends the goroutine, as testing.T's Fatalf does.
type fatalRecorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// waitIn runs wait with a recorder in a goroutine of its own, since a
// failure ends the goroutine it runs in.
func waitIn(t *testing.T, wait func(testing.TB)) *fatalRecorder {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait(rec)
	}()
	<-done
	return rec
}

// newQuick is a Reader on out whose waits give up after a fifth of a second.
func newQuick(out *feed) *Reader {
	s := New(out, 40, 10)
	s.patience = 200 * time.Millisecond
	return s
}

// WaitFor itself, not only Text, fails on text the program has since
// overwritten, whether the next frame cleared the screen or an inline
// renderer redrew the line in place (carriage return, erase line, new
// text); its failure shows the screen as it is at the deadline.
func TestWaitForIgnoresOverwrittenText(t *testing.T) {
	for _, c := range []struct {
		name, first, gone, next, now string
	}{
		{"a cleared frame", "Password:\r\nWrong password\r\n", "Wrong password", "\x1b[H\x1b[2JPassword:\r\n", "Password:"},
		{"a line redrawn in place", "Step 1 of 3\r\nChecking…", "Checking", "\r\x1b[2KDone", "Done"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out feed
			s := newQuick(&out)
			_, _ = out.Write([]byte(c.first))
			s.WaitFor(t, c.gone)
			_, _ = out.Write([]byte(c.next))
			s.WaitFor(t, c.now)
			rec := waitIn(t, func(tb testing.TB) { s.WaitFor(tb, c.gone) })
			if !rec.failed {
				t.Fatalf("WaitFor found %q, which the program overwrote; the screen is:\n%s", c.gone, s.Text())
			}
			if !strings.Contains(rec.msg, c.now) {
				t.Errorf("the failure does not show the screen at the deadline: %s", rec.msg)
			}
		})
	}
}

// The regular-expression waits read the current frame too.
func TestWaitForMatchReadsTheCurrentFrame(t *testing.T) {
	var out feed
	s := newQuick(&out)
	code := regexp.MustCompile(`code (\d{6})`)
	_, _ = out.Write([]byte("code 111111"))
	_, _ = out.Write([]byte("\x1b[H\x1b[2Jcode 222222"))
	if got := s.WaitForGroup(t, code); got != "222222" {
		t.Errorf("WaitForGroup = %q, want the code on the current frame, 222222", got)
	}
	if got := s.WaitForMatch(t, code); got != "code 222222" {
		t.Errorf("WaitForMatch = %q, want %q", got, "code 222222")
	}
}

// A line feed starts the next line at its first column, as a terminal's
// line discipline makes it by default, and a line longer than the width
// wraps onto the next row.
func TestLineFeedsAndWraps(t *testing.T) {
	var out feed
	s := New(&out, 10, 3)
	_, _ = out.Write([]byte("Sign in\n" + strings.Repeat("a", 10) + "b"))
	if got, want := s.Text(), "Sign in\n"+strings.Repeat("a", 10)+"\nb"; got != want {
		t.Errorf("screen %q, want %q", got, want)
	}
}

// A program that asks the terminal where its cursor is does not stall the
// screen: the emulator's answers, which nobody reads, are drained.
func TestQueriesDoNotStallTheScreen(t *testing.T) {
	var out feed
	s := newQuick(&out)
	for range 100 {
		_, _ = out.Write([]byte("\x1b[6n"))
	}
	_, _ = out.Write([]byte("ready"))
	s.WaitFor(t, "ready")
}
