package cognitolocal_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// env is one server on loopback with a ManualClock and two real SDK clients:
// admin (signed with dummy credentials) and user (anonymous, unsigned).
type env struct {
	t      *testing.T
	clock  *cognitolocal.ManualClock
	server *cognitolocal.Server
	model  *modelRecorder // every answer, checked against the API model when the test ends
	url    string
	admin  *cip.Client
	user   *cip.Client
	ctx    context.Context
}

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := cognitolocal.NewManualClock(start)
	server := cognitolocal.New(cognitolocal.Options{Clock: clock})
	var handler http.Handler = server
	if os.Getenv(everyTestOnDiskEnv) != "" {
		server, handler = openChecked(t, clock)
	}
	model := checkedAgainstModel(t, handler)
	srv := httptest.NewServer(model)
	t.Cleanup(srv.Close)
	mk := func(creds aws.CredentialsProvider) *cip.Client {
		return cip.New(cip.Options{
			Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds,
			HTTPClient: srv.Client(), RetryMaxAttempts: 1,
		})
	}
	return &env{
		t: t, clock: clock, server: server, model: model, url: srv.URL, ctx: context.Background(),
		admin: mk(credentials.NewStaticCredentialsProvider("x", "y", "")),
		user:  mk(aws.AnonymousCredentials{}),
	}
}

// poolSpec describes a pool to create. MFA "ON"/"OPTIONAL" turns TOTP on.
type poolSpec struct {
	mfa string // OFF (default), ON, OPTIONAL
}

func (e *env) pool(spec poolSpec) string {
	e.t.Helper()
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("test-pool")})
	must(e.t, err)
	id := aws.ToString(out.UserPool.Id)
	if spec.mfa != "" && spec.mfa != "OFF" {
		_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{
			UserPoolId:                    aws.String(id),
			MfaConfiguration:              types.UserPoolMfaType(spec.mfa),
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		})
		must(e.t, err)
	}
	return id
}

type clientSpec struct {
	secret    bool
	flows     []types.ExplicitAuthFlowsType // nil: USER_PASSWORD + SRP + REFRESH
	validity  int32                         // AuthSessionValidity; 0 = default
	noExistsE bool                          // PreventUserExistenceErrors ENABLED
}

type appClient struct{ id, secret string }

func (e *env) client(poolID string, spec clientSpec) appClient {
	e.t.Helper()
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("test-client"), GenerateSecret: spec.secret,
		ExplicitAuthFlows: spec.flows,
	}
	if in.ExplicitAuthFlows == nil {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	if spec.validity != 0 {
		in.AuthSessionValidity = aws.Int32(spec.validity)
	}
	if spec.noExistsE {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	}
	out, err := e.admin.CreateUserPoolClient(e.ctx, in)
	must(e.t, err)
	return appClient{id: aws.ToString(out.UserPoolClient.ClientId), secret: aws.ToString(out.UserPoolClient.ClientSecret)}
}

const (
	tempPassword = "Temp-Pass-123!"
	password     = "Good-Pass-456!"
)

// confirmedUser creates a user with the permanent password `password`.
func (e *env) confirmedUser(poolID, name string) {
	e.t.Helper()
	e.tempUser(poolID, name)
	_, err := e.admin.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(name), Password: aws.String(password), Permanent: true,
	})
	must(e.t, err)
}

// tempUser creates a FORCE_CHANGE_PASSWORD user with tempPassword.
func (e *env) tempUser(poolID, name string) {
	e.t.Helper()
	_, err := e.admin.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(name), TemporaryPassword: aws.String(tempPassword),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}},
	})
	must(e.t, err)
}

func hash(c appClient, username string) *string {
	if c.secret == "" {
		return nil
	}
	m := hmac.New(sha256.New, []byte(c.secret))
	m.Write([]byte(username + c.id))
	s := base64.StdEncoding.EncodeToString(m.Sum(nil))
	return &s
}

func withHash(c appClient, username string, m map[string]string) map[string]string {
	if h := hash(c, username); h != nil {
		m["SECRET_HASH"] = *h
	}
	return m
}

func (e *env) signIn(c appClient, username, pw string) (*cip.InitiateAuthOutput, error) {
	return e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, username, map[string]string{"USERNAME": username, "PASSWORD": pw}),
	})
}

func (e *env) respond(c appClient, challenge types.ChallengeNameType, session *string, username string, extra map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	resp := map[string]string{"USERNAME": username}
	for k, v := range extra {
		resp[k] = v
	}
	return e.user.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(c.id), ChallengeName: challenge, Session: session,
		ChallengeResponses: withHash(c, username, resp),
	})
}

// code is the TOTP code for secret at the server clock's time.
func (e *env) code(secret string) string {
	e.t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now())
	must(e.t, err)
	return c
}

