package vtscreen

import (
	"strings"
	"testing"
	"time"
)

func TestScreenDrawsWhatTheRendererSends(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"text and newlines", "ab\r\ncd", "ab\ncd"},
		{"cursor position and erase line", "hello\x1b[1;3HXY\x1b[K", "heXY"},
		{"cursor forward keeps cells", "abcdef\r\x1b[2CZ", "abZdef"},
		{"erase characters", "abcdef\x1b[1;2H\x1b[3X", "a   ef"},
		{"repeat the last character", "x\x1b[4b", "xxxxx"},
		{"colours are ignored", "\x1b[38;5;196mred\x1b[m!", "red!"},
		{"erase display", "abc\r\ndef\x1b[2J\x1b[Hz", "z"},
		{"wide runes and half blocks", "▀▄█ ok", "▀▄█ ok"},
		{"delete and insert characters", "abcdef\x1b[1;2H\x1b[2P\x1b[1@", "a def"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New(10, 3)
			s.Write([]byte(c.in))
			if got := strings.TrimRight(s.Text(), "\n"); got != c.want {
				t.Fatalf("screen %q, want %q", got, c.want)
			}
		})
	}
}

func TestScreenWrapsAndScrolls(t *testing.T) {
	s := New(4, 2)
	s.Write([]byte("abcdefgh\r\nij"))
	if got := s.Text(); got != "efgh\nij" {
		t.Fatalf("screen %q", got)
	}
}

func TestScreenTakesSequencesSplitAcrossWrites(t *testing.T) {
	s := New(10, 2)
	for _, part := range []string{"ab\x1b", "[1;", "1H", "Z", "\xe2\x96", "\x80"} {
		s.Write([]byte(part))
	}
	if got := strings.TrimRight(s.Text(), "\n"); got != "Z▀" {
		t.Fatalf("screen %q", got)
	}
}

// A program's queries (cursor position, device attributes) make the emulator
// answer through a pipe; answers nobody reads must not stop the screen.
func TestScreenTakesQueriesItDoesNotAnswer(t *testing.T) {
	s := New(10, 2)
	defer s.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 50 {
			s.Write([]byte("\x1b[6n\x1b[c"))
		}
		s.Write([]byte("\x1b[Hok"))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the screen stopped on a query it answers")
	}
	if got := strings.TrimRight(s.Text(), "\n"); got != "ok" {
		t.Fatalf("screen %q", got)
	}
}
