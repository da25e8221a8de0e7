package serve

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestShutdownLetsLiveSessionsFinish: once shutdown begins, no new connection
// is taken, and a live session carries on to the end of its enrollment;
// the server then stops without waiting out the grace.
func TestShutdownLetsLiveSessionsFinish(t *testing.T) {
	t.Parallel()
	pool := localPoolWizards(t)
	const grace = time.Minute
	ts := startServer(t, Config{Wizards: pool.wizards, ShutdownGrace: grace})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")

	began := time.Now()
	ts.stop()
	ts.waitForLog(t, `msg="shutting down" live_sessions=1`)
	if c, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("a new connection was accepted after shutdown began")
	}

	tm.signInPool(pool.demo)
	tm.confirm(tm.readSecret())
	tm.typ("q")
	if got := tm.waitExit(); got != exitEnrolled {
		t.Errorf("exit status %d, want %d (enrolled)", got, exitEnrolled)
	}
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		ts.done <- nil // for the cleanup
	case <-time.After(patience):
		t.Fatalf("the server did not stop after its last session ended")
	}
	if waited := time.Since(began); waited >= grace {
		t.Errorf("the server waited out its grace (%s) with no session left", waited)
	}
	if strings.Contains(tm.err.String(), "shutting down") {
		t.Errorf("the session was told the server shut it down: %q", tm.err.String())
	}
}

// TestShutdownGraceIsABound: a session still live when the grace is over is
// told why in one line and closed, and the server stops.
func TestShutdownGraceIsABound(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{ShutdownGrace: time.Second})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")

	ts.stop()
	if got := tm.waitExit(); got != exitFailed {
		t.Errorf("exit status %d, want %d", got, exitFailed)
	}
	if got, want := tm.err.String(), "cognito-totp: the server is shutting down, so this session has ended."; !strings.Contains(got, want) {
		t.Errorf("stderr %q, want %q", got, want)
	}
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
		ts.done <- nil
	case <-time.After(patience):
		t.Fatalf("the server did not stop after its grace")
	}
	ts.waitForLog(t, `ended="server shut down"`)
}
