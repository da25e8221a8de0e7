package serve

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// The hostile-client tests attack a server in this process with
// golang.org/x/crypto/ssh as the client, each as one attacker would, and
// check that the server's heap stays bounded and that an honest client is
// served (gets the wizard's first screen) while the attack runs and after.
// None is parallel: each measures the process's heap.

// heapObjects is the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// retainedHeap is the heap held after a collection: what the server keeps.
func retainedHeap() uint64 {
	runtime.GC()
	runtime.GC()
	return heapObjects()
}

// heapWatch samples the heap every few milliseconds and keeps its peak, so
// a blow-up between two checks is seen.
type heapWatch struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if h := heapObjects(); h > w.peak.Load() {
				w.peak.Store(h)
			}
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *heapWatch) end() uint64 {
	close(w.stop)
	<-w.done
	return w.peak.Load()
}

// Bounds of the hostile tests. A wizard at the largest size a session may
// have (MaxTermWidth x MaxTermHeight) holds about 30 MB of screen cells
// (largeRetained); one at a person's size, or a connection with no wizard,
// far less (smallRetained). The attacks below, unbounded, take gigabytes.
const (
	peakBound     = 400 << 20 // growth of the heap at any moment, garbage included
	largeRetained = 96 << 20  // growth of what a collection leaves, with a wizard of the largest size
	smallRetained = 24 << 20  // the same, with none
)

func checkHeap(t *testing.T, base, peak, retained, bound uint64) {
	t.Helper()
	t.Logf("heap: %d MiB before, peak %d MiB, %d MiB retained", base>>20, peak>>20, retained>>20)
	if peak > base+peakBound {
		t.Errorf("the heap peaked at %d MiB, from %d MiB: more than %d MiB for one attacker", peak>>20, base>>20, peakBound>>20)
	}
	if retained > base+bound {
		t.Errorf("the heap held %d MiB after a collection, from %d MiB: more than %d MiB for one attacker", retained>>20, base>>20, bound>>20)
	}
}

// servedHonestly checks that an honest client (from 127.0.0.1, a terminal
// of 120x40) gets the wizard's first screen and can leave with ctrl+c. It
// retries a connection the server dropped at random (--max-startups).
func servedHonestly(t *testing.T, ts *testServer) {
	t.Helper()
	var c *gossh.Client
	var err error
	for range 20 {
		if c, err = ts.dial(); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("an honest client could not connect: %v", err)
	}
	defer c.Close()
	tm := openTerminal(t, c)
	tm.waitFor("Username:")
	tm.typ("\x03")
	if got := tm.waitExit(); got != exitInterrupted {
		t.Errorf("the honest client: exit %d, want %d", got, exitInterrupted)
	}
}

// dialFrom connects to ts from the loopback address local (127.0.0.x), so
// a test has clients from more than one address.
func dialFrom(t *testing.T, ts *testServer, local string) *gossh.Client {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: patience}
	nc, err := d.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	cc, chans, reqs, err := gossh.NewClientConn(nc, ts.addr, &gossh.ClientConfig{User: "attacker",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner())}, HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: patience})
	if err != nil {
		nc.Close()
		t.Fatal(err)
	}
	c := gossh.NewClient(cc, chans, reqs)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// sizes records the terminal sizes the server's wizards are given.
type sizes struct {
	mu  sync.Mutex
	all [][2]int
}

func (s *sizes) record(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, [2]int{w, h})
}

func (s *sizes) list() [][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][2]int(nil), s.all...)
}

// waitLast waits for the last size given to be want.
func (s *sizes) waitLast(t *testing.T, want [2]int) {
	t.Helper()
	eventually.Require(t, patience, func() bool { l := s.list(); return len(l) > 0 && l[len(l)-1] == want },
		func() string {
			return fmt.Sprintf("the wizard was never given %dx%d; it was given %v", want[0], want[1], s.list())
		})
}

