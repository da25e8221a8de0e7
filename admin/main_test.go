package admin_test

import (
	"os"
	"testing"

	"github.com/cognito-totp/cognito-totp/internal/screentest"
)

// TestMain measures text as a terminal that draws East Asian Ambiguous
// characters (é, ¿, the progress bar's blocks) one cell wide, whatever
// RUNEWIDTH_EASTASIAN and LANG say on this machine; the language itself is
// always passed explicitly.
func TestMain(m *testing.M) { os.Exit(screentest.NarrowAmbiguous(m)) }
