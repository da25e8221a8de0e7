package serve

import (
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestParseStartups: --max-startups is start:rate:full or one number (a
// hard cap); anything else is refused with a sentence naming the flag.
func TestParseStartups(t *testing.T) {
	for in, want := range map[string]Startups{
		"10:30:100": {10, 30, 100},
		"5":         {5, 100, 5},
		" 1:0:1 ":   {1, 0, 1},
	} {
		got, err := ParseStartups(in)
		if err != nil || got != want {
			t.Errorf("ParseStartups(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "10:30", "10:30:100:1", "0:30:100", "10:101:100", "10:-1:100", "10:30:5", "-3"} {
		if _, err := ParseStartups(in); err == nil || !strings.Contains(err.Error(), "--max-startups") {
			t.Errorf("ParseStartups(%q): %v; want a refusal naming --max-startups", in, err)
		}
	}
}

// TestStartupGateDropsEarly: below start every connection is admitted;
// from start on, one is dropped with probability rising from rate% to
// 100% at full; no more than start from one address; a released one makes
// room.
func TestStartupGateDropsEarly(t *testing.T) {
	g := newStartupGate(Startups{Start: 2, Rate: 50, Full: 4})
	roll := 0
	g.roll = func() int { return roll }
	var rel []func()
	admit := func(ip string) reason {
		st, why := g.admit()
		if why != reasonNone {
			return why
		}
		rel = append(rel, st.release)
		if !st.admitFrom(ip) {
			st.release()
			return refuseStartupsAddress
		}
		return reasonNone
	}
	roll = 0 // the unluckiest roll: dropped whenever the chance is above 0
	if admit("a") != reasonNone || admit("b") != reasonNone {
		t.Fatal("below start, a connection was dropped")
	}
	if got := admit("c"); got != refuseStartups {
		t.Errorf("at start with the worst roll: %v, want dropped", got)
	}
	roll = 49
	if got := admit("c"); got != refuseStartups {
		t.Errorf("at start (2 of 2:50:4), roll 49: %v, want dropped (50%%)", got)
	}
	roll = 50
	if got := admit("c"); got != reasonNone {
		t.Errorf("at start (2 of 2:50:4), roll 50: %v, want admitted", got)
	}
	roll = 74
	if got := admit("d"); got != refuseStartups {
		t.Errorf("3 of 2:50:4, roll 74: %v, want dropped (75%%)", got)
	}
	roll = 75
	if got := admit("d"); got != reasonNone {
		t.Errorf("3 of 2:50:4, roll 75: %v, want admitted", got)
	}
	roll = 99
	if got := admit("e"); got != refuseStartups {
		t.Errorf("at full: %v, want dropped", got)
	}
	for _, r := range rel {
		r()
		r() // twice is once
	}
	if g.total != 0 || len(g.byAddr) != 0 {
		t.Errorf("after every release: %d counted, %d addresses", g.total, len(g.byAddr))
	}
	roll = 99
	for range 2 {
		if admit("a") != reasonNone {
			t.Fatal("an address's first connections were dropped")
		}
	}
	if got := admit("a"); got != refuseStartupsAddress {
		t.Errorf("a third from one address under 2:50:4: %v, want refused for the address", got)
	}
}

// failingListener fails each Accept with err until n have failed, then
// hands out one end of a pipe.
type failingListener struct {
	err      error
	n, calls int
}

func (l *failingListener) Accept() (net.Conn, error) {
	l.calls++
	if l.calls <= l.n {
		return nil, l.err
	}
	c, _ := net.Pipe()
	return c, nil
}
func (l *failingListener) Close() error   { return nil }
func (l *failingListener) Addr() net.Addr { return &net.TCPAddr{} }

// TestAcceptBacksOffWhenOutOfDescriptors: accept failing with EMFILE is
// counted, answered by closing the waiting connection with the reserve
// descriptor, and retried after a pause that doubles up to a second, not
// in a spin; another error is returned as it is.
func TestAcceptBacksOffWhenOutOfDescriptors(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	inner := &failingListener{err: emfile, n: 40}
	var refused []reason
	g := newGuardListener(inner, 0, func(r reason) { refused = append(refused, r) })
	defer g.Close()
	var slept []time.Duration
	g.sleep = func(d time.Duration) { slept = append(slept, d) }
	c, err := g.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// Each round: one failed accept, and one with the reserve descriptor.
	if len(slept) != 20 || len(refused) != 20 {
		t.Fatalf("%d accepts failed: %d pauses, %d refusals counted; want 20 each", inner.n, len(slept), len(refused))
	}
	want := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}
	if !slices.Equal(slept[:3], want) || slept[len(slept)-1] != time.Second || slices.Max(slept) != time.Second {
		t.Errorf("pauses %v; want doubling from 5ms to at most 1s", slept)
	}
	if refused[0] != refuseDescriptors {
		t.Errorf("counted as %v", refused[0])
	}

	other := &failingListener{err: net.ErrClosed, n: 1}
	if _, err := newGuardListener(other, 0, func(reason) {}).Accept(); err != net.ErrClosed {
		t.Errorf("a closed listener: %v, want net.ErrClosed", err)
	}
}
