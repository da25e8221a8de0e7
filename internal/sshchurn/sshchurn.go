// Package sshchurn ends SSH sessions to `cognito-totp serve` in every way a
// session can end: the client drops with keys pending, q, ctrl+c, the idle
// timeout, a server shutdown, a refusal (no terminal, server full, too many
// connections) and the network cut mid-handshake. The serve package's churn
// test and bench's soak command share it, so both drive the same endings.
package sshchurn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

// Way is how a session ends.
type Way string

// The ways a session ends.
const (
	Drop         Way = "drop with input pending" // the client goes away mid-flood of keys
	Quit         Way = "q"                       // q on the failure screen, after a wrong password
	Interrupt    Way = "ctrl+c"                  // ctrl+c on the sign-in screen
	Idle         Way = "idle timeout"            // no key until the server closes it
	Hold         Way = "held until a shutdown"   // or until ctx is done
	NoPTY        Way = "refused: no terminal"
	Refused      Way = "refused: busy or rate limit" // the server is full, or the address over its cap
	HandshakeCut Way = "network cut mid-handshake"
)

// Target is a serve instance to connect to.
type Target struct {
	Addr      string
	HostKey   gossh.PublicKey                  // nil: any (a loopback benchmark against a server it just started)
	LocalIP   string                           // source address on loopback (127.0.0.N), "" for the default
	Patience  time.Duration                    // how long to wait for what the server does by itself; 0: 20s
	Transform func(net.Conn) (net.Conn, error) // e.g. a PROXY header first; nil: none
}

func (t Target) patience() time.Duration {
	if t.Patience > 0 {
		return t.Patience
	}
	return 20 * time.Second
}

// Run opens a session and ends it in way w, and says what went other than
// expected. Hold ends when ctx is done or the server ends the session.
func Run(ctx context.Context, t Target, w Way) error {
	if w == HandshakeCut {
		return cutHandshake(t)
	}
	c, err := t.dial()
	if err != nil {
		return fmt.Errorf("%s: %w", w, err)
	}
	defer c.Close()
	s, err := open(c, w != NoPTY)
	if err != nil {
		return fmt.Errorf("%s: %w", w, err)
	}
	defer s.sess.Close()
	switch w {
	case NoPTY, Refused:
		code, err := s.exit(t.patience())
		if err != nil {
			return fmt.Errorf("%s: %w", w, err)
		}
		if code != 1 || !strings.HasPrefix(s.stderr.String(), "cognito-totp: ") {
			return fmt.Errorf("%s: exit %d, stderr %q; want exit 1 and a refusal line", w, code, s.stderr.String())
		}
		return nil
	}
	if _, err := s.waitFor(0, t.patience(), "Username:"); err != nil {
		return fmt.Errorf("%s: %w", w, err)
	}
	want := -1
	switch w {
	case Drop:
		flood := bytes.Repeat([]byte{0}, 64<<10) // ctrl+space, over and over
		go func() { _, _ = s.in.Write(flood) }() // may block on the window: the drop ends it
		time.Sleep(10 * time.Millisecond)
		return c.Close()
	case Interrupt:
		_, _ = io.WriteString(s.in, "\x03")
		want = 130
	case Quit:
		if err := s.quitOnFailure(t.patience()); err != nil {
			return fmt.Errorf("%s: %w", w, err)
		}
		want = 1
	case Idle:
		want = 1
	case Hold:
		select {
		case <-ctx.Done():
			return nil
		case <-s.done:
			if !strings.Contains(s.stderr.String(), "shutting down") {
				return fmt.Errorf("%s: the server ended it without the shutdown line; stderr %q", w, s.stderr.String())
			}
			return nil
		}
	}
	code, err := s.exit(t.patience())
	if err != nil {
		return fmt.Errorf("%s: %w", w, err)
	}
	if code != want {
		return fmt.Errorf("%s: exit %d, want %d; stderr %q", w, code, want, s.stderr.String())
	}
	return nil
}

func (t Target) dial() (*gossh.Client, error) {
	conn, err := t.dialTCP()
	if err != nil {
		return nil, err
	}
	hostKey := gossh.InsecureIgnoreHostKey() // see Target.HostKey
	if t.HostKey != nil {
		hostKey = gossh.FixedHostKey(t.HostKey)
	}
	cfg := &gossh.ClientConfig{
		User:            "churn",
		Auth:            []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: hostKey,
		Timeout:         t.patience(),
	}
	_ = conn.SetDeadline(time.Now().Add(t.patience()))
	cc, chans, reqs, err := gossh.NewClientConn(conn, t.Addr, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return gossh.NewClient(cc, chans, reqs), nil
}

func (t Target) dialTCP() (net.Conn, error) {
	d := net.Dialer{Timeout: t.patience()}
	if t.LocalIP != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(t.LocalIP)}
	}
	conn, err := d.Dial("tcp", t.Addr)
	if err != nil {
		return nil, err
	}
	if t.Transform != nil {
		if conn, err = t.Transform(conn); err != nil {
			return nil, err
		}
	}
	return conn, nil
}

