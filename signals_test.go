package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

// buildBinary builds the command once for the tests that run it whole.
var buildBinary = sync.OnceValues(func() (string, error) { return goBuild("cognito-totp-bin") })

// builtDirs are the folders goBuild made; TestMain removes them when the
// tests end, so a run leaves nothing in the temporary folder.
var builtDirs struct {
	sync.Mutex
	dirs []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	builtDirs.Lock()
	for _, d := range builtDirs.dirs {
		os.RemoveAll(d)
	}
	builtDirs.Unlock()
	os.Exit(code)
}

// goBuild builds the command into a new temporary folder named after
// prefix, with flags added to go build, and returns the binary's path.
func goBuild(prefix string, flags ...string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	builtDirs.Lock()
	builtDirs.dirs = append(builtDirs.dirs, dir)
	builtDirs.Unlock()
	bin := filepath.Join(dir, "cognito-totp")
	args := append(append([]string{"build"}, flags...), "-o", bin, ".")
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
}

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
			_, out, drained := inTerminal(t, cmd)
			waitFor(t, out, "Password")
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := waitExited(t, cmd, drained, "after "+sig.String())
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Fatalf("exit %v, want %d", err, exitInterrupted)
			}
			text := out.String()
			for _, restore := range []string{"\x1b[?1049l", "\x1b[?25h"} { // leave the alternate screen; show the cursor
				if !strings.Contains(text, restore) {
					t.Errorf("the terminal was not restored: no %q in the output", restore)
				}
			}
		})
	}
}

// inTerminal starts cmd in an 80x24 pseudo-terminal, closed when the test
// ends, and collects what it writes there; drained is closed once the
// terminal has nothing more to read.
func inTerminal(t *testing.T, cmd *exec.Cmd) (f *os.File, out *syncbuf.Buffer, drained chan struct{}) {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	out, drained = &syncbuf.Buffer{}, make(chan struct{})
	go func() { _, _ = copyUntilEOF(out, f); close(drained) }()
	return f, out, drained
}

// waitExited waits for cmd, started by inTerminal, to end, and then for the
// last of its output, which may still be in the terminal after the process
// has gone; it returns how cmd ended. It kills cmd and fails the test if cmd
// still runs ten seconds on (when says after what it should have ended).
func waitExited(t *testing.T, cmd *exec.Cmd, drained <-chan struct{}, when string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("still running 10 s %s", when)
	}
	select {
	case <-drained:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal output never ended")
	}
	return err
}

func copyUntilEOF(dst *syncbuf.Buffer, f *os.File) (int64, error) {
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

func waitFor(t *testing.T, out *syncbuf.Buffer, s string) {
	t.Helper()
	eventually.Require(t, 15*time.Second, func() bool { return strings.Contains(out.String(), s) },
		func() string { return fmt.Sprintf("never saw %q; got %q", s, out.String()) })
}
