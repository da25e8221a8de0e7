package screentest

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fatalRecorder stands in for a test that WaitFor may fail: it records the
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
func newQuick(t *testing.T, out *bytes.Buffer) *Reader {
	s := New(t, out, 40, 10)
	s.patience = 200 * time.Millisecond
	return s
}

func TestWaitForIgnoresAnOverwrittenFrame(t *testing.T) {
	var out bytes.Buffer
	s := newQuick(t, &out)
	out.WriteString("Password:\r\nWrong password\r\n")
	s.WaitFor(t, "Wrong password")

	// The next frame goes home, clears the screen and draws without it.
	out.WriteString("\x1b[H\x1b[2JPassword:\r\n")
	rec := waitIn(t, func(tb testing.TB) { s.WaitFor(tb, "Wrong password") })
	if !rec.failed {
		t.Fatalf("WaitFor found text that the last frame cleared; the screen is:\n%s", s.Text())
	}
	if !strings.Contains(rec.msg, "Password:") {
		t.Errorf("the failure does not show the screen at the deadline: %s", rec.msg)
	}
}

func TestWaitForIgnoresALineRedrawnInPlace(t *testing.T) {
	var out bytes.Buffer
	s := newQuick(t, &out)
	out.WriteString("Step 1 of 3\r\nChecking…")
	s.WaitFor(t, "Checking")

	// Back to the start of the line, erase it and write over it: the way
	// an inline renderer replaces a line without clearing the screen.
	out.WriteString("\r\x1b[2KDone")
	s.WaitFor(t, "Done")
	if rec := waitIn(t, func(tb testing.TB) { s.WaitFor(tb, "Checking") }); !rec.failed {
		t.Fatalf("WaitFor found a line that was erased; the screen is:\n%s", s.Text())
	}
	if got, want := s.Text(), "Step 1 of 3\nDone"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

func TestWaitForMatchReadsTheCurrentFrame(t *testing.T) {
	var out bytes.Buffer
	s := newQuick(t, &out)
	code := regexp.MustCompile(`code (\d{6})`)
	out.WriteString("code 111111")
	out.WriteString("\x1b[H\x1b[2Jcode 222222")
	if got := s.WaitForGroup(t, code); got != "222222" {
		t.Errorf("WaitForGroup = %q, want the code on the current frame, 222222", got)
	}
	if got := s.WaitForMatch(t, code); got != "code 222222" {
		t.Errorf("WaitForMatch = %q, want %q", got, "code 222222")
	}
}

func TestTextWrapsAtTheWidth(t *testing.T) {
	var out bytes.Buffer
	s := New(t, &out, 40, 10)
	out.WriteString(strings.Repeat("a", 40) + "b")
	if got, want := s.Text(), strings.Repeat("a", 40)+"\nb"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

// A program that asks the terminal where its cursor is gets an answer, and
// the screen keeps up after it.
func TestQueriesDoNotStallTheScreen(t *testing.T) {
	var out bytes.Buffer
	s := newQuick(t, &out)
	for range 100 {
		out.WriteString("\x1b[6n")
	}
	out.WriteString("ready")
	s.WaitFor(t, "ready")
}

// A line feed starts the next line at its first column, as a terminal's
// line discipline makes it by default.
func TestLineFeedReturnsTheCarriage(t *testing.T) {
	var out bytes.Buffer
	s := New(t, &out, 40, 10)
	out.WriteString("Sign in\nUsername:")
	if got, want := s.Text(), "Sign in\nUsername:"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}