// cutHandshake connects, trades version lines, sends half a key exchange
// packet and goes away.
func cutHandshake(t Target) error {
	conn, err := t.dialTCP()
	if err != nil {
		return fmt.Errorf("%s: %w", HandshakeCut, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(t.patience()))
	if _, err := io.WriteString(conn, "SSH-2.0-churn\r\n\x00\x00\x01\x00\x0a\x14"); err != nil {
		return fmt.Errorf("%s: %w", HandshakeCut, err)
	}
	buf := make([]byte, 64)
	if _, err := conn.Read(buf); err != nil { // the server's version line
		return fmt.Errorf("%s: no version line from the server: %w", HandshakeCut, err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // a reset, as a cut network looks once it times out
	}
	return nil
}

type session struct {
	sess           *gossh.Session
	in             io.WriteCloser
	stdout, stderr *syncbuf.Buffer
	done           chan struct{}
	waitErr        error
}

func open(c *gossh.Client, pty bool) (*session, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	s := &session{sess: sess, stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}, done: make(chan struct{})}
	sess.Stdout, sess.Stderr = s.stdout, s.stderr
	if s.in, err = sess.StdinPipe(); err != nil {
		sess.Close()
		return nil, err
	}
	if pty {
		if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
			sess.Close()
			return nil, err
		}
	}
	if err := sess.Shell(); err != nil {
		sess.Close()
		return nil, err
	}
	go func() {
		s.waitErr = sess.Wait()
		close(s.done)
	}()
	return s, nil
}

// quitOnFailure signs in (typing a username only if the form asks for one)
// with a wrong password, waits for the failure screen and presses q there.
//
// Every key is typed only once the screen has shown that the key does there
// what is meant, and what the screen shows is read from what the server drew
// after the previous keys were sent: an earlier frame still in the stream
// says nothing about the screen now. (Typing the password because a
// "Password:" drawn before was in the stream, when the server had the
// username already and the first enter had signed in, put the password on
// the failure screen, whose r retried the sign-in; the q then went by
// during the retry, when only ctrl+c quits, because the first failure
// screen's "q quit" was in the stream too. The session stayed on the second
// failure screen until the client gave up.)
func (s *session) quitOnFailure(patience time.Duration) error {
	// The help line says what enter does: "next" on the username field,
	// "sign in (…)" on the password field. (Only what changed is redrawn:
	// "enter" stays when the focus moves.)
	onPassword := "sign in ("
	seen, err := s.waitFor(0, patience, "enter next", onPassword)
	if err != nil {
		return err
	}
	if seen != onPassword {
		mark := s.typeKeys("nobody-here\r")
		if _, err := s.waitFor(mark, patience, onPassword); err != nil {
			return err
		}
	}
	mark := s.typeKeys("Not-The-Passw0rd!\r")
	// The sign-in runs ("ctrl+c quit", q locked out), then fails.
	if _, err := s.waitFor(mark, patience, "q quit"); err != nil {
		return err
	}
	s.typeKeys("q")
	return nil
}

// typeKeys sends keys and says where in stdout what they bring will start.
func (s *session) typeKeys(keys string) (mark int) {
	mark = s.stdout.Len()
	_, _ = io.WriteString(s.in, keys)
	return mark
}

// waitFor waits for one of texts to show in what the server drew from byte
// since of stdout on, and says which.
func (s *session) waitFor(since int, patience time.Duration, texts ...string) (string, error) {
	find := func() (string, bool) {
		drawn := ansi.Strip(s.stdout.String()[since:])
		for _, text := range texts {
			if strings.Contains(drawn, text) {
				return text, true
			}
		}
		return "", false
	}
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if text, ok := find(); ok {
			return text, nil
		}
		select {
		case <-s.done:
			if text, ok := find(); ok {
				return text, nil
			}
			return "", fmt.Errorf("the session closed before %q showed; stderr %q; the screen:\n%s", texts, s.stderr.String(), s.screen())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("%q did not show within %s; the screen:\n%s", texts, patience, s.screen())
}

// screen is the end of what the server drew, for a failure message.
func (s *session) screen() string { return lastLines(ansi.Strip(s.stdout.String()), 30) }

func (s *session) exit(patience time.Duration) (int, error) {
	select {
	case <-s.done:
	case <-time.After(patience):
		return -1, fmt.Errorf("the session did not close within %s; the screen:\n%s", patience, s.screen())
	}
	var exit *gossh.ExitError
	switch {
	case s.waitErr == nil:
		return 0, nil
	case errors.As(s.waitErr, &exit):
		return exit.ExitStatus(), nil
	}
	return -1, fmt.Errorf("closed without an exit status: %w", s.waitErr)
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
