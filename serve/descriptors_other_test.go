//go:build !unix

package serve

import (
	"fmt"
	"os"
)

const shortOfDescriptorsEnv = "COGNITO_TOTP_TEST_SERVE_FD_LIMIT"

// serveShortOfDescriptors needs RLIMIT_NOFILE, which only Unix has.
func serveShortOfDescriptors() int {
	fmt.Fprintln(os.Stderr, "no file descriptor limit to set on this system")
	return 1
}
