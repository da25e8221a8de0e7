package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/charmbracelet/x/ansi"
	"github.com/pquerna/otp/totp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
	"github.com/cognito-totp/cognito-totp/ui"
)

// How long a test waits for something the server does by itself. Generous:
// these are bounds for a loaded machine under -race, not timings.
const patience = 20 * time.Second

const newPassword = "Brand-New-Passw0rd!"

// groupedSecret is the secret as the secret screen shows it: groups of four.
var groupedSecret = regexp.MustCompile(`[A-Z2-7]{4}(?: [A-Z2-7]{1,4}){3,}`)

// testServer is a Server on a loopback port, its log kept for the test.
type testServer struct {
	*Server
	addr string
	logs *syncbuf.Buffer
	stop context.CancelFunc // begins the graceful shutdown
	done chan error         // Serve's result
}

// startServer runs a server with cfg; zero fields get test defaults (a host
// key in a temporary directory, no caps in the way, a local pool).
func startServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startServerOn(t, cfg, ln)
}

// startServerOn is startServer on a listener of the test's own.
func startServerOn(t testing.TB, cfg Config, ln net.Listener) *testServer {
	t.Helper()
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(t.TempDir(), "ssh_host_ed25519_key")
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = time.Minute
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = 50
	}
	if cfg.MaxNewPerMinute == 0 {
		cfg.MaxNewPerMinute = 1000
	}
	if cfg.MaxStartups == (Startups{}) {
		cfg.MaxStartups = Startups{Start: 1000, Rate: 100, Full: 1000}
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	if cfg.Wizards == nil {
		cfg.Wizards = localPoolWizards(t).wizards
	}
	logs := &syncbuf.Buffer{}
	cfg.Log = slog.New(slog.NewTextHandler(logs, nil))
	srv, err := New(cfg)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: srv, addr: ln.Addr().String(), logs: logs, stop: cancel, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(cfg.ShutdownGrace + patience):
			t.Errorf("the server did not stop")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return ts
}

// localPool is one cognitolocal pool with its demo user, served as a
// configured pool (PoolWizards): every session signs in as the same user.
type localPool struct {
	demo    cognitolocal.Demo
	wizards Wizards
	api     *cip.Client
	pool    flow.Pool
}

func localPoolWizards(t testing.TB) localPool {
	t.Helper()
	srv := localtest.New(t)
	demo := srv.Demo()
	pool := flow.Pool{UserPoolID: demo.UserPoolID, ClientID: demo.ClientID, Region: demo.Region, Issuer: "serve-test"}
	api, err := flow.NewAPI(context.Background(), pool, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return localPool{demo: demo, wizards: PoolWizards(api, pool, ui.Options{PoolLabel: "test pool"}), api: api, pool: pool}
}

// dial connects to ts with a new ed25519 key, or with auth when given.
func (ts *testServer) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	if len(auth) == 0 {
		auth = []gossh.AuthMethod{gossh.PublicKeys(newSigner())}
	}
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "tester",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.HostKey()),
		Timeout:         patience,
	})
}

func (ts *testServer) mustDial(t *testing.T, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	c, err := ts.dial(auth...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func newSigner() gossh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		panic(err)
	}
	return s
}

// terminal is one SSH session with a PTY of 120x40, as a person's terminal.
type terminal struct {
	t        *testing.T
	sess     *gossh.Session
	in       io.WriteCloser
	out, err *syncbuf.Buffer
	exited   chan struct{}
	exitErr  error // Wait's result, once exited is closed
}

func openTerminal(t *testing.T, c *gossh.Client) *terminal {
	t.Helper()
	tm := openSession(t, c)
	if err := tm.sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		t.Fatal(err)
	}
	tm.shell()
	return tm
}

// openSession opens a session without asking for a terminal; call shell.
func openSession(t *testing.T, c *gossh.Client) *terminal {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	tm := &terminal{t: t, sess: sess, out: &syncbuf.Buffer{}, err: &syncbuf.Buffer{}, exited: make(chan struct{})}
	sess.Stdout, sess.Stderr = tm.out, tm.err
	if tm.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	return tm
}

func (tm *terminal) shell() {
	tm.t.Helper()
	if err := tm.sess.Shell(); err != nil {
		tm.t.Fatal(err)
	}
	go func() {
		tm.exitErr = tm.sess.Wait()
		close(tm.exited)
	}()
}

