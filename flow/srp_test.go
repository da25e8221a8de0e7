package flow_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/internal/srp"
)

var srpFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}

func signInSRPToSetup(t *testing.T, c *flow.Client, name, password string) flow.Step {
	t.Helper()
	return signInToSetupWith(t, c, flow.AuthSRP, name, password)
}

func TestSRPSignInEnrollsAndNextSignInAsksForCode(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{flows: srpFlows})
	p.user("alice", "Passw0rd!x", true)
	ctx := context.Background()

	step := signInSRPToSetup(t, c, "alice", "Passw0rd!x")
	if step.Username != "alice" || step.TimeLeft(p.clock.Now()) != 3*time.Minute {
		t.Fatalf("MFA_SETUP step %+v", step)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if done.Username != "alice" || done.Tokens == nil || done.Tokens.AccessToken == "" {
		t.Fatalf("enrolled %+v", done)
	}

	p.clock.Advance(30 * time.Second)
	step, err = c.SignInSRP(ctx, "alice", "Passw0rd!x")
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("second SRP sign-in: %q %v, want SOFTWARE_TOKEN_MFA", step.Challenge, err)
	}
	signedIn, err := c.AnswerTOTP(ctx, step, p.code(setup.Secret))
	if err != nil || !signedIn.SignedIn() {
		t.Fatalf("answer: %+v %v", signedIn, err)
	}
}

func TestSRPWrongPassword(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{flows: srpFlows})
	p.user("kim", "Passw0rd!x", true)
	_, err := c.SignInSRP(context.Background(), "kim", "Wr0ng-Passw0rd")
	fe := wantKind(t, err, flow.KindBadCredentials, "Wr0ng-Passw0rd")
	if fe.Op != "sign in" || fe.Code != "NotAuthorizedException" {
		t.Fatalf("error %+v", fe)
	}
	// The right password still works afterwards.
	signInSRPToSetup(t, c, "kim", "Passw0rd!x")
}

func TestSRPTemporaryPasswordAsksForANewOne(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{flows: srpFlows})
	p.user("carol", "Temp-Passw0rd!", false)
	ctx := context.Background()

	step, err := c.SignInSRP(ctx, "carol", "Temp-Passw0rd!")
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("first SRP sign-in: %q %v, want NEW_PASSWORD_REQUIRED", step.Challenge, err)
	}
	if step.Username != "carol" || step.Session == "" {
		t.Fatalf("step %+v", step)
	}
	next, err := c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil)
	if err != nil || next.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("after the new password: %q %v", next.Challenge, err)
	}
	// The verifier follows the password: the new one signs in, the old does not.
	signInSRPToSetup(t, c, "carol", "N3w-Passw0rd!")
	_, err = c.SignInSRP(ctx, "carol", "Temp-Passw0rd!")
	wantKind(t, err, flow.KindBadCredentials, "Temp-Passw0rd!")
}

// A pool whose client allows only SRP and has a secret enrolls a user end
// to end, from the temporary password: the hardest of the sign-in paths, as
// every call carries both SRP's proof and the SECRET_HASH.
func TestSRPOnlyClientWithSecretEnrollsEndToEnd(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, fp := p.client(clientOpts{secret: true, flows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}})
	if fp.ClientSecret == "" {
		t.Fatal("the client must have a secret")
	}
	p.user("ivy", "Temp-Passw0rd!", false)
	ctx := context.Background()

	_, err := c.SignIn(ctx, "ivy", "Temp-Passw0rd!")
	wantKind(t, err, flow.KindFlowNotEnabled, "Temp-Passw0rd!") // SRP is the only way in

	step, err := c.SignInSRP(ctx, "ivy", "Temp-Passw0rd!")
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("SRP sign-in: %q %v", step.Challenge, err)
	}
	next, err := c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil)
	if err != nil || next.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("new password: %q %v", next.Challenge, err)
	}
	setup, err := c.BeginTOTP(ctx, next)
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	if err != nil || done.Tokens == nil || !done.Preferred {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	p.clock.Advance(30 * time.Second)
	step, err = c.SignInSRP(ctx, "ivy", "N3w-Passw0rd!")
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("after enrollment: %q %v", step.Challenge, err)
	}
	if signedIn, err := c.AnswerTOTP(ctx, step, p.code(setup.Secret)); err != nil || !signedIn.SignedIn() {
		t.Fatalf("answer: %v", err)
	}

	noSecret := fp
	noSecret.ClientSecret = ""
	_, err = p.flow(noSecret).SignInSRP(ctx, "ivy", "N3w-Passw0rd!")
	wantKind(t, err, flow.KindClientSecret, "N3w-Passw0rd!")
	wrong := fp
	wrong.ClientSecret = strings.Repeat("x", 40)
	_, err = p.flow(wrong).SignInSRP(ctx, "ivy", "N3w-Passw0rd!")
	wantKind(t, err, flow.KindClientSecret, "N3w-Passw0rd!", wrong.ClientSecret)
}

