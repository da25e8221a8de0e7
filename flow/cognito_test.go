package flow_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
)

// pool is one user pool in a cognitolocal server reached over loopback HTTP
// with the real SDK: admin calls signed with dummy keys, flow calls unsigned.
type pool struct {
	t     *testing.T
	url   string
	clock *cognitolocal.ManualClock
	admin *cip.Client
	id    string
	calls *callCounter // the requests the server received, by operation
}

func newPool(t *testing.T, mfa types.UserPoolMfaType) *pool {
	t.Helper()
	calls := &callCounter{}
	srv := localtest.New(t, localtest.At(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)), localtest.InRegion("eu-west-1"),
		localtest.Through(func(next http.Handler) http.Handler { calls.next = next; return calls }))
	id := srv.Pool(localtest.MFA(mfa)).ID
	return &pool{t: t, url: srv.URL, clock: srv.Clock, admin: srv.Admin, id: id, calls: calls}
}

type clientOpts struct {
	secret   bool
	flows    []types.ExplicitAuthFlowsType
	validity int32
}

// client makes an app client and returns a flow.Client for it.
func (p *pool) client(o clientOpts) (*flow.Client, flow.Pool) {
	p.t.Helper()
	if o.flows == nil {
		o.flows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	}
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.id), ClientName: aws.String("c"),
		GenerateSecret: o.secret, ExplicitAuthFlows: o.flows}
	if o.validity != 0 {
		in.AuthSessionValidity = aws.Int32(o.validity)
	}
	out, err := p.admin.CreateUserPoolClient(context.Background(), in)
	if err != nil {
		p.t.Fatal(err)
	}
	fp := flow.Pool{UserPoolID: p.id, ClientID: aws.ToString(out.UserPoolClient.ClientId),
		ClientSecret: aws.ToString(out.UserPoolClient.ClientSecret), Region: "eu-west-1", Issuer: "Acme Test",
		SessionValidity: time.Duration(max(o.validity, 3)) * time.Minute}
	return p.flow(fp), fp
}

func (p *pool) flow(fp flow.Pool) *flow.Client {
	p.t.Helper()
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: p.url})
	if err != nil {
		p.t.Fatal(err)
	}
	return flow.New(api, fp, flow.WithClock(p.clock.Now))
}

// user creates a user; permanent false leaves it in FORCE_CHANGE_PASSWORD.
func (p *pool) user(name, password string, permanent bool) {
	p.t.Helper()
	ctx := context.Background()
	_, err := p.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.id), Username: aws.String(name),
		TemporaryPassword: aws.String(password), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		p.t.Fatal(err)
	}
	if permanent {
		_, err = p.admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.id),
			Username: aws.String(name), Password: aws.String(password), Permanent: true})
		if err != nil {
			p.t.Fatal(err)
		}
	}
}

// code is the authenticator's code for secret at the server's time.
func (p *pool) code(secret string) string {
	p.t.Helper()
	c, err := totp.GenerateCode(secret, p.clock.Now())
	if err != nil {
		p.t.Fatal(err)
	}
	return c
}

// wrongCode is 6 digits that no authenticator would show in the accepted window.
func (p *pool) wrongCode(secret string) string {
	near := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, _ := totp.GenerateCode(secret, p.clock.Now().Add(d))
		near[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if !near[c] {
			return c
		}
	}
	p.t.Fatal("no wrong code found")
	return ""
}

func wantKind(t *testing.T, err error, k flow.Kind, secrets ...string) *flow.Error {
	t.Helper()
	var fe *flow.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want *flow.Error of kind %v", err, err, k)
	}
	if fe.Kind != k {
		t.Fatalf("kind %v (%s), want %v", fe.Kind, fe.Error(), k)
	}
	for _, s := range secrets {
		text := fe.Error() + fe.Message
		for _, v := range fe.Vars { // screens show them
			text += v
		}
		if fe.Err != nil {
			text += fe.Err.Error()
		}
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("error text carries a secret: %s", fe.Error())
		}
	}
	return fe
}

var base32Secret = regexp.MustCompile(`^[A-Z2-7]{32}$`)

func signInToSetup(t *testing.T, p *pool, c *flow.Client, name, password string) flow.Step {
	t.Helper()
	return signInToSetupWith(t, c, flow.AuthPassword, name, password)
}

// signInToSetupWith signs in with f and expects the MFA_SETUP challenge.
func signInToSetupWith(t *testing.T, c *flow.Client, f flow.AuthFlow, name, password string) flow.Step {
	t.Helper()
	step, err := c.SignInWith(context.Background(), f, name, password)
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("challenge %q, want MFA_SETUP", step.Challenge)
	}
	return step
}

