package serve

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
	"github.com/cognito-totp/cognito-totp/ui"
)

// refusalLine is the line a person refused for why reads, in tr's language.
func refusalLine(tr *i18n.Localizer, why reason) string { return clientLine(tr, reasons[why].line) }

// clientLine is one line to the SSH client, after the program's name.
func clientLine(tr *i18n.Localizer, key i18n.Key, vars ...any) string {
	return "cognito-totp: " + tr.T(key, vars...)
}

// The exit statuses sent to the SSH client are the wizard's own.
const (
	exitEnrolled    = outcome.ExitEnrolled
	exitFailed      = outcome.ExitFailed
	exitInterrupted = outcome.ExitInterrupted
	exitInternal    = outcome.ExitInternal
)

func exitStatus(o ui.Outcome) int { return o.Exit() }

// liveSession is one session channel holding one of the server's slots,
// from the moment the channel opens until its wizard ends (or, with no
// session asked for, the channel closes): a channel the server may end (idle,
// shutdown, no session in time).
type liveSession struct {
	refusal reason         // set when it opened: the server was full or closing; it holds no slot
	ch      gossh.Channel  // the channel, to close one that never asked for a session
	handled atomic.Bool    // a shell or a command was passed on to the handler
	release func()         // frees the slot; safe to call more than once
	resized func(w, h int) // tests only: called with each size the wizard is given
	started bool           // it asked for a session; guarded by its connState's mu

	mu      sync.Mutex
	program *tea.Program // nil until the wizard is made
	why     reason       // set when the server ends it
}

func (l *liveSession) end(why reason) {
	l.mu.Lock()
	if l.why == reasonNone {
		l.why = why
	}
	p, ch := l.program, l.ch
	l.mu.Unlock()
	switch {
	case p != nil:
		go p.Quit() // Quit waits for the program to take the message
	case !l.handled.Load() && ch != nil:
		_ = ch.Close() // no session asked for yet: nobody to tell
	}
}

// start sets the program, unless the server ended the session first.
func (l *liveSession) start(p *tea.Program) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.program = p
	return l.why == reasonNone
}

func (l *liveSession) endedBy() reason {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.why
}

