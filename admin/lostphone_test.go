package admin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/flow"
)

func apiErr(err error) (code, msg string) {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode(), api.ErrorMessage()
	}
	if err != nil {
		return "not a Cognito error", err.Error()
	}
	return "", ""
}

// The whole lost-phone story in a pool where MFA is required: enroll with the
// wizard's flow, lose the phone, `admin reset-totp`, enroll the new phone.
func TestLostPhoneStory(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	l.newUser("alice", true)
	c := l.flow()
	ctx := context.Background()

	// 1. Enroll with the wizard's flow: MFA_SETUP, secret, first code.
	step, err := c.SignIn(ctx, "alice", password)
	if err != nil || step.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("first sign-in: challenge %q, %v", step.Challenge, err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	oldSecret := setup.Secret
	enrolled, err := c.ConfirmTOTP(ctx, setup, l.code(oldSecret))
	if err != nil || enrolled.Tokens == nil {
		t.Fatalf("enrolled: tokens %v, %v", enrolled.Tokens != nil, err)
	}
	before := enrolled.Tokens
	if got := l.userReport("alice"); !got.User.HasTOTP() || got.Next.Next != admin.NextTOTP {
		t.Fatalf("after enrolling, admin user says %+v", got)
	}

	// A sign-in begun before the reset, left at its SOFTWARE_TOKEN_MFA challenge.
	l.clock.Advance(30 * time.Second)
	pending, err := c.SignIn(ctx, "alice", password)
	if err != nil || pending.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("second sign-in: challenge %q, %v", pending.Challenge, err)
	}

	// 2. The phone is lost: the administrator resets TOTP.
	r := l.run(runOpts{}, "reset-totp", "alice", "--yes")
	if r.err != nil || r.exit != 0 {
		t.Fatalf("reset-totp: %v (exit %d)\n%s", r.err, r.exit, r.stderr)
	}
	for _, want := range []string{"Removed the authenticator app (TOTP) of alice in pool " + l.poolID, "signed alice out of every session",
		"asks to set up MFA", "cognito-totp wizard"} {
		if !strings.Contains(flat(r.stdout), want) {
			t.Errorf("reset-totp's report lacks %q:\n%s", want, r.stdout)
		}
	}
	if l.counter.count("AdminDeleteSoftwareToken") != 1 || l.counter.count("AdminUserGlobalSignOut") != 1 {
		t.Fatalf("calls: delete %d, sign-out %d", l.counter.count("AdminDeleteSoftwareToken"), l.counter.count("AdminUserGlobalSignOut"))
	}

	// 3. The old code is refused, and the next sign-in gets MFA_SETUP.
	l.clock.Advance(30 * time.Second)
	if _, err := c.AnswerTOTP(ctx, pending, l.code(oldSecret)); err == nil {
		t.Fatal("the lost phone's code signed in after the reset")
	}
	step, err = c.SignIn(ctx, "alice", password)
	if err != nil || step.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("sign-in after the reset: challenge %q, %v, want MFA_SETUP", step.Challenge, err)
	}
	if got := l.userReport("alice"); got.User.HasTOTP() || got.Next.Next != admin.NextSetUpTOTP {
		t.Fatalf("after the reset, admin user says %+v", got)
	}

	// 4. Enroll again, with a new secret.
	setup, err = c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if setup.Secret == oldSecret {
		t.Fatal("the new phone got the lost phone's secret")
	}
	again, err := c.ConfirmTOTP(ctx, setup, l.code(setup.Secret))
	if err != nil || again.Tokens == nil {
		t.Fatalf("enrolling the new phone: tokens %v, %v", again.Tokens != nil, err)
	}

	// 5. admin user shows TOTP again.
	got := l.userReport("alice")
	if !got.User.HasTOTP() || got.User.Preferred != admin.FactorTOTP || got.Next.Next != admin.NextTOTP {
		t.Fatalf("after enrolling the new phone, admin user says %+v", got)
	}
	l.clock.Advance(30 * time.Second)
	step, err = c.SignIn(ctx, "alice", password)
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("sign-in with the new phone: challenge %q, %v", step.Challenge, err)
	}
	if _, err := c.AnswerTOTP(ctx, step, l.code(oldSecret)); err == nil {
		t.Fatal("the lost phone's code answers the new challenge")
	}
	step, err = c.SignIn(ctx, "alice", password)
	if err != nil {
		t.Fatal(err)
	}
	if signed, err := c.AnswerTOTP(ctx, step, l.code(setup.Secret)); err != nil || !signed.SignedIn() {
		t.Fatalf("the new phone's code: signed in %v, %v", signed.SignedIn(), err)
	}

	// 6. Tokens issued before the reset are refused; the new ones work.
	_, err = l.user.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(before.AccessToken)})
	if code, msg := apiErr(err); code != "NotAuthorizedException" || msg != "Access Token has been revoked" {
		t.Errorf("the access token from before the reset: %s %q, want NotAuthorizedException \"Access Token has been revoked\"", code, msg)
	}
	_, err = l.user.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(l.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": before.RefreshToken}})
	if code, _ := apiErr(err); code != "NotAuthorizedException" {
		t.Errorf("the refresh token from before the reset: %s, want NotAuthorizedException", code)
	}
	if _, err := l.user.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(again.Tokens.AccessToken)}); err != nil {
		t.Errorf("the access token of the new enrollment: %v", err)
	}
}

// The signature covers the rewritten X-Amz-Target: AdminDeleteSoftwareToken
// goes out as its own signed request, not as a signed AdminGetUser.
func TestDeleteSoftwareTokenIsSignedAsItself(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("bob", true)
	l.enrollSignedIn("bob")
	if r := l.run(runOpts{}, "reset-totp", "bob", "--yes", "--keep-sessions"); r.err != nil {
		t.Fatal(r.err)
	}
	reqs := l.counter.requests("AdminDeleteSoftwareToken")
	if len(reqs) != 1 {
		t.Fatalf("%d AdminDeleteSoftwareToken requests", len(reqs))
	}
	auth := reqs[0].auth
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDADMINTEST/") || !strings.Contains(auth, "/"+region+"/cognito-idp/aws4_request") ||
		!strings.Contains(auth, "x-amz-target") {
		t.Fatalf("Authorization %q: want SigV4 for cognito-idp in %s, signing x-amz-target", auth, region)
	}
	checkSignature(t, reqs[0])
	if got := l.userReport("bob"); got.User.HasTOTP() || got.Next.Next != admin.NextNoCode {
		t.Fatalf("after the reset in an optional pool: %+v", got)
	}
}

// checkSignature signs again, with the SDK's signer and the dummy keys, the
// headers the request says it signed, and wants the same signature: so the
// X-Amz-Target the server read is the one that was signed.
func checkSignature(t *testing.T, q request) {
	t.Helper()
	signed := regexp.MustCompile(`SignedHeaders=([^,]+)`).FindStringSubmatch(q.auth)
	if signed == nil {
		t.Fatalf("no SignedHeaders in %q", q.auth)
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+q.host+"/", bytes.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range strings.Split(signed[1], ";") {
		if h != "host" {
			req.Header[http.CanonicalHeaderKey(h)] = q.header.Values(h)
		}
	}
	at, err := time.Parse("20060102T150405Z", q.header.Get("X-Amz-Date"))
	if err != nil {
		t.Fatal(err)
	}
	creds, _ := dummyKeys.Retrieve(context.Background())
	sum := sha256.Sum256(q.body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", region, at); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != q.auth {
		t.Fatalf("the signature does not cover the request as sent:\n sent    %s\n re-made %s", q.auth, got)
	}
}
