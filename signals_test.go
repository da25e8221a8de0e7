package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuffer"
)

// Each way a session ends from outside (ctrl+c sent as SIGINT by a non-raw
// terminal, kill's SIGTERM, an SSH drop's SIGHUP) restores the terminal,
// leaves no secret screen behind the alternate screen, and exits 130.
func TestSignalsRestoreTheTerminalAndExit130(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), "TERM=xterm-256color")
			run := startInPTY(t, cmd)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := run.wait(t, "after "+sig.String())
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Fatalf("exit %v, want %d", err, exitInterrupted)
			}
			text := run.out.String()
			for _, restore := range []string{"\x1b[?1049l", "\x1b[?25h"} { // leave the alternate screen; show the cursor
				if !strings.Contains(text, restore) {
					t.Errorf("the terminal was not restored: no %q in the output", restore)
				}
			}
		})
	}
}

// ptyRun is the command running in an 80x24 pseudo-terminal, as a person's
// terminal, and what it has written there so far.
type ptyRun struct {
	cmd     *exec.Cmd
	f       *os.File
	out     syncbuffer.Buffer
	drained chan struct{} // closed when the terminal's output has ended
}

// startInPTY starts cmd in a pseudo-terminal and waits for the wizard's
// password prompt; the terminal is closed when the test ends.
func startInPTY(t *testing.T, cmd *exec.Cmd) *ptyRun {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r := &ptyRun{cmd: cmd, f: f, drained: make(chan struct{})}
	go func() { _, _ = copyUntilEOF(&r.out, f); close(r.drained) }()
	waitFor(t, &r.out, "Password")
	return r
}

// wait waits for the command to end, and then for the last of its output,
// which may still be in the terminal after the process has gone; it returns
// how the command ended. It fails the test, killing the command, if it
// still runs ten seconds on: when names what should have ended it.
func (r *ptyRun) wait(t *testing.T, when string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		t.Fatalf("still running 10 s %s", when)
	}
	select {
	case <-r.drained:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal output never ended")
	}
	return err
}

func copyUntilEOF(dst *syncbuffer.Buffer, f *os.File) (int64, error) {
	buf := make([]byte, 4096)
	var n int64
	for {
		m, err := f.Read(buf)
		if m > 0 {
			dst.Write(buf[:m])
			n += int64(m)
		}
		if err != nil {
			return n, err
		}
	}
}

func waitFor(t *testing.T, out *syncbuffer.Buffer, s string) {
	t.Helper()
	eventually.Require(t, 15*time.Second,
		func() bool { return strings.Contains(out.String(), s) },
		func() string { return fmt.Sprintf("never saw %q; got %q", s, out.String()) })
}
