package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// TestMaxSessions: with one slot taken, the next session is told the server
// is busy in one line and closed; once the first leaves, the slot is free.
func TestMaxSessions(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{MaxSessions: 1})
	first := openTerminal(t, ts.mustDial(t))
	first.waitFor("Username:")

	second := openTerminal(t, ts.mustDial(t))
	if got := second.waitExit(); got != exitFailed {
		t.Errorf("over the cap: exit status %d, want %d", got, exitFailed)
	}
	if got, want := second.err.String(), refusalLine(i18n.English(), refuseBusy); !strings.Contains(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("over the cap: stderr %q, want the one line %q", got, want)
	}
	if strings.Contains(second.screen(), "Username:") {
		t.Errorf("over the cap, a wizard was shown anyway")
	}
	ts.waitForLog(t, `reason="server full"`)

	first.typ("\x03") // ctrl+c
	if got := first.waitExit(); got != exitInterrupted {
		t.Errorf("ctrl+c: exit status %d, want %d", got, exitInterrupted)
	}
	third := openTerminal(t, ts.mustDial(t))
	third.waitFor("Username:")
}

// TestNewConnectionsPerAddress: the cap on new connections from one address
// counts each connection, and each further session on one connection as a
// new one, so multiplexing does not get round it.
func TestNewConnectionsPerAddress(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{MaxNewPerMinute: 2})
	c := ts.mustDial(t)
	openTerminal(t, c).waitFor("Username:") // connection 1
	openTerminal(t, c).waitFor("Username:") // a second session on it: 2

	refused := openTerminal(t, ts.mustDial(t)) // 3: over
	if got := refused.waitExit(); got != exitFailed {
		t.Errorf("over the cap: exit status %d, want %d", got, exitFailed)
	}
	if got, want := refused.err.String(), refusalLine(i18n.English(), refuseRate); !strings.Contains(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("over the cap: stderr %q, want the one line %q", got, want)
	}
	ts.waitForLog(t, `reason="too many new connections from this address"`)
}

// TestRateLimiterWindow: the cap is per key over a sliding window; refused
// attempts do not count; keys not seen for a window are forgotten.
func TestRateLimiterWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := newRateLimiter(2, time.Minute, func() time.Time { return now })
	step := func(d time.Duration) { now = now.Add(d) }

	first, second := r.allow("a"), r.allow("a")
	if !first || !second {
		t.Fatal("the first two were refused")
	}
	if r.allow("a") {
		t.Fatal("the third within a minute was allowed")
	}
	if !r.allow("b") {
		t.Fatal("another address was refused")
	}
	step(59 * time.Second)
	if r.allow("a") {
		t.Fatal("allowed before the first two aged out")
	}
	step(time.Second)
	if got := []bool{r.allow("a"), r.allow("a"), r.allow("a")}; !got[0] || !got[1] || got[2] {
		t.Fatal("after a minute, two more should be allowed and no more")
	}
	step(2 * time.Minute)
	r.allow("c")
	if _, ok := r.seen["b"]; ok {
		t.Errorf("an address not seen for two minutes is still kept")
	}
}

// TestIdleTimeout: keys keep a session alive; once none come for the idle
// timeout, the session is told why in one line and closed.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	const idle = 2 * time.Second
	ts := startServer(t, Config{IdleTimeout: idle})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")

	// Typing for longer than the timeout, a key every 200ms, keeps it open.
	for end := time.Now().Add(idle + time.Second); time.Now().Before(end); {
		tm.typ("x")
		time.Sleep(200 * time.Millisecond)
		if !tm.isOpen() {
			t.Fatalf("closed while keys were coming; stderr: %s", tm.err.String())
		}
	}
	// Then nothing.
	if got := tm.waitExit(); got != exitFailed {
		t.Errorf("idle: exit status %d, want %d", got, exitFailed)
	}
	if got, want := tm.err.String(), "cognito-totp: closed after 2s without a key pressed."; strings.TrimSpace(got) != want || strings.Count(got, "\n") != 1 {
		t.Errorf("idle: stderr %q, want %q", got, want)
	}
	ts.waitForLog(t, `ended="idle timeout"`)
}

// TestIdleConnectionWithoutSession: a client that connects and never opens a
// session is disconnected after the start timeout, well before the idle
// timeout.
func TestIdleConnectionWithoutSession(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{IdleTimeout: time.Hour, StartTimeout: time.Second})
	c := ts.mustDial(t)
	closed := make(chan struct{})
	go func() { _ = c.Wait(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(patience):
		t.Fatal("a connection with no session stayed open past the start timeout")
	}
}