func TestSRPFlowNotEnabled(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{}) // USER_PASSWORD_AUTH and refresh only
	p.user("jack", "Passw0rd!x", true)
	_, err := c.SignInSRP(context.Background(), "jack", "Passw0rd!x")
	fe := wantKind(t, err, flow.KindFlowNotEnabled, "Passw0rd!x")
	if !strings.Contains(fe.Message, "USER_SRP_AUTH") {
		t.Fatalf("message %q must name the flow", fe.Message)
	}
}

func TestSRPUnknownUser(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, fp := p.client(clientOpts{flows: srpFlows})
	_, err := c.SignInSRP(context.Background(), "nobody", "Passw0rd!x")
	wantKind(t, err, flow.KindUserNotFound, "Passw0rd!x")

	// With PreventUserExistenceErrors, Cognito answers with a challenge and
	// then refuses the claim as a wrong password.
	out, err := p.admin.CreateUserPoolClient(context.Background(), &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(p.id), ClientName: aws.String("hidden"), ExplicitAuthFlows: srpFlows,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	if err != nil {
		t.Fatal(err)
	}
	hidden := fp
	hidden.ClientID = aws.ToString(out.UserPoolClient.ClientId)
	_, err = p.flow(hidden).SignInSRP(context.Background(), "nobody", "Passw0rd!x")
	wantKind(t, err, flow.KindBadCredentials, "Passw0rd!x")
}

// TIMESTAMP is Cognito's time, measured on InitiateAuth's answer: Cognito
// refuses one far from its own, yet a computer 10 minutes off signs in.
func TestSRPClockFarOff(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{flows: srpFlows})
	p.user("lee", "Passw0rd!x", true)
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range []time.Duration{-10 * time.Minute, -2 * time.Minute, 7 * time.Minute} {
		c := flow.New(api, fp, flow.WithClock(func() time.Time { return p.clock.Now().Add(off) }))
		if _, err := c.SignInSRP(context.Background(), "lee", "Passw0rd!x"); err != nil {
			t.Fatalf("this computer %v from Cognito: %v", off, err)
		}
	}
}

// noCalls is a flow.API that fails any call.
type noCalls struct{ flow.API }

func (noCalls) InitiateAuth(context.Context, *cip.InitiateAuthInput, ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	return nil, errors.New("no call expected")
}

func TestSRPNeedsThePoolID(t *testing.T) {
	for _, id := range []string{"", "eu-west-1", "eu-west-1_"} {
		c := flow.New(noCalls{}, flow.Pool{UserPoolID: id, ClientID: "c", Region: "eu-west-1"})
		_, err := c.SignInSRP(context.Background(), "kim", "Passw0rd!x")
		// Not wantKind: this error has no cause to unwrap.
		var fe *flow.Error
		if !errors.As(err, &fe) || fe.Kind != flow.KindMisconfigured || !strings.Contains(fe.Message, "--user-pool-id") {
			t.Fatalf("pool ID %q: %v, want KindMisconfigured naming --user-pool-id", id, err)
		}
		if strings.Contains(fe.Error(), "Passw0rd!x") {
			t.Fatal("error text carries the password")
		}
	}
}

// fakeSRPCognito plays Cognito for a user known as userID who types an email
// alias, to check what real Cognito requires and cognitolocal cannot show (it
// has no aliases): the claim, USERNAME and SECRET_HASH of the answer all use
// USER_ID_FOR_SRP, and no Session is sent when Cognito gave none. It checks
// the claim with the server half of internal/srp.
type fakeSRPCognito struct {
	flow.API
	t                *testing.T
	fp               flow.Pool
	now              time.Time
	salt             string
	v                *big.Int
	userID, password string
	server           *srp.Server
	block            []byte
	answered         bool
}

