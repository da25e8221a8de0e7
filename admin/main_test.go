package admin_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/internal/screentest"
)

// helperArgs, in the environment, makes the test binary run `cognito-totp
// admin` with these arguments (a JSON array) as a process of its own, on
// the process's own stdin, stdout and stderr, so a test can kill it.
const helperArgs = "COGNITO_TOTP_ADMIN_TEST_ARGS"

// TestMain measures text as a terminal that draws East Asian Ambiguous
// characters (é, ¿, the progress bar's blocks) one cell wide, whatever
// RUNEWIDTH_EASTASIAN and LANG say on this machine; the language itself is
// always passed explicitly.
func TestMain(m *testing.M) {
	if raw := os.Getenv(helperArgs); raw != "" {
		os.Exit(runHelper(raw))
	}
	os.Exit(screentest.NarrowAmbiguous(m))
}

func runHelper(raw string) int {
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	exit := 0
	cmd := admin.Command(&exit)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		return 1
	}
	return exit
}
