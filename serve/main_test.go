package serve

import (
	"os"
	"testing"

	"github.com/cognito-totp/cognito-totp/internal/screentest"
)

// TestMain draws every screen as on a terminal that draws • and the half
// blocks one cell wide, whatever RUNEWIDTH_EASTASIAN and LANG say on this
// machine; the language itself is always passed explicitly. Run with
// shortOfDescriptorsEnv set, the test binary is instead a server with few
// file descriptors, for TestShortOfDescriptors.
func TestMain(m *testing.M) {
	if os.Getenv(shortOfDescriptorsEnv) != "" {
		os.Exit(serveShortOfDescriptors())
	}
	os.Exit(screentest.NarrowAmbiguous(m))
}