func (s *sizes) checkBounded(t *testing.T) {
	t.Helper()
	for _, wh := range s.list() {
		if wh[0] < 1 || wh[0] > MaxTermWidth || wh[1] < 1 || wh[1] > MaxTermHeight {
			t.Errorf("a wizard was given %dx%d, outside 1x1 to %dx%d", wh[0], wh[1], MaxTermWidth, MaxTermHeight)
		}
	}
}

// ptyReq is a pty-req payload (RFC 4254 6.2) for a terminal of w x h.
func ptyReq(term string, w, h uint32) []byte {
	return gossh.Marshal(struct {
		Term                string
		Columns, Rows, X, Y uint32
		Modes               string
	}{term, w, h, w * 8, h * 16, "\x00"})
}

func windowChange(w, h uint32) []byte {
	return gossh.Marshal(struct{ Columns, Rows, X, Y uint32 }{w, h, 0, 0})
}

// rawSession opens a session channel on c and discards what it is sent.
func rawSession(t *testing.T, c *gossh.Client) gossh.Channel {
	t.Helper()
	ch, reqs, err := c.OpenChannel("session", nil)
	if err != nil {
		t.Fatal(err)
	}
	go gossh.DiscardRequests(reqs)
	go func() { _, _ = io.Copy(io.Discard, ch) }()
	go func() { _, _ = io.Copy(io.Discard, ch.Stderr()) }()
	t.Cleanup(func() { _ = ch.Close() })
	return ch
}

func request(t *testing.T, ch gossh.Channel, name string, payload []byte) bool {
	t.Helper()
	ok, err := ch.SendRequest(name, true, payload)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ok
}

// TestHostileHugeTerminal: a pty-req of 10000x10000 is taken as the
// largest terminal a person can have, and the wizard draws for that.
func TestHostileHugeTerminal(t *testing.T) {
	var got sizes
	ts := startServer(t, Config{resized: got.record})
	base := retainedHeap()
	heap := watchHeap()

	ch := rawSession(t, dialFrom(t, ts, "127.0.0.2"))
	if !request(t, ch, "pty-req", ptyReq("xterm-256color", 10000, 10000)) {
		t.Fatal("a pty-req of 10000x10000 was refused; want it taken, clamped")
	}
	if !request(t, ch, "shell", nil) {
		t.Fatal("shell refused")
	}
	got.waitLast(t, [2]int{MaxTermWidth, MaxTermHeight})
	servedHonestly(t, ts)
	checkHeap(t, base, heap.end(), retainedHeap(), largeRetained)
	got.checkBounded(t)
	ts.waitForLog(t, fmt.Sprintf("width=%d height=%d", MaxTermWidth, MaxTermHeight))
	_ = ch.Close()
	servedHonestly(t, ts)
}

// TestHostileWindowChangeToHuge: a session that starts at 80x24 and then
// says its window is 2500x2500 gets the largest terminal a person can have.
func TestHostileWindowChangeToHuge(t *testing.T) {
	var got sizes
	ts := startServer(t, Config{resized: got.record})
	base := retainedHeap()
	heap := watchHeap()

	ch := rawSession(t, dialFrom(t, ts, "127.0.0.2"))
	if !request(t, ch, "pty-req", ptyReq("xterm", 80, 24)) || !request(t, ch, "shell", nil) {
		t.Fatal("pty-req or shell refused")
	}
	got.waitLast(t, [2]int{80, 24})
	if !request(t, ch, "window-change", windowChange(2500, 2500)) {
		t.Error("a window-change to 2500x2500 was refused; want it taken, clamped")
	}
	got.waitLast(t, [2]int{MaxTermWidth, MaxTermHeight})
	servedHonestly(t, ts)
	checkHeap(t, base, heap.end(), retainedHeap(), largeRetained)
	got.checkBounded(t)
	_ = ch.Close()
	servedHonestly(t, ts)
}

