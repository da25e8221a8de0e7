// Package screentest reads a terminal program's output in tests the way a
// person reads a terminal: through a terminal emulator (charmbracelet/x/vt),
// so what it shows is the screen as it stands now, not everything ever
// written. A frame that was drawn and then overwritten is gone, as it is
// for the person. Only _test.go files import it.
package screentest

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/vtscreen"
)

// patience is how long the waits look before they fail the test.
const patience = 10 * time.Second

// Reader keeps the screen a program draws and waits for text to appear on
// it.
type Reader struct {
	r        io.Reader
	patience time.Duration
	mu       sync.Mutex
	screen   *vtscreen.Screen
	buf      bytes.Buffer
}

// New reads the program's output from r (teatest's TestModel.Output, say)
// onto a screen of width x height cells, the size the program was given.
func New(r io.Reader, width, height int) *Reader {
	return &Reader{r: r, patience: patience, screen: vtscreen.New(width, height)}
}

// Text is the screen as it stands, one line per row, trailing spaces
// trimmed; reading it first takes in whatever the program has written.
func (s *Reader) Text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Reset()
	_, _ = io.Copy(&s.buf, s.r)
	// A program's output reaches a terminal through the line discipline,
	// which turns each newline into carriage return and newline (ONLCR);
	// teatest hands over the program's bytes as written.
	_, _ = s.screen.Write(bytes.ReplaceAll(s.buf.Bytes(), []byte("\n"), []byte("\r\n")))
	return s.screen.Text()
}

// WaitFor waits for want to appear on screen, and fails the test if it does
// not within ten seconds.
func (s *Reader) WaitFor(t testing.TB, want string) {
	t.Helper()
	if !eventually.Until(s.patience, func() bool { return strings.Contains(s.Text(), want) }) {
		t.Fatalf("%q never appeared on screen; the screen showed:\n%s", want, s.Text())
	}
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
	var found string
	if !eventually.Until(s.patience, func() bool {
		m, ok := find(s.Text())
		found = m
		return ok
	}) {
		t.Fatalf("%v never appeared on screen; the screen showed:\n%s", re, s.Text())
	}
	return found
}
