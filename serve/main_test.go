package serve

import (
	"os"
	"testing"

	"github.com/cognito-totp/cognito-totp/internal/screentest"
)

// TestMain draws every screen as on a terminal that draws • and the half
// blocks one cell wide, whatever RUNEWIDTH_EASTASIAN and LANG say on this
// machine; the language itself is always passed explicitly.
func TestMain(m *testing.M) { os.Exit(screentest.NarrowAmbiguous(m)) }
