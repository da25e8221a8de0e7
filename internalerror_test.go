package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildPanickyBinary builds the command with the test hook that makes the
// wizard panic at the first "!" typed (testpanic.go).
var buildPanickyBinary = sync.OnceValues(func() (string, error) {
	return goBuild("cognito-totp-panicky", "-tags", "cognitototp_testpanic")
})

// A bug that panics in the wizard exits 70 (as the README says), restores
// the terminal, tells the person to report it, and leaves in the --debug log
// the panic's type and the stack that led to it; the panic's value, which
// stands for a secret here, reaches neither the screen nor the log unless the
// runtime made it.
func TestAPanicExits70AndLogsTheStack(t *testing.T) {
	bin, err := buildPanickyBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, c := range []struct {
		name, env string
		want      []string
	}{
		{"a value of ours", "", []string{`type=string`, `stack="goroutine `, `main.panicOnBang.Update(...)`, `ui.(*Guarded).Update(...)`, `testpanic.go:`}},
		{"the runtime's", "runtime", []string{`type=runtime.boundsError`, `runtime_error="runtime error: index out of range [5] with length 1"`, `main.panicOnBang.Update(...)`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			debug := filepath.Join(home, "debug.log")
			cmd := exec.Command(bin, "--debug", debug)
			cmd.Env = append(os.Environ(), "TERM=xterm-256color", "HOME="+home, "XDG_CONFIG_HOME="+home, "COGNITO_TOTP_TEST_PANIC="+c.env)
			f, out, drained := inTerminal(t, cmd)
			waitFor(t, out, "Password")
			if _, err := f.Write([]byte("!")); err != nil {
				t.Fatal(err)
			}
			err := waitExited(t, cmd, drained, "after the panic")
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInternal {
				t.Fatalf("exit %v, want %d", err, exitInternal)
			}
			screen := out.String()
			if !strings.Contains(screen, "An internal error stopped the wizard; the terminal is restored and nothing secret was written. Run again with --debug FILE and report it.") {
				t.Errorf("the person is not told what happened:\n%q", screen)
			}
			for _, restore := range []string{"\x1b[?1049l", "\x1b[?25h"} {
				if !strings.Contains(screen, restore) {
					t.Errorf("the terminal was not restored: no %q", restore)
				}
			}
			b, err := os.ReadFile(debug)
			if err != nil {
				t.Fatal(err)
			}
			log := string(b)
			if !strings.Contains(log, `level=ERROR msg="internal error: the wizard panicked"`) {
				t.Fatalf("the debug log has no record of the panic:\n%s", log)
			}
			for _, w := range c.want {
				if !strings.Contains(log, w) {
					t.Errorf("the debug log lacks %q:\n%s", w, log)
				}
			}
			for _, where := range map[string]string{"screen": screen, "debug log": log} {
				if strings.Contains(where, "s3cr3t") {
					t.Errorf("the panic's value reached the %s", where)
				}
			}
		})
	}
}

// In --plain mode a panic in the prompts ends the same way: exit 70, the
// same sentence, and the stack in the debug log.
func TestAPanicInThePlainPromptsIsAnInternalError(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(slog.NewTextHandler(&b, nil))
	code, err := recoverInternal(log, func() (int, error) {
		secret := "s3cr3t"
		_ = secret[len(secret)+b.Len()] // the runtime's index out of range
		return exitEnrolled, nil
	})
	if code != exitInternal || !errors.Is(err, errInternal) {
		t.Fatalf("code %d err %v, want %d and errInternal", code, err, exitInternal)
	}
	for _, w := range []string{`runtime_error="runtime error: index out of range [6] with length 6"`, "TestAPanicInThePlainPromptsIsAnInternalError.func1(...)"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("the debug log lacks %q:\n%s", w, b.String())
		}
	}
	if strings.Contains(b.String(), "s3cr3t") {
		t.Error("the debug log holds a value from the panicking code")
	}
}
