// Package serve offers the wizard over SSH (charm.land/wish/v2), so people can
// enroll with `ssh -p 2222 host` and nothing installed. Each SSH session runs
// its own Bubble Tea program with its own flow state; the server adds what a
// shared door needs: a host key kept on disk, optional authorized_keys, a
// terminal required, caps on sessions and on new connections per address, an
// idle timeout and a graceful shutdown. It never runs a shell, a command or a
// forward.
package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/pires/go-proxyproto"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Defaults for the serve command's flags.
const (
	DefaultListen          = "127.0.0.1:2222"
	DefaultIdleTimeout     = 5 * time.Minute
	DefaultMaxSessions     = 50
	DefaultMaxNewPerMinute = 20
	DefaultShutdownGrace   = 30 * time.Second
)

// DefaultHandshakeTimeout bounds a connection that never finishes the SSH
// handshake, one that sends nothing at all included.
const DefaultHandshakeTimeout = 30 * time.Second

// Config says how the server runs. Every field but AuthorizedKeys and Log is required.
type Config struct {
	HostKeyPath     string        // made (ed25519, 0600, directory 0700) on first start, reused after
	AuthorizedKeys  string        // empty: any SSH client (the Cognito sign-in is the authentication); else only these keys
	IdleTimeout     time.Duration // a session with no key pressed for this long is closed
	MaxSessions     int           // live wizards at once
	MaxNewPerMinute int           // new connections per source address in any minute
	ShutdownGrace   time.Duration // how long live sessions may run on after shutdown starts
	Wizards         Wizards       // a new wizard for each session
	Log             *slog.Logger  // nil: no log
	// Lang is the language of a session whose client sends none (no LANG,
	// LC_*, LANGUAGE or COGNITO_TOTP_LANG): the server's --lang or profile
	// lang, never its own LANG. nil: English.
	Lang *i18n.Localizer

	HandshakeTimeout time.Duration // 0: DefaultHandshakeTimeout
	StartTimeout     time.Duration // a session channel with no shell asked for, or a connection with no session channel, is closed after this long; 0: DefaultStartTimeout
	MaxStartups      Startups      // connections not yet logged in (authenticated, a session opened); zero: DefaultMaxStartups
	MaxQueuedOutput  int           // bytes of a session's output waiting for a client that does not read; 0: DefaultMaxQueuedOutput
	DrainDelay       time.Duration // on shutdown, /readyz says unready and new sessions are still taken for this long first
	Metrics          *Metrics      // nil: a registry of the server's own

	// Behind a TCP balancer: each connection from a source in ProxyAllow
	// must begin with a PROXY protocol header (v1 or v2), whose client
	// address the limits and the log then use; a header from any other
	// source is refused; a connection with no header from another source
	// is served as it is.
	ProxyProtocol bool
	ProxyAllow    []netip.Prefix

	// PropagateClientIP sends each session's client address (the PROXY
	// header's, when in use) to Cognito as UserContextData.IpAddress on
	// every sign-in call, so threat protection judges each person by their
	// own address. Cognito takes it only from an app client with a secret
	// and EnablePropagateAdditionalUserContextData.
	PropagateClientIP bool

	// rateWindow is MaxNewPerMinute's window; 0: a minute. Tests only: one
	// that must see a connection refused for the rate for longer than a
	// minute sets it longer.
	rateWindow time.Duration
	// resized, when set, is called with each terminal size a session's
	// wizard is given. Tests only.
	resized func(w, h int)
	// wrap, when set, wraps each session's wizard model. Tests only: one
	// makes the wizard panic.
	wrap func(tea.Model) tea.Model
}

