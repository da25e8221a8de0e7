package serve

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Startups bounds the connections that have not yet logged in
// (authenticated and opened a session channel), as OpenSSH's MaxStartups
// start:rate:full: from Start of them on, a new one is dropped with
// probability Rate%, rising linearly to 100% at Full. No more than Start of
// them come from any one source address.
type Startups struct{ Start, Rate, Full int }

// DefaultMaxStartups is OpenSSH's default.
var DefaultMaxStartups = Startups{Start: 10, Rate: 30, Full: 100}

func (m Startups) String() string { return fmt.Sprintf("%d:%d:%d", m.Start, m.Rate, m.Full) }

// ParseStartups reads --max-startups: start:rate:full, or one number, a hard cap.
func ParseStartups(s string) (Startups, error) {
	bad := fmt.Errorf("--max-startups must be start:rate:full (like 10:30:100) or one number; got %q", s)
	parts := strings.Split(s, ":")
	var n [3]int
	for i, p := range parts {
		if i >= 3 {
			return Startups{}, bad
		}
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return Startups{}, bad
		}
		n[i] = v
	}
	var m Startups
	switch len(parts) {
	case 1:
		m = Startups{Start: n[0], Rate: 100, Full: n[0]}
	case 3:
		m = Startups{Start: n[0], Rate: n[1], Full: n[2]}
	default:
		return Startups{}, bad
	}
	return m, m.check()
}

func (m Startups) check() error {
	switch {
	case m.Start < 1:
		return fmt.Errorf("--max-startups: start must be at least 1; got %s", m)
	case m.Rate < 0 || m.Rate > 100:
		return fmt.Errorf("--max-startups: rate is a percentage, 0 to 100; got %s", m)
	case m.Full < m.Start:
		return fmt.Errorf("--max-startups: full cannot be less than start; got %s", m)
	}
	return nil
}

// startupGate counts the connections not yet logged in, in all and by
// source address.
type startupGate struct {
	lim  Startups
	roll func() int // 0 to 99

	mu     sync.Mutex
	total  int
	byAddr map[string]int
}

func newStartupGate(lim Startups) *startupGate {
	return &startupGate{lim: lim, roll: func() int { return rand.IntN(100) }, byAddr: map[string]int{}}
}

// startup is one connection counted by a startupGate.
type startup struct {
	g    *startupGate
	ip   string // "" until admitFrom
	once sync.Once
}

// admit counts a new connection in all, or says why it is refused (full,
// or dropped early). Once its source address is known, admitFrom counts it
// there too.
func (g *startupGate) admit() (*startup, reason) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch n := g.total; {
	case n >= g.lim.Full:
		return nil, refuseStartups
	case n >= g.lim.Start:
		p := g.lim.Rate
		if g.lim.Full > g.lim.Start {
			p += (100 - g.lim.Rate) * (n - g.lim.Start) / (g.lim.Full - g.lim.Start)
		}
		if g.roll() < p {
			return nil, refuseStartups
		}
	}
	g.total++
	return &startup{g: g}, reasonNone
}

// admitFrom counts st against its source address ip, unless that address
// has Start of them already.
func (st *startup) admitFrom(ip string) bool {
	g := st.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byAddr[ip] >= g.lim.Start {
		return false
	}
	g.byAddr[ip]++
	st.ip = ip
	return true
}

// release uncounts st; it may be called more than once.
func (st *startup) release() {
	st.once.Do(func() {
		g := st.g
		g.mu.Lock()
		defer g.mu.Unlock()
		g.total--
		if st.ip == "" {
			return
		}
		if g.byAddr[st.ip]--; g.byAddr[st.ip] <= 0 {
			delete(g.byAddr, st.ip)
		}
	})
}

// guardListener keeps the SSH listener from taking the process's last file
// descriptors, which /healthz, the host key and the Cognito calls need too:
// past a budget of open connections a new one is closed at once; and when
// accept fails for want of descriptors (EMFILE, ENFILE) the connection
// waiting is taken with a descriptor kept in reserve and closed, so its
// client hears a refusal, and accept backs off instead of spinning.
type guardListener struct {
	net.Listener
	refused func(reason)
	budget  int64 // connections open at once; 0: no budget
	open    atomic.Int64
	sleep   func(time.Duration)

	mu      sync.Mutex
	reserve *os.File
}

func newGuardListener(ln net.Listener, budget int64, refused func(reason)) *guardListener {
	g := &guardListener{Listener: ln, refused: refused, budget: budget, sleep: time.Sleep}
	g.reserve, _ = os.Open(os.DevNull)
	return g
}

func (g *guardListener) Accept() (net.Conn, error) {
	var backoff time.Duration
	for {
		c, err := g.Listener.Accept()
		if err == nil {
			if g.budget > 0 && g.open.Load() >= g.budget {
				g.refused(refuseDescriptors)
				_ = c.Close()
				continue
			}
			g.open.Add(1)
			return &countedConn{Conn: c, open: &g.open}, nil
		}
		if !errors.Is(err, syscall.EMFILE) && !errors.Is(err, syscall.ENFILE) {
			return nil, err
		}
		g.refused(refuseDescriptors)
		g.mu.Lock()
		if g.reserve != nil {
			_ = g.reserve.Close()
			if c, err := g.Listener.Accept(); err == nil {
				_ = c.Close()
			}
			g.reserve, _ = os.Open(os.DevNull)
		}
		g.mu.Unlock()
		backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
		g.sleep(backoff)
	}
}

func (g *guardListener) Close() error {
	err := g.Listener.Close()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.reserve != nil {
		_ = g.reserve.Close()
		g.reserve = nil
	}
	return err
}

// countedConn leaves its guardListener's count when it closes.
type countedConn struct {
	net.Conn
	open *atomic.Int64
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}
