package serve

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestDroppedSessionsWithPendingInputDoNotLeak: a client that drops while
// its keys are still on their way (a flaky network, an impatient person, a
// load test's `ssh -tt ... </dev/zero`) leaves nothing behind in the server.
// Bubble Tea's own input reader (ultraviolet's TerminalReader) blocks for
// ever sending a parsed key to a program that has stopped reading, and holds
// the whole program alive: about 3 MB a session.
//
// Not parallel: it counts the process's goroutines.
func TestDroppedSessionsWithPendingInputDoNotLeak(t *testing.T) {
	ts := startServer(t, Config{})
	// One session first, so what every session shares (the SDK client's
	// connections to the pool) is in the baseline.
	warm := openTerminal(t, ts.mustDial(t))
	warm.waitFor("Username:")
	warm.typ("\x03")
	warm.waitExit()
	base := settledGoroutines(t, -1)

	const sessions = 20
	flood := bytes.Repeat([]byte{0}, 256<<10) // ctrl+space, over and over
	for range sessions {
		c, err := ts.dial()
		if err != nil {
			t.Fatal(err)
		}
		tm := openTerminal(t, c)
		tm.waitFor("Username:")
		go func() { _, _ = tm.in.Write(flood) }() // may block on the window: the drop ends it
		time.Sleep(20 * time.Millisecond)
		_ = c.Close()
	}
	ts.waitForHandlers(t)
	if got := settledGoroutines(t, base); got > base+2 {
		t.Errorf("%d goroutines after %d dropped sessions, %d before; still running:\n%s",
			got, sessions, base, goroutineSummary())
	}
}

// settledGoroutines waits (up to patience) for the number of goroutines to
// come down to at most want, and returns it; with want < 0 it waits for the
// number to stop changing.
func settledGoroutines(t *testing.T, want int) int {
	t.Helper()
	deadline := time.Now().Add(patience)
	last, steady := runtime.NumGoroutine(), 0
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n := runtime.NumGoroutine()
		if want >= 0 && n <= want {
			return n
		}
		if n == last {
			steady++
		} else {
			steady = 0
		}
		if want < 0 && steady >= 10 {
			return n
		}
		last = n
	}
	return last
}

// goroutineSummary is the process's goroutines grouped by their stack's
// first frames in our code or its libraries, most common first.
func goroutineSummary() string {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	args := regexp.MustCompile(`\(0x[^)]*\)|\(\.\.\.\)|\+0x[0-9a-f]+`)
	count := map[string]int{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		var frames []string
		for _, line := range strings.Split(g, "\n")[1:] {
			if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by") {
				continue
			}
			frames = append(frames, args.ReplaceAllString(line, ""))
			if len(frames) == 3 {
				break
			}
		}
		count[strings.Join(frames, " < ")]++
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return count[keys[i]] > count[keys[j]] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%4d  %s\n", count[k], k)
	}
	return b.String()
}

// waitForHandlers waits for every session handler to have returned.
func (ts *testServer) waitForHandlers(t *testing.T) {
	t.Helper()
	if !ts.waitSessions(patience) {
		t.Fatalf("session handlers still running after %s", patience)
	}
}