// enrollViaSession signs in a CONFIRMED user of an MFA-ON pool and goes
// through MFA_SETUP; it returns the TOTP secret and the final tokens.
func (e *env) enrollViaSession(c appClient, username string) (string, *types.AuthenticationResultType) {
	e.t.Helper()
	out, err := e.signIn(c, username, password)
	must(e.t, err)
	wantChallenge(e.t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	must(e.t, err)
	secret := aws.ToString(assoc.SecretCode)
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{
		Session: assoc.Session, UserCode: aws.String(e.code(secret)), FriendlyDeviceName: aws.String("phone"),
	})
	must(e.t, err)
	fin, err := e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, username, nil)
	must(e.t, err)
	if fin.AuthenticationResult == nil {
		e.t.Fatalf("MFA_SETUP answer gave no tokens: %+v", fin)
	}
	return secret, fin.AuthenticationResult
}

// tokens signs in a user of a pool where that gives tokens directly.
func (e *env) tokens(c appClient, username string) *types.AuthenticationResultType {
	e.t.Helper()
	out, err := e.signIn(c, username, password)
	must(e.t, err)
	if out.AuthenticationResult == nil {
		e.t.Fatalf("sign-in gave challenge %q, want tokens", out.ChallengeName)
	}
	return out.AuthenticationResult
}

// optionalPoolToken makes an MFA-optional pool with a plain app client and a
// CONFIRMED user there, signs the user in and returns the access token.
func (e *env) optionalPoolToken(username string) *string {
	e.t.Helper()
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, username)
	return e.tokens(c, username).AccessToken
}

// associate starts TOTP set-up with an access token and returns the secret.
func (e *env) associate(access *string) string {
	e.t.Helper()
	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
	must(e.t, err)
	return aws.ToString(assoc.SecretCode)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantChallenge(t *testing.T, got, want types.ChallengeNameType) {
	t.Helper()
	if got != want {
		t.Fatalf("challenge = %q, want %q", got, want)
	}
}

// wantErr checks that err is the SDK's typed error T with exactly msg.
func wantErr[T smithy.APIError](t *testing.T, err error, msg string) {
	t.Helper()
	var typed T
	if !errors.As(err, &typed) {
		t.Fatalf("error = %v (%T), want %T", err, err, typed)
	}
	if typed.ErrorMessage() != msg {
		t.Fatalf("%s message = %q, want %q", typed.ErrorCode(), typed.ErrorMessage(), msg)
	}
}

// wantAPIErr checks the error code and that the message contains part.
func wantAPIErr(t *testing.T, err error, code, part string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if api.ErrorCode() != code || !strings.Contains(api.ErrorMessage(), part) {
		t.Fatalf("error = %s %q, want %s containing %q", api.ErrorCode(), api.ErrorMessage(), code, part)
	}
}

func totpCode(secret string, at time.Time) (string, error) { return totp.GenerateCode(secret, at) }

// adminCall sends a SigV4-signed AWS JSON 1.1 request for an operation the
// SDK does not have yet (AdminDeleteSoftwareToken), signed by the SDK's own
// signer. An error answer comes back as a *smithy.GenericAPIError.
func (e *env) adminCall(operation string, in, out any) error {
	e.t.Helper()
	return e.rawCall(operation, true, in, out)
}

// unsignedCall sends the same request without a signature.
func (e *env) unsignedCall(operation string, in any) error {
	e.t.Helper()
	return e.rawCall(operation, false, in, nil)
}

func (e *env) rawCall(operation string, signed bool, in, out any) error {
	e.t.Helper()
	body, err := json.Marshal(in)
	must(e.t, err)
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.url+"/", bytes.NewReader(body))
	must(e.t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+operation)
	if signed {
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: "x", SecretAccessKey: "y"}
		must(e.t, v4.NewSigner().SignHTTP(e.ctx, creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", time.Now()))
	}
	resp, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	must(e.t, err)
	if resp.StatusCode != http.StatusOK {
		var apiErr struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(raw, &apiErr); err != nil {
			e.t.Fatalf("%s: HTTP %d with a body that is not JSON", operation, resp.StatusCode)
		}
		return &smithy.GenericAPIError{Code: apiErr.Type, Message: apiErr.Message}
	}
	if out != nil {
		must(e.t, json.Unmarshal(raw, out))
	}
	return nil
}

// deleteSoftwareToken calls AdminDeleteSoftwareToken.
func (e *env) deleteSoftwareToken(poolID, username string) error {
	e.t.Helper()
	var out map[string]any
	err := e.adminCall("AdminDeleteSoftwareToken", map[string]string{"UserPoolId": poolID, "Username": username}, &out)
	if err == nil && len(out) != 0 {
		e.t.Fatalf("AdminDeleteSoftwareToken answered %d members, want {}", len(out))
	}
	return err
}