func (c Config) check() error {
	switch {
	case c.HostKeyPath == "":
		return errors.New("the SSH server needs a host key file: give --host-key")
	case c.IdleTimeout <= 0:
		return fmt.Errorf("--idle-timeout must be more than zero; got %s", c.IdleTimeout)
	case c.MaxSessions < 1:
		return fmt.Errorf("--max-sessions must be at least 1; got %d", c.MaxSessions)
	case c.MaxNewPerMinute < 1:
		return fmt.Errorf("--max-new-per-minute must be at least 1; got %d", c.MaxNewPerMinute)
	case c.ShutdownGrace < 0:
		return fmt.Errorf("--shutdown-grace cannot be negative; got %s", c.ShutdownGrace)
	case c.HandshakeTimeout < 0:
		return fmt.Errorf("--handshake-timeout cannot be negative; got %s", c.HandshakeTimeout)
	case c.StartTimeout < 0:
		return fmt.Errorf("--start-timeout cannot be negative; got %s", c.StartTimeout)
	case c.DrainDelay < 0:
		return fmt.Errorf("--drain-delay cannot be negative; got %s", c.DrainDelay)
	case c.MaxQueuedOutput < 0:
		return fmt.Errorf("the output queue cannot be negative; got %d", c.MaxQueuedOutput)
	case c.ProxyProtocol && len(c.ProxyAllow) == 0:
		return errors.New("--proxy-protocol needs --proxy-allow: the balancers' addresses (CIDR), whose PROXY headers are believed")
	case !c.ProxyProtocol && len(c.ProxyAllow) > 0:
		return errors.New("--proxy-allow is for --proxy-protocol; give both, or neither")
	case c.Wizards == nil:
		return errors.New("serve: Config.Wizards is nil")
	}
	if c.MaxStartups != (Startups{}) {
		return c.MaxStartups.check()
	}
	return nil
}

// Server is the SSH server. Make one with New and run it with Serve.
type Server struct {
	cfg      Config
	log      *slog.Logger
	ssh      *ssh.Server
	hostKey  gossh.Signer
	limiter  *rateLimiter
	startups *startupGate
	ids      atomic.Uint64
	closing  atomic.Bool // shutdown has begun: no new sessions
	metrics  *Metrics
	// For /healthz and /readyz: the SSH listener is accepting; shutdown has
	// been asked for (set first, before the drain delay and the grace).
	accepting, draining atomic.Bool
	stopped             chan struct{} // closed when Serve returns
	fdLogged            atomic.Bool   // out of descriptors was logged in the last minute

	mu       sync.Mutex
	live     map[*liveSession]struct{} // sessions holding a slot
	handlers int                       // session handlers running, live or not
	changed  chan struct{}             // closed (and replaced) when a handler returns
}

// New loads or makes the host key, checks the authorized_keys file if one is
// given, and returns a server ready to Serve.
func New(cfg Config) (*Server, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.HandshakeTimeout == 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = DefaultStartTimeout
	}
	if cfg.MaxStartups == (Startups{}) {
		cfg.MaxStartups = DefaultMaxStartups
	}
	if cfg.MaxQueuedOutput == 0 {
		cfg.MaxQueuedOutput = DefaultMaxQueuedOutput
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	hostKey, created, err := loadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	if created {
		log.Info("made a new host key", "path", cfg.HostKeyPath, "fingerprint", gossh.FingerprintSHA256(hostKey.PublicKey()))
	}
	s := &Server{
		cfg:      cfg,
		log:      log,
		hostKey:  hostKey,
		limiter:  newRateLimiter(cfg.MaxNewPerMinute, cmp.Or(cfg.rateWindow, time.Minute), time.Now),
		startups: newStartupGate(cfg.MaxStartups),
		live:     map[*liveSession]struct{}{},
		changed:  make(chan struct{}),
		metrics:  cfg.Metrics,
		stopped:  make(chan struct{}),
	}
	s.ssh = &ssh.Server{
		Handler:      s.handle,
		HostSigners:  []ssh.Signer{hostKey},
		Version:      "cognito-totp",
		ConnCallback: s.onConnect,
		ConnectionFailedCallback: func(c net.Conn, err error) {
			s.metrics.refused(refuseHandshake)
			s.log.Info("refused", "remote", c.RemoteAddr().String(), "reason", refuseHandshake.String(), "error", err.Error())
		},
		// The connection-level IdleTimeout of charm.land/ssh is not used: it
		// races with the handshake (v0.4.2), and a person's idleness is the
		// session's (keys pressed), not the connection's. onConnect closes a
		// connection that holds no session channel for the start timeout instead.
		HandshakeTimeout: cfg.HandshakeTimeout,
		// Sessions only: no forwarding of any kind, no global requests, no
		// subsystems (sftp). Exec requests reach handle, which refuses them.
		ChannelHandlers:   map[string]ssh.ChannelHandler{"session": s.sessionChannel},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
	}
	// The wizard runs in an emulated terminal: no pseudo-terminal device per
	// session, and every byte the person sends passes through handle, which
	// is what the idle timeout watches.
	if err := s.ssh.SetOption(ssh.EmulatePty()); err != nil {
		return nil, err
	}
	if err := s.setAuth(); err != nil {
		return nil, err
	}
	return s, nil
}

