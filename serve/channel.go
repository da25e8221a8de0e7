package serve

import (
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what one client may ask of a session channel. A terminal is as
// large as a person can have; each cell of the wizard's screen costs a few
// hundred bytes, so a size is never taken as it comes.
const (
	MaxTermWidth      = 512 // columns
	MaxTermHeight     = 256 // rows
	defaultTermWidth  = 80  // for a terminal that says 0 (ssh -tt with no terminal of its own)
	defaultTermHeight = 24

	// MaxChannelsPerConn is how many session channels one connection may
	// have open at once, as OpenSSH's MaxSessions: the wizard needs one.
	MaxChannelsPerConn = 3

	// MaxEnvVars is how many environment variables one session may set,
	// each of at most MaxEnvValue bytes, and only those the server reads.
	MaxEnvVars  = 32
	MaxEnvValue = 256

	// resizeFrame is how often a session's new window size is passed on to
	// its wizard: within a frame only the last size matters.
	resizeFrame = 50 * time.Millisecond

	// maxTermName bounds the terminal type of a pty-req (xterm-256color).
	maxTermName = 64

	// maxQueuedRequests is how many requests wait for the session's own
	// loop before the client's are no longer read (which holds it back).
	maxQueuedRequests = 8
)

// DefaultStartTimeout is how long a session channel may stay open without
// asking for its session (a shell), and a connection without a session.
const DefaultStartTimeout = 10 * time.Second

// envAllowed says whether a session may set the environment variable name:
// only those the server reads (the language, the terminal's colours).
func envAllowed(name string) bool {
	switch name {
	case "LANG", "LANGUAGE", "COGNITO_TOTP_LANG", "TERM", "COLORTERM", "NO_COLOR",
		"CLICOLOR", "CLICOLOR_FORCE", "COLORFGBG", "TERM_PROGRAM":
		return true
	}
	rest, ok := strings.CutPrefix(name, "LC_")
	if !ok || rest == "" || len(rest) > 16 {
		return false
	}
	for _, r := range rest {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

// clampSize is the terminal size a session's wizard is given for what the
// client asked: 0 is the usual 80x24 (a client with no terminal of its own
// says 0x0), and more than a person can have is cut to MaxTermWidth x
// MaxTermHeight.
func clampSize(w, h uint32) (int, int) {
	if w == 0 {
		w = defaultTermWidth
	}
	if h == 0 {
		h = defaultTermHeight
	}
	return int(min(w, MaxTermWidth)), int(min(h, MaxTermHeight))
}

// clampPtyRequest returns a pty-req payload (RFC 4254 6.2: string TERM,
// uint32 columns, rows, width and height in pixels, string modes) with its
// size clamped, or false for one that does not parse or whose terminal type
// is not a name.
func clampPtyRequest(p []byte) ([]byte, bool) {
	if len(p) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(p)
	if n == 0 || n > maxTermName || uint64(len(p)) < 4+uint64(n)+16 {
		return nil, false
	}
	for _, c := range p[4 : 4+n] {
		if c <= ' ' || c > '~' {
			return nil, false
		}
	}
	out := append([]byte(nil), p...)
	clampWindow(out[4+n:])
	return out, true
}

// clampWindow clamps the columns and rows at the start of b in place.
func clampWindow(b []byte) {
	w, h := clampSize(binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]))
	binary.BigEndian.PutUint32(b, uint32(w))
	binary.BigEndian.PutUint32(b[4:], uint32(h))
}

type liveKey struct{}

// liveOf is the slot of a session's channel.
func liveOf(sess ssh.Session) *liveSession {
	l, _ := sess.Context().Value(liveKey{}).(*liveSession)
	if l == nil {
		// Not a channel of sessionChannel's: nothing to free.
		l = &liveSession{release: func() {}}
	}
	return l
}

// sessionChannel takes each "session" channel. Before the session's own
// request loop (charm.land/ssh's) sees anything, it caps the channels on one
// connection, takes the channel's slot against MaxSessions from the moment
// it opens, closes it if no session is asked for within the start timeout,
// and passes its requests through a requestFilter.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	cs, _ := ctx.Value(connKey{}).(*connState)
	if opened, first := cs.channelOpened(); !opened {
		s.metrics.refused(refuseChannels)
		if first { // logged once a connection: a client may ask again and again
			s.log.Info("refused", "remote", conn.RemoteAddr().String(), "reason", refuseChannels.String(), "max", MaxChannelsPerConn)
		}
		_ = nc.Reject(gossh.ResourceShortage, fmt.Sprintf("at most %d sessions at once on one connection", MaxChannelsPerConn))
		return
	}
	live := &liveSession{resized: s.cfg.resized}
	defer cs.channelClosed(live)
	live.refusal = s.track(live)
	var once sync.Once
	live.release = func() { once.Do(func() { s.untrack(live) }) }
	defer func() {
		if !live.handled.Load() {
			live.release() // no handler ran to free it
		}
	}()
	ch, reqs, err := nc.Accept()
	if err != nil {
		return
	}
	live.mu.Lock()
	live.ch = ch
	live.mu.Unlock()
	timer := time.AfterFunc(s.cfg.StartTimeout, func() {
		if !live.handled.Load() {
			s.refusedQuietly(refuseNoShell, conn.RemoteAddr().String())
			_ = ch.Close()
		}
	})
	defer timer.Stop()

	cctx := &channelContext{Context: ctx, values: map[any]any{liveKey{}: live}}
	f := &requestFilter{s: s, live: live, conn: cs, remote: conn.RemoteAddr().String()}
	out := make(chan *gossh.Request)
	go f.run(reqs, out)
	ssh.DefaultSessionHandler(srv, conn, acceptedChannel{NewChannel: nc, ch: ch, reqs: out}, cctx)
}

