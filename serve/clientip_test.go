package serve

import (
	"context"
	"net"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
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

const contextUser, contextTemp = "pat", "Temp-Passw0rd!"

func newContextPool(t *testing.T) contextPool {
	t.Helper()
	local := cognitolocal.New(cognitolocal.Options{Region: "eu-west-1"})
	srv := httptest.NewServer(local)
	t.Cleanup(srv.Close)
	admin := cip.New(cip.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "dummy", ""), HTTPClient: srv.Client()})
	ctx := context.Background()
	out, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("serve-ctx")})
	if err != nil {
		t.Fatal(err)
	}
	id := out.UserPool.Id
	if _, err := admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	cl, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("serve"),
		GenerateSecret: true, EnablePropagateAdditionalUserContextData: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: id, Username: aws.String(contextUser),
		TemporaryPassword: aws.String(contextTemp), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	pool := flow.Pool{UserPoolID: aws.ToString(id), ClientID: aws.ToString(cl.UserPoolClient.ClientId),
		ClientSecret: aws.ToString(cl.UserPoolClient.ClientSecret), Region: "eu-west-1", Issuer: "serve-test"}
	api, err := flow.NewAPI(ctx, pool, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return contextPool{local: local, wizards: PoolWizards(api, pool, ui.Options{PoolLabel: "test pool"}), clientID: pool.ClientID}
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
