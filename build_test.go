package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// binDir holds the binaries the tests build once and share; TestMain
// removes it when the tests end.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cognito-totp-test-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// goBuild builds the command in the module at src (this one when src is
// "") into dir, as `go build` with flags and, on top of this process's
// environment, env; it returns the binary's path, or go build's output as
// the error.
func goBuild(src, dir string, env []string, flags ...string) (string, error) {
	bin := filepath.Join(dir, "cognito-totp")
	cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", bin, ".")...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %v: %v\n%s", flags, err, out)
	}
	return bin, nil
}

// builtOnce is a binary built at most once per test run, in a directory of
// binDir's named name, with go build's flags.
func builtOnce(name string, flags ...string) func() (string, error) {
	return sync.OnceValues(func() (string, error) {
		dir := filepath.Join(binDir, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return "", err
		}
		return goBuild("", dir, nil, flags...)
	})
}

// buildBinary builds the command as it ships, for the tests that run it whole.
var buildBinary = builtOnce("plain")

// buildPanickyBinary builds the command with the test hook that makes the
// wizard panic at the first "!" typed (testpanic.go).
var buildPanickyBinary = builtOnce("panicky", "-tags", "cognitototp_testpanic")
