package serve

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/ui"
)

// contextPool is a pool whose MFA is required, with an app client that has
// a secret and EnablePropagateAdditionalUserContextData, as serve
// --propagate-client-ip needs, and one user with a temporary password.
type contextPool struct {
	local    *cognitolocal.Server
	wizards  Wizards
	clientID string
}

const contextUser, contextTemp = "pat", localtest.TemporaryPassword

func newContextPool(t *testing.T) contextPool {
	t.Helper()
	srv := localtest.New(t, localtest.InRegion("eu-west-1"))
	p := srv.Pool(localtest.MFAOn)
	cl := p.Client(localtest.WithSecret(), func(in *cip.CreateUserPoolClientInput) {
		in.EnablePropagateAdditionalUserContextData = aws.Bool(true)
	})
	p.NewUser(contextUser)
	pool := flow.Pool{UserPoolID: p.ID, ClientID: cl.ID, ClientSecret: cl.Secret, Region: srv.Region, Issuer: "serve-test"}
	api, err := flow.NewAPI(context.Background(), pool, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return contextPool{local: srv.Endpoint, wizards: PoolWizards(api, pool, ui.Options{PoolLabel: "test pool"}), clientID: pool.ClientID}
}

// enrollFrom connects to ts as a client at from (through a PROXY v2 header;
// direct when from is empty), and enrolls the pool's user: sign-in (SRP),
// new password, MFA_SETUP, the code.
func enrollFrom(t *testing.T, ts *testServer, from string) {
	t.Helper()
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	if from != "" {
		if conn, err = withProxyHeader(2, from)(conn); err != nil {
			t.Fatal(err)
		}
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{User: "tester",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner())}, HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	client := gossh.NewClient(c, chans, reqs)
	t.Cleanup(func() { _ = client.Close() })
	tm := openTerminal(t, client)
	tm.waitFor("Username:")
	tm.typ(contextUser)
	tm.enter()
	tm.typ(contextTemp)
	tm.enter()
	tm.setNewPassword()
	tm.confirm(tm.readSecret())
	tm.typ("q")
	tm.waitExit()
}

// addresses is every address the pool's app client received as
// UserContextData, one per sign-in call.
func (p contextPool) addresses(t *testing.T) []string {
	t.Helper()
	seen, propagated := p.local.UserContexts(p.clientID)
	if !propagated {
		t.Fatal("the app client lacks EnablePropagateAdditionalUserContextData")
	}
	var out []string
	for _, s := range seen {
		out = append(out, s.Operation+" "+s.IPAddress)
	}
	return out
}

// TestPropagateClientIPBehindTheProxyProtocol: behind a balancer sending
// the PROXY protocol, every sign-in call of the session (InitiateAuth,
// PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, MFA_SETUP) carries the client's
// own address from the header to Cognito, never the balancer's.
func TestPropagateClientIPBehindTheProxyProtocol(t *testing.T) {
	t.Parallel()
	p := newContextPool(t)
	ts := startServer(t, Config{Wizards: p.wizards, PropagateClientIP: true,
		ProxyProtocol: true, ProxyAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	enrollFrom(t, ts, "[2001:db8::7]:50001")
	got := p.addresses(t)
	want := []string{"InitiateAuth 2001:db8::7", "RespondToAuthChallenge 2001:db8::7", "RespondToAuthChallenge 2001:db8::7", "RespondToAuthChallenge 2001:db8::7"}
	if len(got) != len(want) {
		t.Fatalf("recorded %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d carried %q, want %q", i, got[i], want[i])
		}
	}
}

// TestPropagateClientIPDirect: with no balancer the SSH client's own
// address is sent; without the flag, nothing is.
func TestPropagateClientIPDirect(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		propagate bool
		want      string
	}{{true, "127.0.0.1"}, {false, ""}} {
		p := newContextPool(t)
		ts := startServer(t, Config{Wizards: p.wizards, PropagateClientIP: c.propagate})
		enrollFrom(t, ts, "")
		got := p.addresses(t)
		if len(got) != 4 {
			t.Fatalf("propagate %v: recorded %q, want 4 sign-in calls", c.propagate, got)
		}
		for _, g := range got {
			if _, ip, _ := strings.Cut(g, " "); ip != c.want {
				t.Errorf("propagate %v: %q, want the address %q", c.propagate, g, c.want)
			}
		}
	}
}
