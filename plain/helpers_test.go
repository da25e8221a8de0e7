package plain_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/plain"
)

// t0 is when every test's clock starts.
var t0 = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

const newPassword = "Brand-New-Passw0rd!"

// world is cognitolocal over loopback, with the demo pool seeded and a
// clock that only moves when the test says.
type world struct {
	clock  *cognitolocal.ManualClock
	local  *cognitolocal.Server
	demo   cognitolocal.Demo
	pool   flow.Pool
	api    flow.API
	client *flow.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := localtest.New(t, localtest.At(t0))
	clock, local, demo := srv.Clock, srv.Endpoint, srv.Demo()
	pool := flow.Pool{UserPoolID: demo.UserPoolID, ClientID: demo.ClientID, Region: demo.Region, Issuer: "cognito-totp demo"}
	// No HTTPClient: the SDK refuses a plain *http.Client when AWS_CA_BUNDLE
	// is set, and its own client reaches the loopback server just as well.
	api, err := flow.NewAPI(context.Background(), pool, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{clock: clock, local: local, demo: demo, pool: pool, api: api}
	w.client = flow.New(api, pool, flow.WithClock(clock.Now))
	return w
}

// options are the Options main would pass, on this world's clock.
func (w *world) options() plain.Options {
	return plain.Options{Client: w.client, PoolLabel: "local demo pool", Now: w.clock.Now, CallTimeout: 10 * time.Second}
}

// code is what an authenticator app shows for secret at the world's time.
func (w *world) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, w.clock.Now())
	if err != nil {
		t.Fatalf("the printed secret (%d chars) is not base32: %v", len(secret), err)
	}
	return c
}

// wrongCode is a 6-digit code Cognito accepts at no step near the world's time.
func (w *world) wrongCode(t *testing.T, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.GenerateCode(secret, w.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for i := 0; ; i++ {
		if c := fmt.Sprintf("%06d", i); !valid[c] {
			return c
		}
	}
}

// conversation is plain.Run with its input and output on pipes, answered
// the way an expect script would: wait for a prompt, then type a line.
type conversation struct {
	t     *testing.T
	stdin *io.PipeWriter

	mu  sync.Mutex
	out []byte // everything written so far
	pos int    // how far expect has read

	outDone chan struct{}
	result  chan runResult
}

type runResult struct {
	outcome plain.Outcome
	err     error
}

func start(t *testing.T, ctx context.Context, o plain.Options) *conversation {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &conversation{t: t, stdin: inW, outDone: make(chan struct{}), result: make(chan runResult, 1)}
	go func() {
		defer close(c.outDone)
		buf := make([]byte, 4096)
		for {
			n, err := outR.Read(buf)
			c.mu.Lock()
			c.out = append(c.out, buf[:n]...)
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		outcome, err := plain.Run(ctx, inR, outW, o)
		outW.Close()
		c.result <- runResult{outcome, err}
	}()
	t.Cleanup(func() {
		inW.Close()
		inR.Close()
	})
	return c
}

const waitLimit = 10 * time.Second

// expect waits for want in what has not been read yet and returns the
// output up to and including it.
func (c *conversation) expect(want string) string {
	c.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		c.mu.Lock()
		rest := string(c.out[c.pos:])
		if i := strings.Index(rest, want); i >= 0 {
			c.pos += i + len(want)
			c.mu.Unlock()
			return rest[:i+len(want)]
		}
		c.mu.Unlock()
		if time.Now().After(deadline) {
			c.t.Fatalf("%q never came; after what was already read, the output was:\n%s", want, rest)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// expectLine waits for a whole line starting with prefix and returns the rest of it.
func (c *conversation) expectLine(prefix string) string {
	c.t.Helper()
	c.mu.Lock()
	if c.pos > 0 && c.out[c.pos-1] == '\n' {
		c.pos-- // the line break before prefix may have ended the last line read
	}
	c.mu.Unlock()
	c.expect("\n" + prefix)
	return strings.TrimSuffix(c.expect("\n"), "\n")
}

// send types line and enter. It fails when Run does not read it.
func (c *conversation) send(line string) {
	c.t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := io.WriteString(c.stdin, line+"\n")
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			c.t.Fatalf("typing a line: %v", err)
		}
	case <-time.After(waitLimit):
		c.t.Fatalf("plain.Run never read the line typed; the output was:\n%s", c.transcript())
	}
}

// closeInput is the input ending (ctrl+d, or the end of a script).
func (c *conversation) closeInput() { c.stdin.Close() }

// finish waits for Run to return and for all its output.
func (c *conversation) finish() (plain.Outcome, error) {
	c.t.Helper()
	select {
	case r := <-c.result:
		<-c.outDone
		return r.outcome, r.err
	case <-time.After(waitLimit):
		c.t.Fatalf("plain.Run did not return; the output was:\n%s", c.transcript())
	}
	return 0, nil
}

func (c *conversation) transcript() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.out)
}

// assertClean checks what plain mode promises about its whole output: no
// escape sequence of any kind, and no password.
func assertClean(t *testing.T, out string, passwords ...string) {
	t.Helper()
	if i := bytes.IndexByte([]byte(out), 0x1b); i >= 0 {
		t.Errorf("the output has an ESC byte at %d:\n%q", i, out)
	}
	for _, p := range passwords {
		if strings.Contains(out, p) {
			t.Errorf("the output shows a password typed (%q):\n%s", p, out)
		}
	}
}

// acceptUsername takes the username the first prompt offers (the demo
// user's, from Options.Username) and types the demo user's temporary password.
func (c *conversation) acceptUsername(w *world) {
	c.t.Helper()
	c.expect("Username [demo]: ")
	c.send("")
	c.expect("Password: ")
	c.send(w.demo.TemporaryPassword)
}

// signInToSecret answers the prompts from the username to the secret block
// and returns the secret as printed without spaces.
func (c *conversation) signInToSecret(w *world, typeUsername bool) string {
	c.t.Helper()
	if typeUsername {
		c.expect("Username: ")
		c.send(w.demo.Username)
	}
	c.expect("Password: ")
	c.send(w.demo.TemporaryPassword)
	c.expect("New password: ")
	c.send(newPassword)
	c.expect("New password again: ")
	c.send(newPassword)
	return c.expectLine("Secret (no spaces): ")
}