// TestHostileWindowChangeFlood: 20,000 window changes reach the wizard at
// most once a frame, and the last size sent is the one it ends with.
func TestHostileWindowChangeFlood(t *testing.T) {
	var got sizes
	ts := startServer(t, Config{resized: got.record})
	base := retainedHeap()
	heap := watchHeap()

	ch := rawSession(t, dialFrom(t, ts, "127.0.0.2"))
	if !request(t, ch, "pty-req", ptyReq("xterm", 80, 24)) || !request(t, ch, "shell", nil) {
		t.Fatal("pty-req or shell refused")
	}
	got.waitLast(t, [2]int{80, 24})
	before := len(got.list())
	const n = 20000
	start := time.Now()
	honest := make(chan struct{})
	go func() {
		defer close(honest)
		servedHonestly(t, ts)
	}()
	for i := range n {
		w, h := uint32(60+i%7), uint32(20+i%5)
		if _, err := ch.SendRequest("window-change", false, windowChange(w, h)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ch.SendRequest("window-change", false, windowChange(100, 30)); err != nil {
		t.Fatal(err)
	}
	<-honest
	got.waitLast(t, [2]int{100, 30})
	took := time.Since(start)
	frames := int(took/resizeFrame) + 2
	if given := len(got.list()) - before; given > frames {
		t.Errorf("%d window changes over %s reached the wizard %d times; want at most one a frame (%s): %d",
			n+1, took.Round(time.Millisecond), given, resizeFrame, frames)
	}
	checkHeap(t, base, heap.end(), retainedHeap(), smallRetained)
	_ = ch.Close()
	servedHonestly(t, ts)
}

// TestHostileEnvFlood: env requests are kept only for the variables the
// server reads, short, and few; the rest are refused and cost nothing.
func TestHostileEnvFlood(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "C")
	ts := startServer(t, Config{})
	base := retainedHeap()
	heap := watchHeap()

	tm := openSession(t, dialFrom(t, ts, "127.0.0.2"))
	ch := tm.sess
	big := strings.Repeat("x", 30<<10)
	if ch.Setenv("FLOOD", "1") == nil {
		t.Error("env FLOOD=1 was taken; want a variable the server does not read refused")
	}
	if ch.Setenv("LANG", big) == nil {
		t.Error("env LANG of 30 KB was taken; want it refused")
	}
	if err := ch.Setenv("LC_MESSAGES", "es_ES.UTF-8"); err != nil {
		t.Errorf("env LC_MESSAGES=es_ES.UTF-8 was refused (%v); want it taken", err)
	}
	const n = 2000
	for i := range n {
		name := fmt.Sprintf("FLOOD_%d", i)
		if i%2 == 0 {
			name = "LC_ALL"
		}
		if _, err := ch.SendRequest("env", false, gossh.Marshal(struct{ K, V string }{name, big})); err != nil {
			t.Fatal(err)
		}
	}
	// Short ones until the cap: at most MaxEnvVars are taken in all.
	taken := 1
	for range MaxEnvVars + 5 {
		if ch.Setenv("LC_MESSAGES", "es_ES.UTF-8") == nil {
			taken++
		}
	}
	if taken != MaxEnvVars {
		t.Errorf("%d env requests were taken; want %d, the cap", taken, MaxEnvVars)
	}
	servedHonestly(t, ts)
	checkHeap(t, base, heap.end(), retainedHeap(), smallRetained)
	if got := ts.metric(t, `cognito_totp_serve_refusals_total{reason="env_refused"}`); got < n {
		t.Errorf("refusals_total{reason=env_refused} = %v, want at least %d", got, n)
	}

	// What was taken is used: the session is in Spanish.
	if err := ch.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	tm.shell()
	tm.waitFor(i18n.For(language.Spanish).T(i18n.SigninUsername))
	tm.typ("\x03")
	tm.waitExit()
	servedHonestly(t, ts)
}

// TestHostileChannelsWithoutShell: one connection may have only a few
// session channels open; each holds a slot of --max-sessions from the
// moment it opens; one that asks for no session is closed after the start
// timeout, and so then is its connection.
func TestHostileChannelsWithoutShell(t *testing.T) {
	ts := startServer(t, Config{MaxSessions: 5, StartTimeout: time.Second})
	base := retainedHeap()
	heap := watchHeap()

	c := dialFrom(t, ts, "127.0.0.2")
	var open []gossh.Channel
	rejected := 0
	for range 10 {
		ch, reqs, err := c.OpenChannel("session", nil)
		var oc *gossh.OpenChannelError
		if errors.As(err, &oc) && oc.Reason == gossh.ResourceShortage {
			rejected++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		go gossh.DiscardRequests(reqs)
		open = append(open, ch)
	}
	if len(open) != MaxChannelsPerConn || rejected != 10-MaxChannelsPerConn {
		t.Errorf("10 channels on one connection: %d opened, %d refused; want %d opened", len(open), rejected, MaxChannelsPerConn)
	}
	if got := ts.metric(t, `cognito_totp_serve_sessions_active`); got != float64(len(open)) {
		t.Errorf("sessions_active = %v with %d channels open and no shell; want each counted from its opening", got, len(open))
	}
	servedHonestly(t, ts) // 3 of 5 slots taken: there is room

	closed := make(chan struct{})
	go func() { _ = c.Wait(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(patience):
		t.Fatal("a connection whose channels asked for no session stayed open past the start timeout")
	}
	ts.waitForLog(t, `reason="no session asked for in time"`)
	eventually.Until(patience, func() bool { return ts.liveCount() == 0 })
	if n := ts.liveCount(); n != 0 {
		t.Errorf("%d slots still held after the channels were closed", n)
	}
	if got := ts.metric(t, `cognito_totp_serve_refusals_total{reason="max_channels_per_connection"}`); got != float64(rejected) {
		t.Errorf("refusals_total{reason=max_channels_per_connection} = %v, want %d", got, rejected)
	}
	checkHeap(t, base, heap.end(), retainedHeap(), smallRetained)
	servedHonestly(t, ts)
}

// TestHostileHandshakeFlood: connections that send a version line and
// nothing else are held only up to --max-startups: from one address, its
// start value; from many, its full value; the rest are closed at once, and
// an honest client still gets in.
func TestHostileHandshakeFlood(t *testing.T) {
	lim := Startups{Start: 10, Rate: 30, Full: 40}
	ts := startServer(t, Config{MaxStartups: lim, HandshakeTimeout: time.Minute})
	base := retainedHeap()
	heap := watchHeap()

	// flood opens n connections from each address that each send a
	// version line, and says how many of them the server still holds once
	// it has closed all but maxHeld (or, if it does not, after 5 seconds).
	var all []net.Conn
	flood := func(n, maxHeld int, locals ...string) (held int) {
		var conns []net.Conn
		for _, local := range locals {
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: patience}
			for range n {
				c, err := d.Dial("tcp", ts.addr)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.WriteString(c, "SSH-2.0-flood\r\n")
				conns = append(conns, c)
			}
		}
		all = append(all, conns...)
		var closed atomic.Int32
		for _, c := range conns {
			go func() {
				_ = c.SetReadDeadline(time.Now().Add(patience))
				if _, err := io.Copy(io.Discard, c); !isTimeout(err) {
					closed.Add(1)
				}
			}()
		}
		eventually.Until(5*time.Second, func() bool { return len(conns)-int(closed.Load()) <= maxHeld })
		time.Sleep(100 * time.Millisecond) // any more it would close
		return len(conns) - int(closed.Load())
	}
	defer func() {
		for _, c := range all {
			c.Close()
		}
	}()

	perAddress := `cognito_totp_serve_refusals_total{reason="max_startups_per_address"}`
	inAll := `cognito_totp_serve_refusals_total{reason="max_startups"}`
	held := flood(100, lim.Start, "127.0.0.2")
	if held > lim.Start {
		t.Errorf("100 connections from one address, none authenticated: %d held; want at most %d", held, lim.Start)
	}
	// Each refused either for its address, or first, at random, in all (from
	// start on, a new connection is dropped at rate% before its address is
	// looked at).
	if a, b := ts.metric(t, perAddress), ts.metric(t, inAll); a < 1 || a+b < float64(100-held) {
		t.Errorf("refusals_total: %v for the address, %v in all; want %d in all, some for the address", a, b, 100-held)
	}
	servedHonestly(t, ts)

	var many []string
	for i := range 20 {
		many = append(many, fmt.Sprintf("127.0.0.%d", 10+i))
	}
	if held += flood(5, lim.Full-held, many...); held > lim.Full {
		t.Errorf("200 connections from 21 addresses, none authenticated: %d held; want at most %d", held, lim.Full)
	}
	checkHeap(t, base, heap.end(), retainedHeap(), smallRetained)
	for _, c := range all {
		c.Close()
	}
	servedHonestly(t, ts)
}

// metric is one series of the server's /metrics, scraped as Prometheus would.
func (ts *testServer) metric(t *testing.T, series string) float64 {
	t.Helper()
	web := httptest.NewServer(ts.Handler())
	defer web.Close()
	return scrape(t, web.URL)[series]
}

// TestHostileTerminalType: a pty-req whose terminal type is not a short
// printable name is refused and counted, and the channel may still ask for
// a proper one.
func TestHostileTerminalType(t *testing.T) {
	ts := startServer(t, Config{})
	ch := rawSession(t, dialFrom(t, ts, "127.0.0.2"))
	for _, term := range []string{strings.Repeat("x", 30<<10), "xterm\x1b]0;hi\x07", ""} {
		if request(t, ch, "pty-req", ptyReq(term, 80, 24)) {
			t.Errorf("a pty-req for terminal type %.20q (%d bytes) was taken; want it refused", term, len(term))
		}
	}
	if !request(t, ch, "pty-req", ptyReq("xterm-256color", 80, 24)) {
		t.Error("a proper pty-req after refused ones was refused")
	}
	if got := ts.metric(t, `cognito_totp_serve_refusals_total{reason="terminal_refused"}`); got != 3 {
		t.Errorf("refusals_total{reason=terminal_refused} = %v, want 3", got)
	}
	if n := strings.Count(ts.logs.String(), `reason="terminal request refused"`); n != 1 {
		t.Errorf("%d log lines for 3 refused pty-reqs; want 1", n)
	}
}

// TestStartupsCountUntilASessionOpens: a connection that authenticated but
// opened no session still counts against --max-startups (so a flood of
// them is bounded too); once it opens a session, it no longer does.
func TestStartupsCountUntilASessionOpens(t *testing.T) {
	ts := startServer(t, Config{MaxStartups: Startups{Start: 2, Rate: 100, Full: 2}})
	a := dialFrom(t, ts, "127.0.0.2")
	b := dialFrom(t, ts, "127.0.0.3")
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.4")}, Timeout: patience}
	third, err := d.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	_ = third.SetReadDeadline(time.Now().Add(patience))
	if _, err := io.Copy(io.Discard, third); err != nil {
		t.Fatalf("a third connection while two logged-in ones had no session: %v; want it closed at once", err)
	}
	rawSession(t, a)
	rawSession(t, b)
	servedHonestly(t, ts)
}

// TestStartupsBehindABalancer: behind a balancer, a connection counts
// against --max-startups in all while the server waits for its PROXY header
// (one that never sends it holds a descriptor meanwhile), and against its
// client's address once the header says it: many clients through one
// balancer are not taken for one.
func TestStartupsBehindABalancer(t *testing.T) {
	ts := startServer(t, Config{MaxStartups: Startups{Start: 1, Rate: 0, Full: 3}, ProxyProtocol: true,
		ProxyAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	ts.startups.mu.Lock()
	ts.startups.roll = func() int { return 99 } // no early drop: only full refuses in all
	ts.startups.mu.Unlock()
	dial := func(from string) net.Conn {
		c, err := net.DialTimeout("tcp", ts.addr, patience)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if from != "" {
			if _, err := withProxyHeader(2, from)(c); err != nil {
				t.Fatal(err)
			}
			_, _ = io.WriteString(c, "SSH-2.0-slow\r\n")
		}
		return c
	}
	closedAtOnce := func(c net.Conn) bool {
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		_, err := io.Copy(io.Discard, c)
		return !isTimeout(err)
	}
	// Two clients through the one balancer, each with its own header: each
	// within its own address's share (1).
	a, b := dial("192.0.2.1:5000"), dial("192.0.2.2:5000")
	if closedAtOnce(a) || closedAtOnce(b) {
		t.Fatal("two clients of one balancer were taken for one address")
	}
	// One that sends no header yet: the third in all, and the last.
	silent := dial("")
	if closedAtOnce(silent) {
		t.Fatal("a connection waiting for its PROXY header was refused below full")
	}
	if !closedAtOnce(dial("")) {
		t.Error("a fourth connection while three wait (one for its header) was not refused at once")
	}
	silent.Close()
	ts.waitForLog(t, `reason="no valid PROXY header from an allowed balancer"`) // and its place freed
	if !closedAtOnce(dial("192.0.2.1:5001")) {
		t.Error("a second connection from 192.0.2.1 was not refused for its address")
	}
	for reason, want := range map[string]float64{"max_startups": 1, "max_startups_per_address": 1} {
		if got := ts.metric(t, `cognito_totp_serve_refusals_total{reason="`+reason+`"}`); got != want {
			t.Errorf("refusals_total{reason=%s} = %v, want %v", reason, got, want)
		}
	}
}

// TestHostileChannelsReopenedWithoutShell: a connection that opens session
// channels and, as each is closed for asking for no session, opens another,
// never asking for one, would hold its slots of --max-sessions for as long
// as it likes. Its connection is closed once it has gone the start timeout
// without a session asked for, whatever channels it keeps opening, so an
// honest client finds room again.
func TestHostileChannelsReopenedWithoutShell(t *testing.T) {
	const startTimeout = 300 * time.Millisecond
	ts := startServer(t, Config{MaxSessions: MaxChannelsPerConn, StartTimeout: startTimeout})
	c := dialFrom(t, ts, "127.0.0.2")
	closed := make(chan struct{})
	go func() { _ = c.Wait(); close(closed) }()
	start := time.Now()
	for range MaxChannelsPerConn {
		go func() {
			for {
				ch, reqs, err := c.OpenChannel("session", nil)
				if err != nil {
					select {
					case <-closed:
						return
					case <-time.After(10 * time.Millisecond):
						continue
					}
				}
				go gossh.DiscardRequests(reqs)
				_, _ = io.Copy(io.Discard, ch) // until the server closes it
				_ = ch.Close()
			}
		}()
	}
	select {
	case <-closed:
	case <-time.After(10 * startTimeout):
		t.Fatalf("a connection that kept reopening channels without asking for a session was still open after %s (start timeout %s)",
			time.Since(start).Round(time.Millisecond), startTimeout)
	}
	if took := time.Since(start); took < startTimeout {
		t.Errorf("the connection was closed after %s, before the start timeout %s", took, startTimeout)
	}
	eventually.Until(patience, func() bool { return ts.liveCount() == 0 })
	if n := ts.liveCount(); n != 0 {
		t.Fatalf("%d slots still held after the connection was closed", n)
	}
	servedHonestly(t, ts)
}