func TestMFASetupPathEnrollsAndNextSignInAsksForCode(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("alice", "Passw0rd!x", true)
	ctx := context.Background()

	step := signInToSetup(t, p, c, "alice", "Passw0rd!x")
	if len(step.CanSetup) != 1 || step.CanSetup[0] != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("MFAS_CAN_SETUP decoded to %v", step.CanSetup)
	}
	if left := step.TimeLeft(p.clock.Now()); left != 3*time.Minute {
		t.Fatalf("session time left %v, want 3m", left)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if !setup.ViaSession() || setup.Session == "" || setup.Session == step.Session {
		t.Fatal("the MFA_SETUP path must carry a new session")
	}
	if !base32Secret.MatchString(setup.Secret) {
		t.Fatalf("secret %q is not 32 base32 characters", setup.Secret)
	}
	if !strings.HasPrefix(setup.URI, "otpauth://totp/Acme%20Test:alice?secret="+setup.Secret+"&issuer=Acme%20Test") {
		t.Fatalf("URI %s", setup.URI)
	}
	done, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if done.Username != "alice" || done.Tokens == nil || done.Tokens.AccessToken == "" {
		t.Fatalf("enrolled %+v", done)
	}

	p.clock.Advance(30 * time.Second)
	step, err = c.SignIn(ctx, "alice", "Passw0rd!x")
	if err != nil {
		t.Fatal(err)
	}
	if step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("second sign-in challenge %q, want SOFTWARE_TOKEN_MFA", step.Challenge)
	}
	signedIn, err := c.AnswerTOTP(ctx, step, p.code(setup.Secret))
	if err != nil || !signedIn.SignedIn() {
		t.Fatalf("answer: %+v %v", signedIn, err)
	}
}

func TestAccessTokenPathInOptionalPool(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOptional)
	c, _ := p.client(clientOpts{})
	p.user("bob", "Passw0rd!x", true)
	ctx := context.Background()

	step, err := c.SignIn(ctx, "bob", "Passw0rd!x")
	if err != nil || !step.SignedIn() {
		t.Fatalf("optional pool sign-in: %+v %v", step, err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if setup.ViaSession() || setup.Session != "" || setup.TimeLeft(p.clock.Now()) != 0 {
		t.Fatal("the access-token path holds no session")
	}
	done, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if done.Username != "bob" || !done.Preferred {
		t.Fatalf("enrolled %+v, want bob with TOTP preferred", done)
	}
	p.clock.Advance(30 * time.Second)
	step, err = c.SignIn(ctx, "bob", "Passw0rd!x")
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("after enrollment: %q %v", step.Challenge, err)
	}
}

func TestNewPasswordRequiredFirst(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("carol", "Temp-Passw0rd!", false)
	ctx := context.Background()

	step, err := c.SignIn(ctx, "carol", "Temp-Passw0rd!")
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("first sign-in: %q %v", step.Challenge, err)
	}
	_, err = c.SetNewPassword(ctx, step, "short", nil)
	fe := wantKind(t, err, flow.KindPasswordPolicy, "short")
	if fe.Op != "set new password" {
		t.Fatalf("op %q", fe.Op)
	}
	next, err := c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil)
	if err != nil {
		t.Fatalf("a policy failure must leave the challenge answerable: %v", err)
	}
	if next.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("after the new password: %q, want MFA_SETUP", next.Challenge)
	}
	setup, err := c.BeginTOTP(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret)); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(30 * time.Second)
	if _, err := c.SignIn(ctx, "carol", "Temp-Passw0rd!"); err == nil {
		t.Fatal("the temporary password must stop working")
	}
}

func TestWrongCodeThenRightCodeKeepsTheSecret(t *testing.T) {
	for _, mfa := range []types.UserPoolMfaType{types.UserPoolMfaTypeOn, types.UserPoolMfaTypeOptional} {
		t.Run(string(mfa), func(t *testing.T) {
			p := newPool(t, mfa)
			c, _ := p.client(clientOpts{})
			p.user("dave", "Passw0rd!x", true)
			ctx := context.Background()
			step, err := c.SignIn(ctx, "dave", "Passw0rd!x")
			if err != nil {
				t.Fatal(err)
			}
			setup, err := c.BeginTOTP(ctx, step)
			if err != nil {
				t.Fatal(err)
			}
			wrong := p.wrongCode(setup.Secret)
			_, err = c.ConfirmTOTP(ctx, setup, wrong)
			wantKind(t, err, flow.KindWrongCode, wrong, setup.Session, setup.AccessToken)
			if _, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret)); err != nil {
				t.Fatalf("the right code after a wrong one, same secret: %v", err)
			}
		})
	}
}

