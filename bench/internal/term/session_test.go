//go:build linux

package term

import (
	"os"
	"testing"
	"time"
)

// A program in the pseudo-terminal sees a terminal of the asked size, reads
// what is typed, and everything it writes is counted and drawn.
func TestSessionRunsAProgramInAPTY(t *testing.T) {
	s, err := Start([]string{"/bin/sh", "-c", `stty size; printf 'ready\n'; read x; printf 'got %s\n' "$x"`},
		[]string{"PATH=" + os.Getenv("PATH")}, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Kill()
	if _, err := s.WaitFor("30 100", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor("ready", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.Type("hi\r"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor("got hi", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	code, err := s.Wait(10 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if n := s.Bytes(); n < int64(len("30 100\r\nready\r\ngot hi\r\n")) || s.FirstByte().Before(s.Started) {
		t.Fatalf("%d bytes counted, first at %v", n, s.FirstByte())
	}
	if raw := s.Raw(0, s.Bytes()); len(raw) != int(s.Bytes()) {
		t.Fatalf("raw output of %d bytes, counted %d", len(raw), s.Bytes())
	}
}