// HostKey is the server's public host key, for known_hosts.
func (s *Server) HostKey() gossh.PublicKey { return s.hostKey.PublicKey() }

// Serve accepts SSH connections on ln until ctx is done, then stops
// accepting, lets live sessions run for up to the shutdown grace, closes what
// is left and returns nil. It returns an error only if serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer close(s.stopped)
	auth := "any SSH client"
	if s.cfg.AuthorizedKeys != "" {
		auth = "keys in " + s.cfg.AuthorizedKeys
	}
	budget := descriptorBudget(s.cfg.MaxSessions)
	s.log.Info("listening", "addr", ln.Addr().String(), "host_key", gossh.FingerprintSHA256(s.HostKey()), "auth", auth,
		"max_sessions", s.cfg.MaxSessions, "max_new_per_minute", s.cfg.MaxNewPerMinute, "idle_timeout", s.cfg.IdleTimeout,
		"max_startups", s.cfg.MaxStartups.String(), "start_timeout", s.cfg.StartTimeout, "connection_budget", budget)
	ln = newGuardListener(ln, budget, s.refusedDescriptors)
	if s.cfg.ProxyProtocol {
		ln = &proxyproto.Listener{Listener: ln, ConnPolicy: s.proxyPolicy, ReadHeaderTimeout: proxyHeaderTimeout}
	}
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(ln) }()
	s.accepting.Store(true)
	select {
	case err := <-errc:
		s.accepting.Store(false)
		return fmt.Errorf("the SSH server stopped: %w", err)
	case <-ctx.Done():
	}

	// Unready first, so a balancer stops sending new sessions; they are
	// still taken for the drain delay, while it notices.
	s.draining.Store(true)
	if s.cfg.DrainDelay > 0 {
		s.log.Info("draining: unready, still taking sessions", "drain_delay", s.cfg.DrainDelay)
		select {
		case <-time.After(s.cfg.DrainDelay):
		case err := <-errc:
			s.accepting.Store(false)
			return fmt.Errorf("the SSH server stopped: %w", err)
		}
	}
	s.closing.Store(true)
	// Stop accepting now; waiting for the sessions is done below, with our
	// own bound, so the shutdown call itself is given no time.
	now, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.ssh.Shutdown(now)
	_ = ln.Close()
	s.accepting.Store(false)
	s.log.Info("shutting down", "live_sessions", s.liveCount(), "grace", s.cfg.ShutdownGrace)
	if !s.waitSessions(s.cfg.ShutdownGrace) {
		s.log.Info("shutdown grace is over: closing live sessions", "sessions", s.endAll(endShutdown))
		s.waitSessions(2 * time.Second) // time for each to say why it closed
	}
	_ = s.ssh.Close()
	<-errc
	s.log.Info("stopped")
	return nil
}

// connState is what the server knows of one TCP connection.
type connState struct {
	conn    net.Conn // the TCP connection, to drop it whole
	ip      string
	rateOK  bool         // the connection was within the per-address cap when it arrived
	opened  atomic.Int32 // sessions opened on it so far
	startup func()       // frees its place among the connections not yet logged in (--max-startups)

	mu              sync.Mutex
	authed          bool
	channels        int       // session channels open on it now
	channelsRefused int       // session channels refused for MaxChannelsPerConn
	sessions        int       // channels open on it now that asked for a session (a shell or a command)
	quiet           time.Time // since when it has had no session (from when it authenticated)
	reaper          *time.Timer
	closed          bool
}

