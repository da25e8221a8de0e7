package cognitolocal_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	if d.Region != "us-east-1" || !strings.HasPrefix(d.UserPoolID, "us-east-1_") || d.Username != "demo" || d.ClientID == "" {
		t.Fatalf("demo = %+v", d)
	}
	pool, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(d.UserPoolID)})
	must(t, err)
	if aws.ToString(pool.UserPool.Name) != "cognito-totp-demo" || pool.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("pool = %+v", pool.UserPool)
	}
	cfg, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(d.UserPoolID)})
	must(t, err)
	if !cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatal("demo pool has TOTP off")
	}
	cl := e.describeClient(d.UserPoolID, d.ClientID)
	if aws.ToString(cl.ClientName) != "cognito-totp-demo" || cl.ClientSecret != nil || len(cl.ExplicitAuthFlows) != 4 {
		t.Fatalf("client = %+v", cl)
	}
	u := e.adminGetUser(d.UserPoolID, "demo")
	if attr(u.UserAttributes, "email") != "demo@example.com" || attr(u.UserAttributes, "email_verified") != "true" {
		t.Fatalf("user attributes = %+v", u.UserAttributes)
	}

	c := appClient{id: d.ClientID}
	out, err := e.signIn(c, d.Username, d.TemporaryPassword)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "demo", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)
}

func TestSeedDemoUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	var names []string
	for _, u := range d.Users {
		if u.Password == "" || u.Story == "" || strings.Contains(u.Story, "\n") {
			t.Fatalf("demo user %+v", u)
		}
		names = append(names, u.Username)
	}
	if strings.Join(names, ",") != "demo,sms-user,totp-user,email-user,choose-user,optional-user" || d.Users[0].Password != d.TemporaryPassword ||
		d.OptionalPoolID == "" || d.OptionalPoolID == d.UserPoolID || d.OptionalClientID == "" || d.TOTPUserSecret == "" {
		t.Fatalf("demo = %+v", d)
	}
	c := appClient{id: d.ClientID}
	pw := d.Users[1].Password

	// sms-user: SMS_MFA, the code in the outbox, tokens, then TOTP with the access token.
	out, err := e.signIn(c, "sms-user", pw)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSmsMfa)
	m := lastCode(t, e.server, "sms-user")
	if m.PoolID != d.UserPoolID || m.Medium != "SMS" {
		t.Fatalf("message = %+v", m)
	}
	fin, err := e.respond(c, types.ChallengeNameTypeSmsMfa, out.Session, "sms-user", map[string]string{"SMS_MFA_CODE": m.Code})
	must(t, err)
	e.enrollWithToken(fin.AuthenticationResult.AccessToken)

	// totp-user: SOFTWARE_TOKEN_MFA with codes from the published secret.
	out, err = e.signIn(c, "totp-user", d.Users[2].Password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "totp-user",
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(d.TOTPUserSecret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("totp-user got no tokens")
	}

	// email-user: EMAIL_OTP; choose-user: SELECT_MFA_TYPE between SMS and email.
	em, err := e.signIn(c, "email-user", pw)
	must(t, err)
	wantChallenge(t, em.ChallengeName, types.ChallengeNameTypeEmailOtp)
	ch, err := e.signIn(c, "choose-user", pw)
	must(t, err)
	wantChallenge(t, ch.ChallengeName, types.ChallengeNameTypeSelectMfaType)
	if got := ch.ChallengeParameters["MFAS_CAN_CHOOSE"]; got != `["SMS_MFA","EMAIL_OTP"]` {
		t.Fatalf("MFAS_CAN_CHOOSE = %s", got)
	}

	// optional-user: straight to tokens in the MFA OPTIONAL pool.
	opt, err := e.signIn(appClient{id: d.OptionalClientID}, "optional-user", d.Users[5].Password)
	must(t, err)
	if opt.AuthenticationResult == nil {
		t.Fatalf("optional-user got challenge %q", opt.ChallengeName)
	}
	cfg, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(d.OptionalPoolID)})
	must(t, err)
	if cfg.MfaConfiguration != types.UserPoolMfaTypeOptional || !cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("optional pool = %+v", cfg)
	}
}
