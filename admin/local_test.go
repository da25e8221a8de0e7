package admin_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

const (
	region   = "eu-west-1"
	password = "Passw0rd!x"
)

// request is one request the local endpoint received.
type request struct {
	op     string
	at     time.Time
	auth   string // the Authorization header
	header http.Header
	host   string
	body   []byte
	answer string // the status and exception the server answered with, for a failure's log
}

// countingHandler records every request to the wrapped cognitolocal.Server
// by operation, and may call a hook on each (to interrupt a run halfway).
type countingHandler struct {
	next http.Handler
	mu   sync.Mutex
	log  []request
	hook func(op string, n int) // n: requests of op so far, this one included
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	h.mu.Lock()
	h.log = append(h.log, request{op: op, at: time.Now(), auth: r.Header.Get("Authorization"), header: r.Header.Clone(), host: r.Host, body: body})
	at := len(h.log) - 1
	n := 0
	for _, q := range h.log {
		if q.op == op {
			n++
		}
	}
	hook := h.hook
	h.mu.Unlock()
	if hook != nil {
		hook(op, n)
	}
	rec := &answerRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() { // also when the server drops the connection (a panic net/http expects)
		h.mu.Lock()
		h.log[at].answer = fmt.Sprintf("%d %s", rec.status, rec.Header().Get("x-amzn-ErrorType"))
		h.mu.Unlock()
	}()
	h.next.ServeHTTP(rec, r)
}

// answerRecorder notes the status a handler answers with; a fault that
// drops the connection still hijacks it through the recorder.
type answerRecorder struct {
	http.ResponseWriter
	status int
}

func (a *answerRecorder) WriteHeader(status int) {
	a.status = status
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	a.status = 0
	return a.ResponseWriter.(http.Hijacker).Hijack()
}

func (h *countingHandler) requests(op string) []request {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []request
	for _, q := range h.log {
		if q.op == op {
			out = append(out, q)
		}
	}
	return out
}

func (h *countingHandler) count(op string) int { return len(h.requests(op)) }

func (h *countingHandler) setHook(f func(op string, n int)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hook = f
}

// local is one user pool in a cognitolocal server over loopback HTTP.
type local struct {
	t        *testing.T
	server   *cognitolocal.Server
	counter  *countingHandler
	url      string
	clock    *cognitolocal.ManualClock
	admin    *cip.Client // the test's own signed client, for set-up
	user     *cip.Client // unsigned, as the wizard calls
	poolID   string
	clientID string
	secrets  map[string]string // enrollSignedIn's secrets, by username
}

var dummyKeys = credentials.NewStaticCredentialsProvider("AKIDADMINTEST", "dummy-secret", "")

func newLocal(t *testing.T, mfa types.UserPoolMfaType) *local {
	t.Helper()
	// Near the machine's clock: cognitolocal sends its clock's time as Date,
	// and the SDK retries an AccessDeniedException from a server whose Date
	// is minutes away as a clock-skew error.
	clock := cognitolocal.NewManualClock(time.Now().UTC().Truncate(time.Minute))
	srv := cognitolocal.New(cognitolocal.Options{Clock: clock, Region: region})
	counter := &countingHandler{next: srv}
	hs := httptest.NewServer(counter)
	t.Cleanup(hs.Close)
	mk := func(c aws.CredentialsProvider) *cip.Client {
		return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(hs.URL), Credentials: c, HTTPClient: hs.Client()})
	}
	l := &local{t: t, server: srv, counter: counter, url: hs.URL, clock: clock, admin: mk(dummyKeys), user: mk(aws.AnonymousCredentials{})}
	ctx := context.Background()
	out, err := l.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("admintest")})
	if err != nil {
		t.Fatal(err)
	}
	l.poolID = aws.ToString(out.UserPool.Id)
	if mfa != types.UserPoolMfaTypeOff {
		_, err = l.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(l.poolID), MfaConfiguration: mfa,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
				SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/sms")}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	cl, err := l.admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(l.poolID), ClientName: aws.String("c"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	l.clientID = aws.ToString(cl.UserPoolClient.ClientId)
	return l
}