type connKey struct{}

// onConnect admits a new connection, before the handshake, so the caps hold
// whatever the client does next: it counts against the connections not yet
// authenticated (--max-startups, in all and from its address) and against
// the new connections from its address; and it sees that a connection
// holding no session channel does not stay open past the start timeout (a
// session has its own watch, on keys pressed).
func (s *Server) onConnect(ctx ssh.Context, c net.Conn) net.Conn {
	raw := c
	if pc, ok := c.(*proxyproto.Conn); ok {
		raw = pc.Raw() // its RemoteAddr would wait for the header
	}
	// Counted in all at once, before any PROXY header: a connection that
	// sends none holds a descriptor until the header timeout.
	st, why := s.startups.admit()
	if why != reasonNone {
		s.refusedQuietly(why, raw.RemoteAddr().String())
		return nil // charm.land/ssh closes it
	}
	if pc, ok := c.(*proxyproto.Conn); ok {
		// Read the header now, on this connection's goroutine, so that a
		// refused one never reaches the handshake and RemoteAddr is the client's.
		if _, err := pc.Read(nil); err != nil {
			st.release()
			why := refuseProxyMissing
			if errors.Is(err, proxyproto.ErrSuperfluousProxyHeader) {
				why = refuseProxy
			}
			s.metrics.refused(why)
			s.log.Info("refused", "remote", raw.RemoteAddr().String(), "reason", why.String(), "error", err.Error())
			return nil
		}
	}
	// Then by source address: the client's, after the PROXY header.
	ip := hostOf(c.RemoteAddr())
	if !st.admitFrom(ip) {
		st.release()
		s.refusedQuietly(refuseStartupsAddress, c.RemoteAddr().String())
		return nil
	}
	cs := &connState{conn: c, ip: ip, rateOK: s.limiter.allow(ip), startup: st.release, quiet: time.Now()}
	ctx.SetValue(connKey{}, cs)
	limit := s.cfg.StartTimeout
	reap := func() {
		cs.mu.Lock()
		defer cs.mu.Unlock()
		if cs.closed {
			return
		}
		if !cs.authed {
			cs.reaper.Reset(limit) // the handshake timeout is its bound
			return
		}
		// Channels that ask for no session do not keep it open: each is
		// closed after the start timeout, and a client could open another
		// as each one closes, holding slots of --max-sessions for ever.
		if left := limit - time.Since(cs.quiet); cs.sessions > 0 || left > 0 {
			cs.reaper.Reset(max(left, limit/4))
			return
		}
		s.refusedQuietly(refuseNoShell, c.RemoteAddr().String())
		_ = c.Close()
	}
	cs.mu.Lock()
	cs.reaper = time.AfterFunc(limit, reap)
	cs.mu.Unlock()
	return &trackedConn{Conn: c, state: cs}
}

// authenticated marks the connection of ctx as past authentication: from
// now it must open a session within the start timeout. It still counts
// against --max-startups until it does (see sessionChannel): an auth
// handler's yes is not yet a login (gossh asks it about a key before the
// client has proved it holds it).
func authenticated(ctx ssh.Context) {
	cs, _ := ctx.Value(connKey{}).(*connState)
	if cs == nil {
		return
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if !cs.authed {
		cs.authed = true
		cs.quiet = time.Now()
	}
}

func (s *Server) refusedDescriptors(why reason) {
	s.metrics.refused(why)
	// Not logged each time: when descriptors run short, the log would be
	// the next thing to take them.
	if s.fdLogged.CompareAndSwap(false, true) {
		s.log.Warn("refusing connections: out of file descriptors (raise ulimit -n, or lower --max-sessions and --max-startups)")
		time.AfterFunc(time.Minute, func() { s.fdLogged.Store(false) })
	}
}

// proxyHeaderTimeout bounds the wait for a PROXY header: a balancer sends
// it at once.
const proxyHeaderTimeout = 5 * time.Second

// proxyPolicy: a source in ProxyAllow must send a PROXY header; any other
// must not.
func (s *Server) proxyPolicy(o proxyproto.ConnPolicyOptions) (proxyproto.Policy, error) {
	if t, ok := o.Upstream.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(t.IP); ok {
			for _, p := range s.cfg.ProxyAllow {
				if p.Contains(ip.Unmap()) {
					return proxyproto.REQUIRE, nil
				}
			}
		}
	}
	return proxyproto.REJECT, nil
}

