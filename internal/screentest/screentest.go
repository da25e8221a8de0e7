// Package screentest reads a terminal program's output in tests: it collects
// what the program has written, terminal sequences stripped, and waits for
// text to appear in it. Only _test.go files import it.
package screentest

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// patience is how long the waits look before they fail the test.
const patience = 10 * time.Second

// Reader collects the program's output, with terminal sequences stripped,
// and waits for text to appear in it.
type Reader struct {
	r    io.Reader
	seen bytes.Buffer
}

// New reads the program's output from r (teatest's TestModel.Output, say).
func New(r io.Reader) *Reader { return &Reader{r: r} }

// Text is everything read so far, terminal sequences stripped.
func (s *Reader) Text() string {
	_, _ = io.Copy(&s.seen, s.r)
	return ansi.Strip(s.seen.String())
}

// WaitFor waits for want to appear on screen, and fails the test if it does
// not within ten seconds.
func (s *Reader) WaitFor(t testing.TB, want string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if strings.Contains(s.Text(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%q never appeared on screen; the screen showed:\n%s", want, s.Text())
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
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if m, ok := find(s.Text()); ok {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%v never appeared on screen; the screen showed:\n%s", re, s.Text())
	return ""
}