// newUser creates a user; permanent false leaves it in FORCE_CHANGE_PASSWORD.
func (l *local) newUser(name string, permanent bool, attrs ...types.AttributeType) {
	l.t.Helper()
	ctx := context.Background()
	_, err := l.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(l.poolID), Username: aws.String(name),
		TemporaryPassword: aws.String(password), MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs})
	if err != nil {
		l.t.Fatal(err)
	}
	if permanent {
		if _, err := l.admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(l.poolID),
			Username: aws.String(name), Password: aws.String(password), Permanent: true}); err != nil {
			l.t.Fatal(err)
		}
	}
}

// flow is the wizard's client for the pool, on the server's clock.
func (l *local) flow() *flow.Client {
	l.t.Helper()
	fp := flow.Pool{UserPoolID: l.poolID, ClientID: l.clientID, Region: region, Issuer: "Admin Test"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: l.url})
	if err != nil {
		l.t.Fatal(err)
	}
	return flow.New(api, fp, flow.WithClock(l.clock.Now))
}

// code is the authenticator's code for secret at the server's time.
func (l *local) code(secret string) string {
	l.t.Helper()
	c, err := totp.GenerateCode(secret, l.clock.Now())
	if err != nil {
		l.t.Fatal(err)
	}
	return c
}

// enrollSignedIn enrolls TOTP for a signed-in user (access-token path) and
// returns the secret.
func (l *local) enrollSignedIn(name string) string {
	l.t.Helper()
	ctx := context.Background()
	c := l.flow()
	step, err := c.SignIn(ctx, name, password)
	if err != nil || !step.SignedIn() {
		l.t.Fatalf("sign-in of %s: challenge %q, %v", name, step.Challenge, err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, l.code(setup.Secret)); err != nil {
		l.t.Fatal(err)
	}
	if l.secrets == nil {
		l.secrets = map[string]string{}
	}
	l.secrets[name] = setup.Secret
	return setup.Secret
}

type runOpts struct {
	stdin    string
	terminal bool // stdin is a terminal: the command may ask
	ctx      context.Context
	env      map[string]string
	chain    bool // credentials from the SDK's own chain, not dummy keys
	noPool   bool // leave out --user-pool-id and --endpoint-url
}

type runResult struct {
	stdout, stderr string
	exit           int
	err            error
}

// run runs `cognito-totp admin ARGS` against the pool, as a person would with
// --user-pool-id and --endpoint-url.
func (l *local) run(o runOpts, args ...string) runResult {
	l.t.Helper()
	var out, errb bytes.Buffer
	exit := 0
	var creds aws.CredentialsProvider = dummyKeys
	if o.chain {
		creds = nil
	}
	cmd := admin.NewCommand(admin.Env{Stdin: strings.NewReader(o.stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return o.env[k] }, StdinTerminal: o.terminal,
		Credentials: creds, Retry: admin.RetrySettings{MaxBackoff: 20 * time.Millisecond}, Exit: &exit})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if !o.noPool {
		args = append(args, "--user-pool-id", l.poolID, "--endpoint-url", l.url)
	}
	cmd.SetArgs(args)
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return runResult{stdout: out.String(), stderr: errb.String(), exit: exit, err: err}
}

func (l *local) userReport(name string) admin.UserReport {
	l.t.Helper()
	r := l.run(runOpts{}, "user", name, "--output", "json")
	if r.err != nil {
		l.t.Fatalf("admin user %s: %v", name, r.err)
	}
	var got admin.UserReport
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		l.t.Fatalf("admin user %s --output json: %v\n%s", name, err, r.stdout)
	}
	return got
}

// flat is s with its line breaks (wrapping at 80 columns) made spaces.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
