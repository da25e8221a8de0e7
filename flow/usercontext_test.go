package flow_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

// signInEveryWay signs in with every flow the wizard offers (SRP, password,
// choice-based with each password method) to MFA_SETUP, then enrolls,
// through a Client made with opts on an app client with a secret and
// EnablePropagateAdditionalUserContextData; it returns what the server
// recorded of each sign-in call's UserContextData.
func signInEveryWay(t *testing.T, opts ...flow.Option) []cognitolocal.UserContext {
	t.Helper()
	clock := cognitolocal.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	local := cognitolocal.New(cognitolocal.Options{Clock: clock, Region: "eu-west-1"})
	srv := httptest.NewServer(local)
	t.Cleanup(srv.Close)
	admin := cip.New(cip.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "dummy", ""), HTTPClient: srv.Client()})
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	out, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("ctx")})
	must(out, err)
	id := out.UserPool.Id
	must(admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}))
	cl, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("server"),
		GenerateSecret: true, EnablePropagateAdditionalUserContextData: aws.Bool(true),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	must(cl, err)
	must(admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: id, Username: aws.String("ann"),
		TemporaryPassword: aws.String("Passw0rd!x"), MessageAction: types.MessageActionTypeSuppress}))
	must(admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: id, Username: aws.String("ann"),
		Password: aws.String("Passw0rd!x"), Permanent: true}))
	fp := flow.Pool{UserPoolID: aws.ToString(id), ClientID: aws.ToString(cl.UserPoolClient.ClientId),
		ClientSecret: aws.ToString(cl.UserPoolClient.ClientSecret), Region: "eu-west-1"}
	api, err := flow.NewAPI(ctx, fp, flow.Endpoint{URL: srv.URL})
	must(api, err)
	c := flow.New(api, fp, append([]flow.Option{flow.WithClock(clock.Now)}, opts...)...)

	var step flow.Step
	for _, f := range []flow.AuthFlow{flow.AuthSRP, flow.AuthPassword} {
		step = signInToSetupWith(t, c, f, "ann", "Passw0rd!x")
	}
	for _, choice := range []string{"PASSWORD_SRP", "PASSWORD"} {
		sel, err := c.SignInWith(ctx, flow.AuthChoice, "ann", "Passw0rd!x")
		if err != nil || sel.Challenge != flow.ChallengeSelect {
			t.Fatalf("USER_AUTH: %q %v", sel.Challenge, err)
		}
		if step, err = c.SelectChallenge(ctx, sel, choice, "Passw0rd!x"); err != nil || step.Challenge != flow.ChallengeMFASetup {
			t.Fatalf("%s: %q %v", choice, step.Challenge, err)
		}
	}
	setup, err := c.BeginTOTP(ctx, step)
	must(setup, err)
	code, err := totp.GenerateCode(setup.Secret, clock.Now())
	must(code, err)
	done, err := c.ConfirmTOTP(ctx, setup, code) // answers MFA_SETUP
	if err != nil || done.Tokens == nil {
		t.Fatalf("enroll: %v", err)
	}
	seen, propagated := local.UserContexts(fp.ClientID)
	if !propagated {
		t.Fatal("the app client does not have EnablePropagateAdditionalUserContextData")
	}
	return seen
}

// WithClientIP: every InitiateAuth and RespondToAuthChallenge of the
// Client, in every sign-in flow and at the MFA_SETUP answer, carries the
// address; without it none carries one.
func TestClientIPReachesEverySignInCall(t *testing.T) {
	seen := signInEveryWay(t, flow.WithClientIP("198.51.100.23"))
	counts := map[string]int{}
	for _, s := range seen {
		counts[s.Operation]++
		if s.IPAddress != "198.51.100.23" {
			t.Errorf("a %s carried %q, want 198.51.100.23", s.Operation, s.IPAddress)
		}
	}
	// SRP: InitiateAuth + PASSWORD_VERIFIER; password: InitiateAuth; USER_AUTH
	// twice: InitiateAuth + SELECT_CHALLENGE (+ PASSWORD_VERIFIER for SRP);
	// then the MFA_SETUP answer.
	if counts["InitiateAuth"] != 4 || counts["RespondToAuthChallenge"] != 5 {
		t.Errorf("recorded %v, want 4 InitiateAuth and 5 RespondToAuthChallenge", counts)
	}

	for _, s := range signInEveryWay(t) {
		if s.IPAddress != "" {
			t.Errorf("without WithClientIP a %s carried %q", s.Operation, s.IPAddress)
		}
	}
}