func TestBadCodeFormatMakesNoCall(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("erin", "Passw0rd!x", true)
	setup, err := c.BeginTOTP(context.Background(), signInToSetup(t, p, c, "erin", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"12345", "12a456"} {
		_, err := c.ConfirmTOTP(context.Background(), setup, typed)
		wantKind(t, err, flow.KindBadCode)
	}
	if _, err := c.ConfirmTOTP(context.Background(), setup, " "+p.code(setup.Secret)[:3]+" "+p.code(setup.Secret)[3:]); err != nil {
		t.Fatalf("a spaced code after bad ones: %v", err)
	}
}

func TestExpiredSessionAtEachStep(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("frank", "Passw0rd!x", true)
	ctx := context.Background()

	step := signInToSetup(t, p, c, "frank", "Passw0rd!x")
	p.clock.Advance(3*time.Minute + time.Second)
	if step.TimeLeft(p.clock.Now()) != 0 {
		t.Fatal("TimeLeft must reach zero")
	}
	_, err := c.BeginTOTP(ctx, step)
	fe := wantKind(t, err, flow.KindSessionExpired, step.Session)
	if !strings.Contains(fe.Message, "ran out of time") {
		t.Fatalf("message %q", fe.Message)
	}

	setup, err := c.BeginTOTP(ctx, signInToSetup(t, p, c, "frank", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(3*time.Minute + time.Second)
	_, err = c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	wantKind(t, err, flow.KindSessionExpired, setup.Session)
}

func TestLongerSessionValidityIsHonoured(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{validity: 15})
	p.user("gina", "Passw0rd!x", true)
	step := signInToSetup(t, p, c, "gina", "Passw0rd!x")
	p.clock.Advance(14 * time.Minute)
	if _, err := c.BeginTOTP(context.Background(), step); err != nil {
		t.Fatalf("a 15-minute client session at 14 minutes: %v", err)
	}
}

func TestReusedSessionIsRefused(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("hank", "Passw0rd!x", true)
	step := signInToSetup(t, p, c, "hank", "Passw0rd!x")
	if _, err := c.BeginTOTP(context.Background(), step); err != nil {
		t.Fatal(err)
	}
	_, err := c.BeginTOTP(context.Background(), step)
	fe := wantKind(t, err, flow.KindSessionExpired, step.Session)
	if !strings.Contains(fe.Message, "already used") {
		t.Fatalf("message %q", fe.Message)
	}
}

func TestClientWithSecret(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, fp := p.client(clientOpts{secret: true})
	if len(fp.ClientSecret) < 24 {
		t.Fatalf("client secret %d chars", len(fp.ClientSecret))
	}
	p.user("ivy", "Passw0rd!x", true)
	ctx := context.Background()
	setup, err := c.BeginTOTP(ctx, signInToSetup(t, p, c, "ivy", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret)); err != nil {
		t.Fatalf("MFA_SETUP answer with SECRET_HASH: %v", err)
	}

	noSecret := fp
	noSecret.ClientSecret = ""
	_, err = p.flow(noSecret).SignIn(ctx, "ivy", "Passw0rd!x")
	fe := wantKind(t, err, flow.KindClientSecret, "Passw0rd!x")
	if !strings.Contains(fe.Message, "--client-secret") {
		t.Fatalf("message %q", fe.Message)
	}
	wrong := fp
	wrong.ClientSecret = strings.Repeat("x", 40)
	_, err = p.flow(wrong).SignIn(ctx, "ivy", "Passw0rd!x")
	wantKind(t, err, flow.KindClientSecret, "Passw0rd!x", wrong.ClientSecret)
}

func TestDisallowedFlow(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{flows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}})
	p.user("jack", "Passw0rd!x", true)
	_, err := c.SignIn(context.Background(), "jack", "Passw0rd!x")
	fe := wantKind(t, err, flow.KindFlowNotEnabled, "Passw0rd!x")
	if !strings.Contains(fe.Message, "ALLOW_USER_PASSWORD_AUTH") {
		t.Fatalf("message %q must name the client setting", fe.Message)
	}
}

func TestWrongPasswordAndUnknownUser(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("kim", "Passw0rd!x", true)
	_, err := c.SignIn(context.Background(), "kim", "Wr0ng-Passw0rd")
	wantKind(t, err, flow.KindBadCredentials, "Wr0ng-Passw0rd")
	_, err = c.SignIn(context.Background(), "nobody", "Passw0rd!x")
	wantKind(t, err, flow.KindUserNotFound, "Passw0rd!x")
}

func TestUnknownClientIsMisconfigured(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{})
	fp.ClientID = "doesnotexist"
	_, err := p.flow(fp).SignIn(context.Background(), "kim", "Passw0rd!x")
	wantKind(t, err, flow.KindMisconfigured, "Passw0rd!x")
}

func TestUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	fp := flow.Pool{ClientID: "c", Region: "eu-west-1"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = flow.New(api, fp).SignIn(ctx, "kim", "Passw0rd!x")
	fe := wantKind(t, err, flow.KindUnreachable, "Passw0rd!x")
	if !fe.Kind.Retryable() {
		t.Fatal("an unreachable endpoint is worth a retry")
	}
}

func TestNoSessionNoTokensCannotBeginTOTP(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	_, err := c.BeginTOTP(context.Background(), flow.Step{Challenge: flow.ChallengeSMS, Session: "x"})
	wantKind(t, err, flow.KindUnexpected)
}

func TestNewAPIAcceptsAnHTTPClientWithCABundleSet(t *testing.T) {
	// A real PEM bundle, as on machines behind a TLS-inspecting proxy.
	tlsSrv := httptest.NewTLSServer(nil)
	tlsSrv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	srv := httptest.NewServer(cognitolocal.New(cognitolocal.Options{}))
	defer srv.Close()
	fp := flow.Pool{ClientID: "nope", Region: "us-east-1"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatalf("NewAPI with an HTTP client: %v", err)
	}
	// The call reaches the server through the given client: an unknown client answers ResourceNotFound.
	_, err = flow.New(api, fp).SignIn(context.Background(), "u", "Passw0rd!x")
	wantKind(t, err, flow.KindMisconfigured)
}

func TestDebugLogRecordsCallsButNoSecret(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{secret: true})
	var log bytes.Buffer
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	c := flow.New(api, fp, flow.WithClock(p.clock.Now), flow.WithDebugLog(slog.New(slog.NewTextHandler(&log, nil))))
	p.user("lena", "Temp-Passw0rd!", false)
	ctx := context.Background()

	step, err := c.SignIn(ctx, "lena", "Temp-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"Temp-Passw0rd!", "N3w-Passw0rd!", fp.ClientSecret, step.Session}
	step, err = c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, step.Session)
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	wrong := p.wrongCode(setup.Secret)
	_, _ = c.ConfirmTOTP(ctx, setup, wrong)
	right := p.code(setup.Secret)
	done, err := c.ConfirmTOTP(ctx, setup, right)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, setup.Secret, setup.Session, wrong, right, done.Tokens.AccessToken,
		done.Tokens.IDToken, done.Tokens.RefreshToken, flow.SecretHash(fp.ClientSecret, "lena", fp.ClientID))

	text := log.String()
	for _, want := range []string{"op=InitiateAuth", "sent=USER_PASSWORD_AUTH", "challenge=NEW_PASSWORD_REQUIRED",
		"challenge=MFA_SETUP", "op=AssociateSoftwareToken", "exception=EnableSoftwareTokenMFAException", "kind=WrongCode",
		"op=VerifySoftwareToken", "sent=MFA_SETUP", "took="} {
		if !strings.Contains(text, want) {
			t.Errorf("debug log lacks %q:\n%s", want, text)
		}
	}
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret under test is empty")
		}
		if strings.Contains(text, s) {
			t.Errorf("debug log contains a secret value (%d chars)", len(s))
		}
	}
}

func TestExpiredSessionAtTheSignInChallenge(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("quinn", "Temp-Passw0rd!", false)
	step, err := c.SignIn(context.Background(), "quinn", "Temp-Passw0rd!")
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("%q %v", step.Challenge, err)
	}
	p.clock.Advance(3*time.Minute + time.Second)
	_, err = c.SetNewPassword(context.Background(), step, "N3w-Passw0rd!", nil)
	wantKind(t, err, flow.KindSessionExpired, "N3w-Passw0rd!", step.Session)
}

// The MFA_SETUP answer is the last step of the session path: Verify has
// already accepted the code, and the session it returned can still expire.
func TestExpiredSessionAtTheMFASetupAnswer(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, fp := p.client(clientOpts{})
	p.user("rita", "Passw0rd!x", true)
	ctx := context.Background()
	setup, err := c.BeginTOTP(ctx, signInToSetup(t, p, c, "rita", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	// Verify by hand, to hold the session Verify returns across the expiry.
	api, err := flow.NewAPI(ctx, fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	out, err := api.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: aws.String(setup.Session), UserCode: aws.String(p.code(setup.Secret))})
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(3*time.Minute + time.Second)
	answer := flow.Step{Challenge: flow.ChallengeMFASetup, Session: aws.ToString(out.Session), Username: "rita"}
	_, err = c.Respond(ctx, answer, nil)
	fe := wantKind(t, err, flow.KindSessionExpired, answer.Session)
	if !strings.Contains(fe.Message, "Sign in again") {
		t.Fatalf("message %q", fe.Message)
	}
}