func (f *fakeSRPCognito) noPassword(m map[string]string) {
	for k, v := range m {
		if strings.Contains(v, f.password) {
			f.t.Errorf("%s carries the password", k)
		}
	}
}

func (f *fakeSRPCognito) InitiateAuth(_ context.Context, in *cip.InitiateAuthInput, _ ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	f.noPassword(in.AuthParameters)
	typed := in.AuthParameters["USERNAME"]
	if in.AuthFlow != types.AuthFlowTypeUserSrpAuth || in.AuthParameters["SECRET_HASH"] != flow.SecretHash(f.fp.ClientSecret, typed, f.fp.ClientID) {
		f.t.Fatalf("InitiateAuth %s with SECRET_HASH not from the typed name %q", in.AuthFlow, typed)
	}
	a, err := srp.ParseHex(in.AuthParameters["SRP_A"])
	if err != nil {
		f.t.Fatal(err)
	}
	f.server, err = srp.NewServer(rand.Reader, f.v, a)
	if err != nil {
		f.t.Fatal(err)
	}
	f.block = []byte("opaque server state")
	return &cip.InitiateAuthOutput{ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeParameters: map[string]string{
		"SALT": f.salt, "SRP_B": f.server.BHex(), "SECRET_BLOCK": base64.StdEncoding.EncodeToString(f.block),
		"USER_ID_FOR_SRP": f.userID, "USERNAME": f.userID,
	}}, nil
}

func (f *fakeSRPCognito) RespondToAuthChallenge(_ context.Context, in *cip.RespondToAuthChallengeInput, _ ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	r := in.ChallengeResponses
	f.noPassword(r)
	switch {
	case in.Session != nil:
		f.t.Fatalf("Session %q sent, but Cognito gave none", aws.ToString(in.Session))
	case in.ChallengeName != types.ChallengeNameTypePasswordVerifier, r["USERNAME"] != f.userID:
		f.t.Fatalf("answer %s for %q, want PASSWORD_VERIFIER for %q", in.ChallengeName, r["USERNAME"], f.userID)
	case r["SECRET_HASH"] != flow.SecretHash(f.fp.ClientSecret, f.userID, f.fp.ClientID):
		f.t.Fatal("SECRET_HASH not computed from USER_ID_FOR_SRP")
	case r["TIMESTAMP"] != "Tue Feb 3 04:05:06 UTC 2026":
		f.t.Fatalf("TIMESTAMP %q", r["TIMESTAMP"])
	case r["PASSWORD_CLAIM_SECRET_BLOCK"] != base64.StdEncoding.EncodeToString(f.block):
		f.t.Fatal("the secret block was not echoed")
	}
	poolName := strings.TrimPrefix(f.fp.UserPoolID, "eu-west-1_")
	if !f.server.Verify(poolName, f.userID, f.block, r["TIMESTAMP"], r["PASSWORD_CLAIM_SIGNATURE"]) {
		return nil, &types.NotAuthorizedException{Message: aws.String("Incorrect username or password.")}
	}
	f.answered = true
	return &cip.RespondToAuthChallengeOutput{AuthenticationResult: &types.AuthenticationResultType{AccessToken: aws.String("at"), ExpiresIn: 3600}}, nil
}

func TestSRPAnswersAsUserIDForSRP(t *testing.T) {
	const (
		poolName = "AbC123xyz"
		userID   = "uuid-7"
		alias    = "alice@example.com"
		password = "Passw0rd!x"
	)
	now := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	fp := flow.Pool{UserPoolID: "eu-west-1_" + poolName, ClientID: "client1", ClientSecret: strings.Repeat("s", 40), Region: "eu-west-1"}
	salt, v, err := srp.NewVerifier(rand.Reader, poolName, userID, password)
	if err != nil {
		t.Fatal(err)
	}
	fake := &fakeSRPCognito{t: t, fp: fp, now: now, salt: salt.Text(16), v: v, userID: userID, password: password}
	c := flow.New(fake, fp, flow.WithClock(func() time.Time { return now }))
	step, err := c.SignInSRP(context.Background(), alias, password)
	if err != nil {
		t.Fatal(err)
	}
	if !step.SignedIn() || step.Username != userID || !fake.answered {
		t.Fatalf("step %+v answered %v", step, fake.answered)
	}

	_, err = c.SignInSRP(context.Background(), alias, "Wr0ng-Passw0rd")
	wantKind(t, err, flow.KindBadCredentials, "Wr0ng-Passw0rd")
}
