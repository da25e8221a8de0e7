package flow_test

import (
	"context"
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

// demoPool is cognitolocal's seeded demo: a user for each story.
type demoPool struct {
	local *cognitolocal.Server
	clock *cognitolocal.ManualClock
	demo  cognitolocal.Demo
	url   string
	admin *cip.Client
}

func newDemoPool(t *testing.T) *demoPool {
	t.Helper()
	srv := localtest.New(t, localtest.At(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)))
	return &demoPool{local: srv.Endpoint, clock: srv.Clock, demo: srv.Demo(), url: srv.URL, admin: srv.Admin}
}

func (d *demoPool) client(t *testing.T, poolID, clientID string) *flow.Client {
	t.Helper()
	fp := flow.Pool{UserPoolID: poolID, ClientID: clientID, Region: d.demo.Region}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: d.url})
	if err != nil {
		t.Fatal(err)
	}
	return flow.New(api, fp, flow.WithClock(d.clock.Now))
}

func (d *demoPool) password(t *testing.T, name string) string {
	t.Helper()
	for _, u := range d.demo.Users {
		if u.Username == name {
			return u.Password
		}
	}
	t.Fatalf("no demo user %s", name)
	return ""
}

// latestCode is the last code cognitolocal delivered to name.
func (d *demoPool) latestCode(t *testing.T, name string) string {
	t.Helper()
	out := d.local.Outbox()
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].Username == name {
			return out[i].Code
		}
	}
	t.Fatalf("nothing delivered to %s", name)
	return ""
}

func TestSMSUserProvesFactorThenEnrollsWithAccessToken(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	ctx := context.Background()
	for _, f := range []flow.AuthFlow{flow.AuthPassword, flow.AuthSRP} {
		t.Run(string(f), func(t *testing.T) {
			step, err := c.SignInWith(ctx, f, "sms-user", d.password(t, "sms-user"))
			if err != nil {
				t.Fatal(err)
			}
			if step.Challenge != flow.ChallengeSMS || step.DeliveryMedium != "SMS" || step.DeliveryTo == "" {
				t.Fatalf("step %q medium %q to %q", step.Challenge, step.DeliveryMedium, step.DeliveryTo)
			}
			if !flow.AnswersWithCode(step.Challenge) {
				t.Fatal("SMS_MFA is answered with a code")
			}
			wrong := "000000"
			if d.latestCode(t, "sms-user") == wrong {
				wrong = "111111"
			}
			_, err = c.AnswerCode(ctx, step, wrong)
			wantKind(t, err, flow.KindWrongCode, wrong)
			signedIn, err := c.AnswerCode(ctx, step, d.latestCode(t, "sms-user"))
			if err != nil || !signedIn.SignedIn() {
				t.Fatalf("the right SMS code after a wrong one: %v", err)
			}
			if f == flow.AuthPassword {
				return // enroll once, after both flows have met SMS_MFA
			}
			setup, err := c.BeginTOTP(ctx, signedIn)
			if err != nil || setup.ViaSession() {
				t.Fatalf("access-token path: %v", err)
			}
			code, _ := totp.GenerateCode(setup.Secret, d.clock.Now())
			if done, err := c.ConfirmTOTP(ctx, setup, code); err != nil || !done.Preferred {
				t.Fatalf("enroll: %+v %v", done, err)
			}
		})
	}
	d.clock.Advance(30 * time.Second)
	step, err := c.SignInWith(ctx, flow.AuthSRP, "sms-user", d.password(t, "sms-user"))
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("after enrolling, TOTP is preferred: %q %v", step.Challenge, err)
	}
}

func TestUserWithTOTPAnswersAndCanReplaceIt(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	ctx := context.Background()
	step, err := c.SignInWith(ctx, flow.AuthSRP, "totp-user", d.password(t, "totp-user"))
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("%q %v", step.Challenge, err)
	}
	old, _ := totp.GenerateCode(d.demo.TOTPUserSecret, d.clock.Now())
	signedIn, err := c.AnswerTOTP(ctx, step, old)
	if err != nil || !signedIn.SignedIn() {
		t.Fatalf("answer with the old authenticator: %v", err)
	}
	_, acct, err := c.SignedInWithToken(ctx, signedIn.Tokens.AccessToken)
	if err != nil || acct.Username != "totp-user" || !acct.HasTOTP {
		t.Fatalf("account %+v %v", acct, err)
	}
	setup, err := c.BeginTOTP(ctx, signedIn)
	if err != nil {
		t.Fatal(err)
	}
	if setup.Secret == d.demo.TOTPUserSecret {
		t.Fatal("replacing must issue a new secret")
	}
	code, _ := totp.GenerateCode(setup.Secret, d.clock.Now())
	if _, err := c.ConfirmTOTP(ctx, setup, code); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(30 * time.Second)
	step, err = c.SignInWith(ctx, flow.AuthSRP, "totp-user", d.password(t, "totp-user"))
	if err != nil {
		t.Fatal(err)
	}
	old, _ = totp.GenerateCode(d.demo.TOTPUserSecret, d.clock.Now())
	_, err = c.AnswerTOTP(ctx, step, old)
	wantKind(t, err, flow.KindWrongCode)
}

func TestOptionalPoolSignsInStraightToTokens(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.OptionalPoolID, d.demo.OptionalClientID)
	step, err := c.SignInWith(context.Background(), flow.AuthSRP, "optional-user", d.password(t, "optional-user"))
	if err != nil || !step.SignedIn() {
		t.Fatalf("%+v %v", step, err)
	}
	_, acct, err := c.SignedInWithToken(context.Background(), step.Tokens.AccessToken)
	if err != nil || acct.HasTOTP {
		t.Fatalf("%+v %v", acct, err)
	}
	_, _, err = c.SignedInWithToken(context.Background(), "not-a-token")
	wantKind(t, err, flow.KindSessionExpired)
}

