package screentest

import (
	"errors"
	"os"
	"os/exec"
	"testing"
)

// NarrowAmbiguous runs the tests with East Asian Ambiguous characters (• …
// and the QR's half blocks) one cell wide, as the goldens are drawn, whatever
// the machine says. The width libraries read RUNEWIDTH_EASTASIAN (and a CJK
// LANG) once, when the test binary starts, so the only way to change it is to
// run the binary again with RUNEWIDTH_EASTASIAN=0; that is what this does
// when it is not already so. Call it from TestMain: os.Exit(NarrowAmbiguous(m)).
func NarrowAmbiguous(m *testing.M) int {
	if os.Getenv("RUNEWIDTH_EASTASIAN") == "0" {
		return m.Run()
	}
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), "RUNEWIDTH_EASTASIAN=0")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	os.Stderr.WriteString("screentest: could not run the tests again with RUNEWIDTH_EASTASIAN=0: " + err.Error() + "\n")
	return 1
}