// refusedQuietly counts and logs a refusal nobody is told of in words.
func (s *Server) refusedQuietly(why reason, remote string) {
	s.metrics.refused(why)
	s.log.Info("refused", "remote", remote, "reason", why.String())
}

// acceptedChannel is a channel already accepted, whose requests come
// through a requestFilter, for charm.land/ssh's session handler.
type acceptedChannel struct {
	gossh.NewChannel
	ch   gossh.Channel
	reqs <-chan *gossh.Request
}

func (a acceptedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	return a.ch, a.reqs, nil
}

// channelContext gives each session channel values of its own (its slot;
// the session charm.land/ssh keeps there) over its connection's context.
type channelContext struct {
	ssh.Context
	mu     sync.Mutex
	values map[any]any
}

func (c *channelContext) Value(key any) any {
	c.mu.Lock()
	v, ok := c.values[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	return c.Context.Value(key)
}

func (c *channelContext) SetValue(key, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[key] = value
}

// requestFilter stands between a session channel and its request loop. It
// answers what the server does not do (subsystems, forwarding, signals) with
// a refusal; clamps every terminal size; keeps only the environment
// variables the server reads, few and short; lets one shell or command
// through; and passes window changes on at most once a frame, the last size
// of the frame, so a flood of them costs the wizard nothing.
type requestFilter struct {
	s      *Server
	live   *liveSession
	conn   *connState // nil outside a connection of onConnect's
	remote string

	pty, handled bool
	ptyRefused   bool // a pty-req was refused (logged once)
	envs         int  // variables taken
	envRefused   bool // one was refused (logged once)
	win          []byte
}

func (f *requestFilter) run(in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	var queue []*gossh.Request
	var frame <-chan time.Time
	timer := time.NewTimer(resizeFrame)
	timer.Stop()
	defer timer.Stop()
	for {
		var send chan<- *gossh.Request
		var head *gossh.Request
		if len(queue) > 0 {
			send, head = out, queue[0]
		}
		recv := in
		if len(queue) >= maxQueuedRequests {
			recv = nil // the session's loop is behind: hold the client back
		}
		select {
		case req, ok := <-recv:
			if !ok {
				return
			}
			if fwd := f.take(req); fwd != nil {
				queue = append(queue, fwd)
			}
			if f.win != nil && f.handled && frame == nil {
				timer.Reset(resizeFrame)
				frame = timer.C
			}
		case send <- head:
			queue = queue[1:]
		case <-frame:
			frame = nil
			queue = append(queue, &gossh.Request{Type: "window-change", Payload: f.win})
			f.win = nil
		}
	}
}

// take answers req, or returns what to pass on to the session's loop.
func (f *requestFilter) take(req *gossh.Request) *gossh.Request {
	switch req.Type {
	case "pty-req":
		if f.pty || f.handled {
			break
		}
		p, ok := clampPtyRequest(req.Payload)
		if !ok {
			f.s.metrics.refused(refuseTerminal)
			if !f.ptyRefused { // logged once a channel: a client may ask again and again
				f.ptyRefused = true
				f.s.log.Info("refused", "remote", f.remote, "reason", refuseTerminal.String())
			}
			break
		}
		f.pty = true
		req.Payload = p
		return req
	case "window-change":
		if !f.pty || len(req.Payload) < 16 {
			break
		}
		f.win = append(f.win[:0], req.Payload[:16]...)
		clampWindow(f.win)
		_ = req.Reply(true, nil)
		return nil
	case "env":
		if f.handled {
			break
		}
		var kv struct{ Key, Value string }
		if err := gossh.Unmarshal(req.Payload, &kv); err != nil || !envAllowed(kv.Key) ||
			len(kv.Value) > MaxEnvValue || f.envs >= MaxEnvVars {
			f.s.metrics.refused(refuseEnv)
			if !f.envRefused {
				f.envRefused = true
				f.s.log.Info("refused", "remote", f.remote, "reason", refuseEnv.String(),
					"name", logName(kv.Key), "allowed", fmt.Sprintf("at most %d of LANG, LC_*, COGNITO_TOTP_LANG, TERM, COLORTERM, NO_COLOR..., each at most %d bytes", MaxEnvVars, MaxEnvValue))
			}
			break
		}
		f.envs++
		return req
	case "shell", "exec":
		if f.handled {
			break
		}
		f.handled = true
		f.conn.sessionStarted(f.live)
		f.live.handled.Store(true)
		return req
	}
	_ = req.Reply(false, nil)
	return nil
}

// logName is an environment variable's name for the log: short and printable.
func logName(s string) string {
	if len(s) > 32 {
		s = s[:32] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
