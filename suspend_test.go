//go:build unix

package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

// Stopped from outside (kill -TSTP, as a shell's job control or a script
// does) and continued with the shell's fg, the wizard hands the terminal back
// before it stops and takes it again when it continues: a password typed after
// fg is not echoed, and the screen is drawn again. The wizard runs under an
// interactive shell in a pty, as a person runs it: a shell restores its own
// (cooked, echoing) terminal modes when a job stops, and a process group with
// no shell above it would not stop at all.
func TestStoppedAndContinuedTheTerminalIsTakenBack(t *testing.T) {
	bin, f, out := interactiveShell(t)

	// The wizard says its process id, then becomes the shell's foreground job.
	type_(t, f, "sh -c 'echo WIZARD=$$; exec "+bin+"'\n")
	waitFor(t, out, "Password")
	before := stopThenFg(t, f, out)
	// fg repaints the wizard: its screen is drawn again from the top.
	redrawn := waitForAfter(out, before, "Password", 10*time.Second)
	const password = "Zebra-Typed-After-Fg-41"
	type_(t, f, password)
	time.Sleep(time.Second)
	after := out.String()[before:]
	if strings.Contains(after, password) {
		t.Error("the password typed after fg was echoed by the terminal: the wizard did not take the terminal back")
	}
	if !redrawn {
		t.Error("the wizard's screen was not drawn again after fg")
	}
	// The field has the password's bullets: the wizard, not the terminal, read it.
	if !strings.Contains(after, strings.Repeat("•", 5)) && !strings.Contains(after, strings.Repeat("*", 5)) {
		t.Error("the password typed after fg did not reach the wizard's password field")
	}
	type_(t, f, "\x03") // ctrl+c
	if !waitForAfter(out, len(out.String()), "$ ", 10*time.Second) {
		t.Error("the wizard did not end on ctrl+c after fg")
	}
}

// stopThenFg stops the wizard, whose shell printed WIZARD=pid, as ctrl+z
// does (SIGTSTP), waits for the shell to say so, and types fg. It returns
// how much the terminal had shown before fg.
func stopThenFg(t *testing.T, f *os.File, out *syncbuf.Buffer) int {
	t.Helper()
	m := regexp.MustCompile(`WIZARD=(\d+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatal("the wizard's process id was not printed")
	}
	pid, _ := strconv.Atoi(m[1])
	if err := syscall.Kill(pid, syscall.SIGTSTP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Stopped")
	before := len(out.String())
	type_(t, f, "fg\n")
	return before
}

// type_ writes what a person types.
func type_(t *testing.T, f *os.File, s string) {
	t.Helper()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// waitForAfter waits until s appears in out after its first from bytes.
func waitForAfter(out *syncbuf.Buffer, from int, s string, d time.Duration) bool {
	return eventually.Until(d, func() bool { return strings.Contains(out.String()[from:], s) })
}

// The same in plain mode: its password prompt turns the terminal's echo off
// itself, and a shell that stops and continues the job puts echo back on, so
// the prompt must turn it off again on continue.
func TestPlainPasswordIsNotEchoedAfterStopAndContinue(t *testing.T) {
	bin, f, out := interactiveShell(t)

	type_(t, f, "sh -c 'echo WIZARD=$$; exec "+bin+" --plain'\n")
	waitFor(t, out, "Username")
	type_(t, f, "\n") // the demo's username
	waitFor(t, out, "Password:")
	before := stopThenFg(t, f, out)
	waitForAfter(out, before, "--plain", 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the continued process takes the terminal back
	const password = "Zebra-Typed-After-Fg-42"
	type_(t, f, password)
	time.Sleep(time.Second)
	if strings.Contains(out.String()[before:], password) {
		t.Error("the password typed after fg was echoed by the terminal")
	}
	type_(t, f, "\x03") // ctrl+c
	if !waitForAfter(out, len(out.String()), "$ ", 10*time.Second) {
		t.Error("the plain wizard did not end on ctrl+c after fg")
	}
}

// interactiveShell builds the binary and starts bash with job control in an
// 80x24 pty, as a person's terminal; it is killed when the test ends.
func interactiveShell(t *testing.T) (bin string, f *os.File, out *syncbuf.Buffer) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	shell, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("this test needs bash, an interactive shell with job control")
	}
	cmd := exec.Command(shell, "--norc", "--noprofile", "-i")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "PS1=$ ", "HISTFILE=/dev/null", "NO_COLOR=")
	f, err = pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	})
	out = &syncbuf.Buffer{}
	go func() { _, _ = copyUntilEOF(out, f) }()
	waitFor(t, out, "$ ")
	return bin, f, out
}