// ParseProxyAllow reads --proxy-allow: CIDRs or single addresses, comma-separated.
func ParseProxyAllow(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range list {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("--proxy-allow: %q is not a CIDR (10.0.0.0/8) or an address", item)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// trackedConn stops its connection's reaper when it closes.
type trackedConn struct {
	net.Conn
	state *connState
}

func (t *trackedConn) Close() error {
	t.state.mu.Lock()
	t.state.closed = true
	t.state.reaper.Stop()
	t.state.mu.Unlock()
	t.state.startup()
	return t.Conn.Close()
}

func connOf(sess ssh.Session) *connState {
	cs, _ := sess.Context().Value(connKey{}).(*connState)
	return cs
}

// channelOpened counts a new session channel on the connection, unless it
// has MaxChannelsPerConn open already; first says whether this is the
// connection's first channel refused.
func (cs *connState) channelOpened() (opened, first bool) {
	if cs == nil {
		return true, false
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.channels >= MaxChannelsPerConn {
		cs.channelsRefused++
		return false, cs.channelsRefused == 1
	}
	cs.channels++
	// A session channel opens only after the login: the connection no
	// longer counts against --max-startups.
	cs.startup()
	return true, false
}

// sessionStarted counts a channel of the connection that asked for a
// session: while one is open, the connection is not closed for want of one.
func (cs *connState) sessionStarted(l *liveSession) {
	if cs == nil {
		return
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	l.started = true
	cs.sessions++
}

// channelClosed uncounts the channel of l.
func (cs *connState) channelClosed(l *liveSession) {
	if cs == nil {
		return
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.channels--
	if l.started {
		if cs.sessions--; cs.sessions == 0 {
			cs.quiet = time.Now()
		}
	}
}

// rateOK says whether a new session on this connection is within the cap.
// The first session rides on its connection's count; any further session on
// the same connection counts as a new connection, so multiplexing does not
// get round the cap.
func (s *Server) rateOK(sess ssh.Session) bool {
	cs := connOf(sess)
	if cs == nil {
		return s.limiter.allow(hostOf(sess.RemoteAddr()))
	}
	if cs.opened.Add(1) == 1 {
		return cs.rateOK
	}
	return s.limiter.allow(cs.ip)
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// track registers a live session unless the server is full or closing, and
// says which.
func (s *Server) track(l *liveSession) (refusal reason) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing.Load():
		return refuseClosing
	case len(s.live) >= s.cfg.MaxSessions:
		return refuseBusy
	}
	s.live[l] = struct{}{}
	s.metrics.active.Inc()
	return reasonNone
}

func (s *Server) untrack(l *liveSession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[l]; ok {
		delete(s.live, l)
		s.metrics.active.Dec()
	}
}

// enter and leave count the session handlers, so a shutdown can wait for
// every one to have told its client how it ended.
func (s *Server) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers++
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers--
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) liveCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// waitSessions waits up to d for every session handler to return and
// reports whether they all did.
func (s *Server) waitSessions(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		s.mu.Lock()
		n, changed := s.handlers, s.changed
		s.mu.Unlock()
		if n == 0 {
			return true
		}
		select {
		case <-changed:
		case <-timer.C:
			return false
		}
	}
}

// endAll ends every live session for why and returns how many there were.
func (s *Server) endAll(why reason) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for l := range s.live {
		l.end(why)
	}
	return len(s.live)
}