// screen is everything the session has shown, terminal sequences stripped.
func (tm *terminal) screen() string { return ansi.Strip(tm.out.String()) }

func (tm *terminal) waitFor(want string) {
	tm.t.Helper()
	eventually.Require(tm.t, patience, func() bool { return strings.Contains(tm.screen(), want) }, func() string {
		return fmt.Sprintf("%q never appeared on screen; the screen showed:\n%s\nstderr: %s", want, tm.screen(), tm.err.String())
	})
}

func (tm *terminal) waitForMatch(re *regexp.Regexp) string {
	tm.t.Helper()
	var m string
	eventually.Require(tm.t, patience, func() bool { m = re.FindString(tm.screen()); return m != "" },
		func() string {
			return fmt.Sprintf("%v never appeared on screen; the screen showed:\n%s", re, tm.screen())
		})
	return m
}

// typ sends keys as a terminal does: bytes, enter as a carriage return.
func (tm *terminal) typ(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.in, keys); err != nil {
		tm.t.Fatalf("typing: %v", err)
	}
}

func (tm *terminal) enter() { tm.typ("\r") }

// waitExit waits for the session to close and returns its exit status.
func (tm *terminal) waitExit() int {
	tm.t.Helper()
	select {
	case <-tm.exited:
	case <-time.After(patience):
		tm.t.Fatalf("the session did not close; the screen showed:\n%s", tm.screen())
	}
	var exit *gossh.ExitError
	switch {
	case tm.exitErr == nil:
		return 0
	case errors.As(tm.exitErr, &exit):
		return exit.ExitStatus()
	}
	tm.t.Fatalf("the session closed without an exit status: %v", tm.exitErr)
	return -1
}

func (tm *terminal) isOpen() bool {
	select {
	case <-tm.exited:
		return false
	default:
		return true
	}
}

// signInPool signs in on a configured pool's sign-in screen as its demo user
// and sets the new password Cognito asks for.
func (tm *terminal) signInPool(demo cognitolocal.Demo) {
	tm.t.Helper()
	tm.waitFor("Username:")
	tm.typ(demo.Username)
	tm.enter()
	tm.typ(demo.TemporaryPassword)
	tm.enter()
	tm.setNewPassword()
}

// signInDemo signs in on a demo pool's sign-in screen, where the username
// is filled in and the screen shows the temporary password.
func (tm *terminal) signInDemo() {
	tm.t.Helper()
	tm.waitFor("Password:")
	tm.typ(demoPasswordOnScreen(tm))
	tm.enter()
	tm.setNewPassword()
}

// demoPasswordOnScreen reads the demo's temporary password where the demo
// sign-in screen shows it.
func demoPasswordOnScreen(tm *terminal) string {
	tm.t.Helper()
	m := tm.waitForMatch(regexp.MustCompile(`Demo-Temp-[0-9]+!`))
	return m
}

func (tm *terminal) setNewPassword() {
	tm.t.Helper()
	tm.waitFor("Choose a new password")
	tm.typ(newPassword)
	tm.enter()
	tm.typ(newPassword)
	tm.enter()
}

// readSecret waits for the secret screen and returns the secret on it.
func (tm *terminal) readSecret() string {
	tm.t.Helper()
	tm.waitFor("Add this account to your authenticator app")
	return strings.ReplaceAll(tm.waitForMatch(groupedSecret), " ", "")
}

// confirm types the code an authenticator app shows now for secret, and
// waits for the wizard to say the app is added. It returns the code.
func (tm *terminal) confirm(secret string) string {
	tm.t.Helper()
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		tm.t.Fatalf("the secret on screen (%d chars) is not base32: %v", len(secret), err)
	}
	tm.typ(code)
	tm.enter()
	tm.waitFor("Authenticator app added")
	return code
}

// waitForLog waits for the server's log to contain want.
func (ts *testServer) waitForLog(t *testing.T, want string) {
	t.Helper()
	eventually.Require(t, patience, func() bool { return strings.Contains(ts.logs.String(), want) },
		func() string { return fmt.Sprintf("the server never logged %q; its log:\n%s", want, ts.logs.String()) })
}
