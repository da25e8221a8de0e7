package progressui

import (
	"os"
	"testing"

	"github.com/cognito-totp/cognito-totp/internal/screentest"
)

// TestMain measures the bar's block characters one cell wide, whatever
// RUNEWIDTH_EASTASIAN and LANG say on this machine.
func TestMain(m *testing.M) { os.Exit(screentest.NarrowAmbiguous(m)) }
