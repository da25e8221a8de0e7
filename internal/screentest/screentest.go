// Package screentest reads a terminal program's output in tests: it feeds
// what the program writes to a terminal emulator of the program's size, and
// waits for text to appear on the emulator's current screen. A frame the
// program has since overwritten or cleared no longer counts. Only _test.go
// files import it.
package screentest

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// patience is how long the waits look before they fail the test.
const patience = 10 * time.Second

// Reader keeps the screen a terminal of the program's size would show, and
// waits for text to appear on it.
type Reader struct {
	r        io.Reader
	term     *vt.Emulator
	patience time.Duration
}

// New reads the program's output from r (teatest's TestModel.Output, say)
// into a terminal width columns by height rows; give it the size the
// program was started with (teatest.WithInitialTermSize), so that the
// program's cursor moves and line wraps land where they would on a real
// terminal.
func New(t testing.TB, r io.Reader, width, height int) *Reader {
	term := vt.NewEmulator(width, height)
	// The emulator answers the program's queries (cursor position, modes)
	// on a pipe, and its writes block until someone reads: drain the pipe
	// until the test ends, so that a query cannot stall the screen.
	answers := term.InputPipe().(*io.PipeWriter)
	go func() { _, _ = io.Copy(io.Discard, term) }()
	t.Cleanup(func() { _ = answers.CloseWithError(io.EOF) })
	return &Reader{r: r, term: term, patience: patience}
}

// Text is the screen as it stands after everything the program has written
// so far: its rows, top to bottom, without styles, trailing blanks or
// the blank rows below the last one written.
func (s *Reader) Text() string {
	_, _ = io.Copy(onlcr{s.term}, s.r)
	return strings.TrimRight(s.term.String(), "\n")
}

// WaitFor waits for want to appear on the screen, and fails the test if it
// does not within ten seconds.
func (s *Reader) WaitFor(t testing.TB, want string) {
	t.Helper()
	eventually.Require(t, s.patience,
		func() bool { return strings.Contains(s.Text(), want) },
		func() string { return fmt.Sprintf("%q is not on screen; the screen shows:\n%s", want, s.Text()) })
}

// WaitForMatch waits for re to match a non-empty run of the screen, and
// returns the whole match; it fails the test if none comes within ten seconds.
func (s *Reader) WaitForMatch(t testing.TB, re *regexp.Regexp) string {
	t.Helper()
	return s.waitUntil(t, re, func(text string) (string, bool) {
		m := re.FindString(text)
		return m, m != ""
	})
}

// WaitForGroup waits for re to match the screen, and returns its first
// parenthesised group; it fails the test if no match comes within ten seconds.
func (s *Reader) WaitForGroup(t testing.TB, re *regexp.Regexp) string {
	t.Helper()
	return s.waitUntil(t, re, func(text string) (string, bool) {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1], true
		}
		return "", false
	})
}

func (s *Reader) waitUntil(t testing.TB, re *regexp.Regexp, find func(string) (string, bool)) string {
	t.Helper()
	var m string
	eventually.Require(t, s.patience,
		func() bool {
			var ok bool
			m, ok = find(s.Text())
			return ok
		},
		func() string { return fmt.Sprintf("%v does not match the screen; the screen shows:\n%s", re, s.Text()) })
	return m
}

// onlcr does what a terminal's line discipline does by default (the termios
// flag of that name) between a program and the screen: a line feed goes out
// as carriage return and line feed. Bubble Tea's renderer counts on it, as it
// moves to the start of the next line with a bare line feed.
type onlcr struct{ w io.Writer }

func (o onlcr) Write(p []byte) (int, error) {
	if _, err := o.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
