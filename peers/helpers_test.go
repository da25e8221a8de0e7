package peers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/flow"
)

// region is the one both servers use: cognitolocal's default, and the one
// moto reads from the admin calls' signatures.
const region = "us-east-1"

const (
	password     = "Passw0rd!x"
	tempPassword = "Temp-Passw0rd!"
	newPassword  = "N3w-Passw0rd!"
	weakPassword = "short"
)

// target is one Cognito endpoint reached with the real SDK: admin calls
// signed with dummy keys, user calls unsigned, as the tool makes them.
type target struct {
	name  string
	url   string
	admin *cip.Client
	user  *cip.Client
}

func newTarget(name, url string) *target {
	// A new connection for every call: moto's server may close a kept-alive
	// connection just as the next call is written on it, and Go does not
	// resend a POST ("use of closed network connection" while creating
	// users). One try per call stays, so a peer's refusal is seen as it is;
	// the admin client's set-up calls survive a broken connection
	// (settleTransport).
	plain := &http.Transport{DisableKeepAlives: true}
	mk := func(creds aws.CredentialsProvider, rt http.RoundTripper) *cip.Client {
		return cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(url), Credentials: creds, RetryMaxAttempts: 1,
			HTTPClient: &http.Client{Transport: rt}})
	}
	return &target{name: name, url: url,
		admin: mk(credentials.NewStaticCredentialsProvider("AKIDPEERSTEST", "dummy", ""), settleTransport{next: plain}),
		user:  mk(aws.AnonymousCredentials{}, plain)}
}

// pool creates a user pool; with mfa ON or OPTIONAL it turns software token MFA on.
func (tg *target) pool(t *testing.T, mfa types.UserPoolMfaType) string {
	t.Helper()
	ctx := context.Background()
	out, err := tg.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("peers")})
	if err != nil {
		t.Fatalf("%s: CreateUserPool: %v", tg.name, err)
	}
	id := aws.ToString(out.UserPool.Id)
	if mfa != types.UserPoolMfaTypeOff {
		_, err := tg.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(id),
			MfaConfiguration: mfa, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		if err != nil {
			t.Fatalf("%s: SetUserPoolMfaConfig: %v", tg.name, err)
		}
	}
	return id
}

var passwordFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}

// client creates an app client and returns its ID and secret ("" without one).
func (tg *target) client(t *testing.T, poolID string, secret bool, flows ...types.ExplicitAuthFlowsType) (string, string) {
	t.Helper()
	out, err := tg.admin.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("peers"), GenerateSecret: secret, ExplicitAuthFlows: flows})
	if err != nil {
		t.Fatalf("%s: CreateUserPoolClient: %v", tg.name, err)
	}
	return aws.ToString(out.UserPoolClient.ClientId), aws.ToString(out.UserPoolClient.ClientSecret)
}

// newUser creates a user with pw as temporary password; permanent makes it
// the user's password (CONFIRMED), else the user must change it first.
func (tg *target) newUser(t *testing.T, poolID, name, pw string, permanent bool) {
	t.Helper()
	ctx := context.Background()
	_, err := tg.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name),
		TemporaryPassword: aws.String(pw), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatalf("%s: AdminCreateUser: %v", tg.name, err)
	}
	if permanent {
		_, err = tg.admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
			Username: aws.String(name), Password: aws.String(pw), Permanent: true})
		if err != nil {
			t.Fatalf("%s: AdminSetUserPassword: %v", tg.name, err)
		}
	}
}

// flowClient is the tool's own client for an app client, built as main.go builds it.
func (tg *target) flowClient(t *testing.T, poolID, clientID, secret string) *flow.Client {
	t.Helper()
	fp := flow.Pool{UserPoolID: poolID, ClientID: clientID, ClientSecret: secret, Region: region, Issuer: "Peers Test"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: tg.url})
	if err != nil {
		t.Fatal(err)
	}
	return flow.New(api, fp)
}

// optionalPoolUser creates an MFA-optional pool with a password-flow app
// client (no secret) and one user, and returns the pool's ID and the tool's
// client for it.
func (tg *target) optionalPoolUser(t *testing.T, name, pw string, permanent bool) (string, *flow.Client) {
	t.Helper()
	poolID := tg.pool(t, types.UserPoolMfaTypeOptional)
	clientID, _ := tg.client(t, poolID, false, passwordFlows...)
	tg.newUser(t, poolID, name, pw, permanent)
	return poolID, tg.flowClient(t, poolID, clientID, "")
}

// TOTP codes are computed at the real time: moto checks codes against its own
// clock and accepts only the current 30 s step.

const (
	step   = 30 * time.Second
	margin = 3 * time.Second
)

// freshStep waits for the next 30 s step when fewer than 3 s are left in the
// current one, so a code computed now is still current when the server checks it.
func freshStep() {
	left := step - time.Duration(time.Now().UnixNano()%int64(step))
	if left < margin {
		time.Sleep(left + 50*time.Millisecond)
	}
}

// codeNow is the authenticator's code for secret now.
func codeNow(t *testing.T, secret string) string {
	t.Helper()
	freshStep()
	return codeAt(t, secret, time.Now())
}

// nextCode is the app's code of the next 30 s step, waited for: after a
// code was used, Cognito (and cognitolocal) refuse it again, and moto takes
// only the current step's code, so both take the next one only once it is due.
func nextCode(t *testing.T, secret string) string {
	t.Helper()
	time.Sleep(step - time.Duration(time.Now().UnixNano()%int64(step)) + 50*time.Millisecond)
	return codeNow(t, secret)
}

// codeBefore is the code of the 30 s step before the current one: Cognito
// accepts it (one step of drift), moto does not.
func codeBefore(t *testing.T, secret string) string {
	t.Helper()
	freshStep()
	return codeAt(t, secret, time.Now().Add(-step))
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatalf("computing a TOTP code: %v", err)
	}
	return c
}

// wrongCode is six digits no authenticator for secret shows within two steps of now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	near := map[string]bool{}
	for d := -2; d <= 2; d++ {
		near[codeAt(t, secret, time.Now().Add(time.Duration(d)*step))] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444", "555555"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// madeUpSession looks like a session (within the model's 20..2048 characters)
// but was never issued by anybody.
const madeUpSession = "AYABeNotASessionAnyServerIssued0123456789abcdefABCDEF"

// madeUpAccessToken has the shape of a JWT but no valid signature.
const madeUpAccessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2JvZHkiLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.bm90LWEtc2lnbmF0dXJl"

// apiCode is the exception name of a Cognito error, "" for nil; any other
// error (the SDK could not read the answer, the network) is shown as such.
func apiCode(err error) string {
	if err == nil {
		return ""
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return "not a Cognito error: " + err.Error()
}

// flowErr asserts err is a *flow.Error and that its text carries none of secrets.
func flowErr(t *testing.T, err error, secrets ...string) *flow.Error {
	t.Helper()
	var fe *flow.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *flow.Error", err, err)
	}
	text := fe.Error() + " " + fe.Message
	if u := errors.Unwrap(fe); u != nil {
		text += " " + u.Error()
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("the error's text carries a secret value: %s", text)
		}
	}
	return fe
}

// wantKind asserts err is a *flow.Error of kind k for Cognito's exception code.
func wantKind(t *testing.T, err error, k flow.Kind, code string, secrets ...string) *flow.Error {
	t.Helper()
	fe := flowErr(t, err, secrets...)
	if fe.Kind != k || fe.Code != code {
		t.Fatalf("error kind %v code %q (%s), want kind %v code %q", fe.Kind, fe.Code, fe.Error(), k, code)
	}
	return fe
}
