// Package eventually waits in tests for something another goroutine or
// process makes true: a screen showing a line, a log line, a server turning
// unready. One loop, so every test polls the same way and says the same
// thing when its patience runs out.
package eventually

import (
	"testing"
	"time"
)

// Interval is how often a condition is polled: often enough that a test
// waits little after the condition holds, rarely enough not to load the
// machine under -race.
const Interval = 20 * time.Millisecond

// Until polls cond until it holds or patience runs out, and reports whether
// it held. cond is called at least once, and once more at the deadline.
func Until(patience time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(patience)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Interval)
	}
}

// Require is Until in a test: when cond never holds, the test fails with
// what says, called then so it can show the state at the deadline (the
// screen, the log) rather than at the start.
func Require(t testing.TB, patience time.Duration, cond func() bool, what func() string) {
	t.Helper()
	if !Until(patience, cond) {
		t.Fatalf("after %s: %s", patience, what())
	}
}
