package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Inside tmux, working out the terminal's colours runs `tmux info`. lipgloss
// does it once as the process starts; the wizard reuses that answer rather
// than asking tmux again before its first frame. A fake tmux on PATH counts
// how often it is run while the real binary starts in a terminal.
func TestWizardAsksTmuxForColoursOnce(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	dir := t.TempDir()
	count := filepath.Join(dir, "runs")
	fake := "#!/bin/sh\necho run >> " + count + "\necho 'Tc: [missing]'\n"
	if err := os.WriteFile(filepath.Join(dir, "tmux"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "TERM=tmux-256color", "TMUX=/tmp/tmux-test/default,1,0", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	_, out, _ := inTerminal(t, cmd)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	waitFor(t, out, "Password")
	runs, err := os.ReadFile(count)
	if err != nil {
		t.Fatalf("tmux was never asked, so this test no longer sees colour detection: %v", err)
	}
	if n := strings.Count(string(runs), "run"); n != 1 {
		t.Errorf("tmux info ran %d times before the first frame, want 1", n)
	}
}

// The profile lipgloss detected on stdout is reused for stderr only when
// both are terminals or neither is: a wizard drawn on a terminal with its
// stdout piped must still detect its own.
func TestDetectedColorProfileOnlyWhenOutputsAgree(t *testing.T) {
	for _, c := range []struct {
		stdout, stderr, want bool
	}{{true, true, true}, {false, false, true}, {true, false, false}, {false, true, false}} {
		if _, ok := detectedColorProfile(c.stdout, c.stderr); ok != c.want {
			t.Errorf("stdout tty %v, stderr tty %v: reused %v, want %v", c.stdout, c.stderr, ok, c.want)
		}
	}
}
