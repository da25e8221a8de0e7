package serve

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/sshchurn"
	"github.com/cognito-totp/cognito-totp/ui"
)

// churnRounds is how many times the churn test ends a session every way
// (eight sessions a round): 1,000 sessions, enough for a leak of one
// goroutine or a few KiB a session to show above the noise, or
// 96 under -short. bench's soak runs 1,000 too and measures RSS from outside.
func churnRounds() int {
	if testing.Short() {
		return 12
	}
	return 125
}

// TestChurnLeavesNothingBehind: sessions ending every way a session can end
// (dropped with keys pending, q, ctrl+c, idle timeout, refused for no
// terminal, for a full server and for too many connections, the network cut
// mid-handshake) leave the process with the goroutines it had before, within
// 10%. The same for sessions ended by a server shutdown, server and all.
//
// Not parallel: it counts the process's goroutines.
func TestChurnLeavesNothingBehind(t *testing.T) {
	pool := localPoolWizards(t)
	main := startServer(t, Config{Wizards: pool.wizards, IdleTimeout: 2 * time.Second, MaxSessions: 100})
	// full's one slot is held for the whole test, by a session that must not
	// idle out; capped's one connection is counted for the whole test, not
	// only a minute. Each refusal sent to them is then a refusal however long
	// the test runs.
	full := startServer(t, Config{Wizards: pool.wizards, MaxSessions: 1, IdleTimeout: time.Hour})
	capped := startServer(t, Config{Wizards: pool.wizards, MaxNewPerMinute: 1, rateWindow: time.Hour})
	// q quits where the wizard cannot go on by itself: the failure screen,
	// shown when the pool cannot be reached.
	broken := startServer(t, Config{Wizards: unreachablePoolWizards(t, "someone")})
	target := func(ts *testServer) sshchurn.Target {
		return sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience}
	}

	// full's one slot is taken; capped's one connection is used up.
	hold, release := context.WithCancel(context.Background())
	held := make(chan error, 1)
	go func() { held <- sshchurn.Run(hold, target(full), sshchurn.Hold) }()
	t.Cleanup(func() {
		release()
		if err := <-held; err != nil {
			t.Errorf("the session holding the full server's slot: %v", err)
		}
	})
	waitLive(t, full, 1)
	if err := sshchurn.Run(context.Background(), target(capped), sshchurn.Interrupt); err != nil {
		t.Fatal(err)
	}

	type job struct {
		ts  *testServer
		way sshchurn.Way
	}
	round := []job{
		{main, sshchurn.Drop}, {broken, sshchurn.Quit}, {main, sshchurn.Interrupt}, {main, sshchurn.Idle},
		{main, sshchurn.NoPTY}, {main, sshchurn.HandshakeCut}, {full, sshchurn.Refused}, {capped, sshchurn.Refused},
	}
	run := func(rounds int) {
		t.Helper()
		jobs := make(chan job)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for j := range jobs {
					if err := sshchurn.Run(context.Background(), target(j.ts), j.way); err != nil {
						t.Error(err)
					}
				}
			})
		}
		for range rounds {
			for _, j := range round {
				jobs <- j
			}
		}
		close(jobs)
		wg.Wait()
		waitLive(t, main, 0)
	}
	run(1) // what every session shares (the SDK client's connections) is in the baseline
	base := settledGoroutines(t, -1)
	rounds := churnRounds()
	run(rounds)
	if got, limit := settledGoroutines(t, within10(base)), within10(base); got > limit {
		t.Errorf("%d goroutines after %d sessions ended every way, %d before (limit %d); running:\n%s",
			got, rounds*len(round), base, limit, goroutineSummary())
	}
	for ts, logged := range map[*testServer][]string{
		broken: {`outcome=Failed ended="wizard finished"`},
		main:   {`ended="client disconnected"`, `outcome=Interrupted ended="wizard finished"`, `ended="idle timeout"`, `reason="no terminal"`, `reason="SSH handshake failed"`},
		full:   {`reason="server full"`},
		capped: {`reason="too many new connections from this address"`},
	} {
		for _, want := range logged {
			if !strings.Contains(ts.logs.String(), want) {
				t.Errorf("no session ended with %s", want)
			}
		}
	}

	// Sessions ended by a shutdown, and the server itself, leave nothing.
	base = settledGoroutines(t, -1)
	for range 3 {
		closing := startServer(t, Config{Wizards: pool.wizards, ShutdownGrace: 100 * time.Millisecond})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if err := sshchurn.Run(context.Background(), target(closing), sshchurn.Hold); err != nil {
					t.Error(err)
				}
			})
		}
		waitLive(t, closing, 4)
		closing.stop()
		wg.Wait()
		if err := <-closing.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		closing.done <- nil // for its cleanup
		if n := strings.Count(closing.logs.String(), `ended="server shut down"`); n != 4 {
			t.Errorf("%d sessions ended by the shutdown, want 4", n)
		}
	}
	if got, limit := settledGoroutines(t, within10(base)), within10(base); got > limit {
		t.Errorf("%d goroutines after three servers shut down with live sessions, %d before (limit %d); running:\n%s",
			got, base, limit, goroutineSummary())
	}
}

// sshchurn's q ends the session on the failure screen whether the server
// gives the username (the form opens on the password) or asks for it, and
// however fast the sign-in fails: each key waits for the screen it is meant
// for, never for an earlier frame still in the stream.
func TestChurnQuitsOnTheFailureScreen(t *testing.T) {
	servers := map[string]*testServer{}
	var wg sync.WaitGroup
	for _, username := range []string{"someone", ""} {
		ts := startServer(t, Config{Wizards: unreachablePoolWizards(t, username)})
		servers[username] = ts
		target := sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience}
		for range 8 {
			wg.Go(func() {
				if err := sshchurn.Run(context.Background(), target, sshchurn.Quit); err != nil {
					t.Errorf("username %q given by the server: %v", username, err)
				}
			})
		}
	}
	wg.Wait()
	for username, ts := range servers {
		if n := strings.Count(ts.logs.String(), `outcome=Failed ended="wizard finished"`); n != 8 {
			t.Errorf("username %q given by the server: %d sessions quit on the failure screen, want 8", username, n)
		}
	}
}

// unreachablePoolWizards are wizards on a pool whose endpoint refuses every
// connection; username is given to every wizard, "" for none.
func unreachablePoolWizards(t *testing.T, username string) Wizards {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	pool := flow.Pool{UserPoolID: "eu-west-1_Nowhere1", ClientID: "nowhere", Region: "eu-west-1", Issuer: "serve-test"}
	api, err := flow.NewAPI(context.Background(), pool, flow.Endpoint{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return PoolWizards(api, pool, ui.Options{PoolLabel: "unreachable pool", Username: username})
}

func within10(n int) int { return n + max(n/10, 2) }

// waitLive waits for the server to hold n live sessions.
func waitLive(t *testing.T, ts *testServer, n int) {
	t.Helper()
	eventually.Require(t, patience, func() bool { return ts.liveCount() == n },
		func() string { return fmt.Sprintf("%d live sessions, want %d", ts.liveCount(), n) })
}