func TestSelectMFATypeChoosesTheFactor(t *testing.T) {
	d := newDemoPool(t)
	ctx := context.Background()
	// Give sms-user TOTP too, with neither preferred: Cognito then asks which.
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	step, _ := c.SignInWith(ctx, flow.AuthPassword, "sms-user", d.password(t, "sms-user"))
	signedIn, err := c.AnswerCode(ctx, step, d.latestCode(t, "sms-user"))
	if err != nil {
		t.Fatal(err)
	}
	setup, _ := c.BeginTOTP(ctx, signedIn)
	code, _ := totp.GenerateCode(setup.Secret, d.clock.Now())
	if _, err := c.ConfirmTOTP(ctx, setup, code); err != nil {
		t.Fatal(err)
	}
	_, err = d.admin.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(d.demo.UserPoolID),
		Username: aws.String("sms-user"), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(30 * time.Second)
	step, err = c.SignInWith(ctx, flow.AuthSRP, "sms-user", d.password(t, "sms-user"))
	if err != nil || step.Challenge != flow.ChallengeSelectMFA || len(step.CanChoose) != 2 {
		t.Fatalf("%q %v %v", step.Challenge, step.CanChoose, err)
	}
	if _, err := c.ChooseMFA(ctx, step, "EMAIL_OTP"); flow.KindOf(err) != flow.KindUnexpected {
		t.Fatalf("a factor not offered: %v", err)
	}
	next, err := c.ChooseMFA(ctx, step, flow.ChallengeSoftwareToken)
	if err != nil || next.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("%q %v", next.Challenge, err)
	}
	code, _ = totp.GenerateCode(setup.Secret, d.clock.Now())
	if done, err := c.AnswerCode(ctx, next, code); err != nil || !done.SignedIn() {
		t.Fatalf("%v", err)
	}
}

func TestUserAuthSelectChallengeBothPasswordMethods(t *testing.T) {
	d := newDemoPool(t)
	ctx := context.Background()
	out, err := d.admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(d.demo.OptionalPoolID),
		ClientName: aws.String("choice"), ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth}})
	if err != nil {
		t.Fatal(err)
	}
	c := d.client(t, d.demo.OptionalPoolID, aws.ToString(out.UserPoolClient.ClientId))
	pw := d.password(t, "optional-user")
	for _, choice := range []string{"PASSWORD_SRP", "PASSWORD"} {
		step, err := c.SignInWith(ctx, flow.AuthChoice, "optional-user", pw)
		if err != nil || step.Challenge != flow.ChallengeSelect || len(step.Available) < 2 {
			t.Fatalf("%q %v %v", step.Challenge, step.Available, err)
		}
		signedIn, err := c.SelectChallenge(ctx, step, choice, pw)
		if err != nil || !signedIn.SignedIn() {
			t.Fatalf("%s: %v", choice, err)
		}
		step, _ = c.SignInWith(ctx, flow.AuthChoice, "optional-user", pw)
		_, err = c.SelectChallenge(ctx, step, choice, "Wr0ng-Passw0rd!")
		wantKind(t, err, flow.KindBadCredentials, "Wr0ng-Passw0rd!")
	}
	// This client allows only USER_AUTH: SRP is refused with the setting named.
	_, err = c.SignInWith(ctx, flow.AuthSRP, "optional-user", pw)
	if fe := wantKind(t, err, flow.KindFlowNotEnabled, pw); !strings.Contains(fe.Message, "ALLOW_USER_SRP_AUTH") {
		t.Fatalf("message %q", fe.Message)
	}
}

func TestRequiredAttributesAtNewPassword(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	ctx := context.Background()
	out, err := p.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("attrs"),
		Schema: []types.SchemaAttributeType{{Name: aws.String("given_name"), Required: aws.Bool(true), AttributeDataType: types.AttributeDataTypeString}}})
	if err != nil {
		t.Fatal(err)
	}
	p.id = aws.ToString(out.UserPool.Id)
	_, err = p.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(p.id),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.client(clientOpts{})
	p.user("nina", "Temp-Passw0rd!", false)
	step, err := c.SignIn(ctx, "nina", "Temp-Passw0rd!")
	if err != nil || len(step.RequiredAttributes) != 1 || step.RequiredAttributes[0] != "given_name" {
		t.Fatalf("required %v %v", step.RequiredAttributes, err)
	}
	_, err = c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil)
	if fe := wantKind(t, err, flow.KindInvalidInput, "N3w-Passw0rd!"); !strings.Contains(fe.Message, "given_name") {
		t.Fatalf("message %q should name the attribute", fe.Message)
	}
	next, err := c.SetNewPassword(ctx, step, "N3w-Passw0rd!", map[string]string{"given_name": "Nina"})
	if err != nil || next.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("%q %v", next.Challenge, err)
	}
}

func TestLockoutAfterFiveWrongCodes(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	c, _ := p.client(clientOpts{})
	p.user("otto", "Passw0rd!x", true)
	ctx := context.Background()
	setup, err := c.BeginTOTP(ctx, signInToSetup(t, p, c, "otto", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := p.wrongCode(setup.Secret)
	for i := 0; i < 5; i++ {
		_, err := c.ConfirmTOTP(ctx, setup, wrong)
		wantKind(t, err, flow.KindWrongCode)
	}
	_, err = c.ConfirmTOTP(ctx, setup, p.code(setup.Secret))
	wantKind(t, err, flow.KindLockedOut)
	p.clock.Advance(2 * time.Second)
	if _, err := c.ConfirmTOTP(ctx, setup, p.code(setup.Secret)); err != nil {
		t.Fatalf("after the delay the right code works: %v", err)
	}
}