// handle serves one SSH session: refuse it with one line, or run a wizard of
// its own until the person leaves, goes idle or the server shuts down.
func (s *Server) handle(sess ssh.Session) {
	s.enter()
	defer s.leave()
	start := time.Now()
	pty, winch, hasPTY := sess.Pty()
	// The session's request loop hands each new size to winch and waits
	// for it to be taken: once the wizard has stopped (or never ran),
	// nobody else takes them.
	defer func() {
		if winch != nil {
			go func() {
				for range winch {
				}
			}()
		}
	}()
	log := s.log.With("session", s.ids.Add(1), "remote", sess.RemoteAddr().String(), "user", sess.User())
	log.Info("connect", "key", keyFingerprint(sess.PublicKey()), "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height)

	tr := s.sessionLanguage(sess, log)
	live := liveOf(sess)
	defer live.release() // if anything below panics
	refuse := func(why reason) {
		live.release()
		s.metrics.refused(why)
		log.Info("refused", "reason", why.String())
		s.say(sess, refusalLine(tr, why))
		_ = sess.Exit(exitFailed)
	}
	switch {
	case !s.rateOK(sess):
		refuse(refuseRate)
		return
	case sess.RawCommand() != "":
		refuse(refuseCommand)
		return
	case !hasPTY:
		refuse(refuseNoPTY)
		return
	case live.refusal != reasonNone:
		refuse(live.refusal)
		return
	}

	outcome, ended, refusal, release := s.runWizard(sess, live, pty, log, tr, start)
	defer release() // if anything below panics
	if refusal != reasonNone {
		refuse(refusal)
		return
	}
	switch ended {
	case endIdle:
		s.say(sess, clientLine(tr, i18n.ServeIdle, "Duration", s.cfg.IdleTimeout.String()))
	case endShutdown:
		s.say(sess, clientLine(tr, i18n.ServeShutdown))
	case endPanic:
		s.say(sess, clientLine(tr, i18n.ServePanic))
	}
	status := exitStatus(outcome)
	if ended == endPanic {
		status = exitInternal
	}
	took := time.Since(start)
	log.Info("session end", "duration", took.Round(time.Millisecond), "outcome", outcome.String(), "ended", ended.String())
	s.metrics.sessionEnded(ended, took)
	// Released before the client hears the end: whoever it tells may
	// reconnect at once and find the slot free.
	release()
	_ = sess.Exit(status)
}

// runWizard runs a wizard of the session's own until it ends, and says how it
// ended, or why it could not start. release frees its slot and what the
// wizard holds (a demo pool); it may be called more than once.
func (s *Server) runWizard(sess ssh.Session, live *liveSession, pty ssh.Pty, log *slog.Logger, tr *i18n.Localizer, start time.Time) (outcome ui.Outcome, ended, refusal reason, release func()) {
	// The slot was taken when the channel opened: a full server makes no
	// wizard (a demo pool each) to throw away.
	var cleanups []func()
	var once sync.Once
	release = func() {
		once.Do(func() {
			for _, c := range cleanups {
				c()
			}
			live.release()
		})
	}
	w, err := s.cfg.Wizards(sess.Context(), s.flowOptions(sess)...)
	if err != nil {
		log.Error("could not start a wizard", "error", err.Error())
		return 0, reasonNone, refuseWizard, release
	}
	if w.Close != nil {
		cleanups = append(cleanups, w.Close)
	}
	w.Options.Lang = tr
	app := ui.New(w.Options)
	in := newActivityReader(sess)
	gate := newInputGate(in)
	defer gate.close()
	out := newOutputQueue(sess, s.cfg.MaxQueuedOutput, func() {
		live.end(endSlowClient)
		dropConn(sess) // the client reads nothing: nothing more is said to it
	})
	defer out.close()
	var inner tea.Model = app
	if s.cfg.wrap != nil {
		inner = s.cfg.wrap(inner)
	}
	model := ui.Guard(inner)
	cmds := &cmdGuard{inner: model}
	// Enrolled is counted when the wizard gets there, not when the person
	// leaves; the filter runs on the program's goroutine, as the model does.
	counted := false
	countEnrolled := func() {
		if !counted && app.Outcome() == ui.Enrolled {
			counted = true
			s.metrics.enrolled(time.Since(start))
		}
	}
	var p *tea.Program
	filter := func(msg tea.Msg) tea.Msg {
		if ws, ok := msg.(tea.WindowSizeMsg); ok && live.resized != nil {
			live.resized(ws.Width, ws.Height)
		}
		countEnrolled()
		return gate.filter(msg, p.Send)
	}
	p = tea.NewProgram(cmds, programOptions(sess, pty, gate.reader(), out, filter)...)
	if !live.start(p) {
		return app.Outcome(), live.endedBy(), reasonNone, release
	}
	stopWatch := watchIdle(in, s.cfg.IdleTimeout, func() { live.end(endIdle) })
	defer stopWatch()

	// wish's middleware runs the program and passes window-size changes on to it.
	bubbletea.MiddlewareWithProgramHandler(func(ssh.Session) *tea.Program { return p })(func(ssh.Session) {})(sess)
	if out.flush(flushTimeout) {
		live.end(endSlowClient)
		dropConn(sess)
	}

	countEnrolled() // the program has stopped: its last step may have enrolled
	ended = live.endedBy()
	switch {
	case model.Panicked():
		ended = endPanic
		logPanic(log, model.Recovered())
	case cmds.Recovered() != nil:
		ended = endPanic
		logPanic(log, cmds.Recovered())
	}
	if ended == reasonNone {
		ended = endWizard
		if sess.Context().Err() != nil {
			ended = endDisconnected
		}
	}
	return app.Outcome(), ended, reasonNone, release
}

// logPanic logs what ui.Guard kept of a wizard's panic: its type, the
// runtime's message when the runtime raised it, and the stack without the
// frames' arguments; never the value itself, which could quote a secret.
func logPanic(log *slog.Logger, p *ui.Panic) {
	if p == nil {
		return
	}
	attrs := []any{"type", p.Type}
	if p.Runtime != "" {
		attrs = append(attrs, "runtime_error", p.Runtime)
	}
	log.Error("internal error: the wizard panicked", append(attrs, "stack", p.Stack)...)
}

// programOptions connect a program to the session's emulated terminal, as
// wish's bubbletea.MakeOptions does, with input from in and without the
// program's own signal handler: the server's signals are the server's.
func programOptions(sess ssh.Session, pty ssh.Pty, in io.Reader, out io.Writer, filter func(tea.Msg) tea.Msg) []tea.ProgramOption {
	env := append(sess.Environ(), "TERM="+pty.Term)
	return []tea.ProgramOption{
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithEnvironment(env),
		tea.WithColorProfile(colorprofile.Env(env)),
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		tea.WithoutSignalHandler(),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return tea.ResumeMsg{} // there is no shell to suspend to
			}
			return filter(msg)
		}),
	}
}

// say writes one line to the session's stderr. A client that does not take
// it within the flush timeout (it reads nothing) has its connection dropped.
func (s *Server) say(sess ssh.Session, line string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fmt.Fprintln(sess.Stderr(), line)
	}()
	select {
	case <-done:
	case <-time.After(flushTimeout):
		dropConn(sess)
	}
}

// dropConn closes the session's whole connection at once: a channel's own
// close waits for the client to answer.
func dropConn(sess ssh.Session) {
	if cs := connOf(sess); cs != nil && cs.conn != nil {
		_ = cs.conn.Close()
		return
	}
	_ = sess.Close()
}

func keyFingerprint(k ssh.PublicKey) string {
	if k == nil {
		return "none"
	}
	return gossh.FingerprintSHA256(k)
}

// activityReader is the session's input, noting when the person last sent anything.
type activityReader struct {
	r    io.Reader
	last atomic.Int64 // unix nanoseconds
}

func newActivityReader(r io.Reader) *activityReader {
	a := &activityReader{r: r}
	a.last.Store(time.Now().UnixNano())
	return a
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.last.Store(time.Now().UnixNano())
	}
	return n, err
}

func (a *activityReader) quietFor() time.Duration {
	return time.Since(time.Unix(0, a.last.Load()))
}

// watchIdle calls fire once when in has been quiet for limit. Output does not
// count: the wizard redraws its countdown every second on its own.
func watchIdle(in *activityReader, limit time.Duration, fire func()) (stop func()) {
	var stopped atomic.Bool
	var timer *time.Timer
	var mu sync.Mutex // timer is set after AfterFunc returns; check may run before
	check := func() {
		if stopped.Load() {
			return
		}
		if left := limit - in.quietFor(); left > 0 {
			mu.Lock()
			timer.Reset(left)
			mu.Unlock()
			return
		}
		fire()
	}
	mu.Lock()
	timer = time.AfterFunc(limit, check)
	mu.Unlock()
	return func() {
		stopped.Store(true)
		mu.Lock()
		timer.Stop()
		mu.Unlock()
	}
}
