package cognitolocal_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

const snsArn = "arn:aws:iam::123456789012:role/sns"

// factorPool makes a pool with MFA mfa and the given factors on.
func (e *env) factorPool(mfa types.UserPoolMfaType, totp, sms, email bool) string {
	e.t.Helper()
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("factors")})
	must(e.t, err)
	id := aws.ToString(out.UserPool.Id)
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(id), MfaConfiguration: mfa,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: totp}}
	if sms {
		in.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(snsArn)}}
	}
	if email {
		in.EmailMfaConfiguration = &types.EmailMfaConfigType{}
	}
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, in)
	must(e.t, err)
	return id
}

// phoneUser makes a CONFIRMED user with a phone number and an email address.
func (e *env) phoneUser(poolID, name, phone string) {
	e.t.Helper()
	e.confirmedUser(poolID, name)
	// confirmedUser's AdminCreateUser set the email; add the phone with RESEND.
	_, err := e.admin.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(name), MessageAction: types.MessageActionTypeResend,
		TemporaryPassword: aws.String(tempPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String(phone)},
			{Name: aws.String("phone_number_verified"), Value: aws.String("true")}},
	})
	must(e.t, err)
	_, err = e.admin.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(name), Password: aws.String(password), Permanent: true,
	})
	must(e.t, err)
}

func (e *env) adminPrefer(poolID, name string, in cip.AdminSetUserMFAPreferenceInput) {
	e.t.Helper()
	in.UserPoolId, in.Username = aws.String(poolID), aws.String(name)
	_, err := e.admin.AdminSetUserMFAPreference(e.ctx, &in)
	must(e.t, err)
}

// lastCode is the newest outbox message for username.
func lastCode(t *testing.T, s *cognitolocal.Server, username string) cognitolocal.Message {
	t.Helper()
	box := s.Outbox()
	for i := len(box) - 1; i >= 0; i-- {
		if box[i].Username == username {
			return box[i]
		}
	}
	t.Fatalf("no message for %s in the outbox (%d messages)", username, len(box))
	return cognitolocal.Message{}
}

// enrollWithToken puts TOTP on a signed-in user (verified, not yet enabled).
func (e *env) enrollWithToken(access *string) string {
	e.t.Helper()
	secret := e.associate(access)
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(secret))})
	must(e.t, err)
	e.clock.Advance(30 * time.Second) // that code is spent: the app's next one answers from here on
	return secret
}

func TestSMSMFASignInThenTOTPWithAccessToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOn, true, true, false)
	c := e.client(poolID, clientSpec{secret: true})
	e.phoneUser(poolID, "sam", "+15555551234")
	e.adminPrefer(poolID, "sam", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	var mu sync.Mutex
	var live []cognitolocal.Message
	e.server.OnMessage(func(m cognitolocal.Message) {
		_ = e.server.Outbox() // called outside the server's lock: this must not deadlock
		mu.Lock()
		defer mu.Unlock()
		live = append(live, m)
	})

	out, err := e.signIn(c, "sam", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSmsMfa)
	p := out.ChallengeParameters
	if p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "SMS" || p["CODE_DELIVERY_DESTINATION"] != "+*******1234" {
		t.Fatalf("SMS_MFA parameters = %v", p)
	}
	m := lastCode(t, e.server, "sam")
	if m.Medium != "SMS" || m.Destination != "+15555551234" || m.PoolID != poolID || len(m.Code) != 6 || !m.Time.Equal(start) {
		t.Fatalf("message = %+v", m)
	}
	mu.Lock()
	if len(live) != 1 || live[0] != m {
		t.Fatalf("OnMessage saw %v, want %v", live, m)
	}
	mu.Unlock()

	_, err = e.respond(c, types.ChallengeNameTypeSmsMfa, out.Session, "sam", map[string]string{"SMS_MFA_CODE": wrongCode(m.Code)})
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	fin, err := e.respond(c, types.ChallengeNameTypeSmsMfa, out.Session, "sam", map[string]string{"SMS_MFA_CODE": m.Code})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatalf("SMS_MFA answer gave %+v", fin)
	}

	// Enroll TOTP with the access token and prefer it: the next sign-in asks for it.
	tok := fin.AuthenticationResult.AccessToken
	e.enrollWithToken(tok)
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	u, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: tok})
	must(t, err)
	if !slices.Equal(u.UserMFASettingList, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) || aws.ToString(u.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("GetUser MFA = %v %q", u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting))
	}
	again, err := e.signIn(c, "sam", password)
	must(t, err)
	wantChallenge(t, again.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
}

func TestSMSCodeExpiresAfterThreeMinutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOn, false, true, false)
	c := e.client(poolID, clientSpec{validity: 15})
	e.phoneUser(poolID, "ivy", "+447700900123")
	e.adminPrefer(poolID, "ivy", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	out, err := e.signIn(c, "ivy", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSmsMfa) // the only factor, though not preferred
	if d := out.ChallengeParameters["CODE_DELIVERY_DESTINATION"]; d != "+********0123" {
		t.Fatalf("destination = %q", d)
	}
	code := lastCode(t, e.server, "ivy").Code
	e.clock.Advance(3 * time.Minute)
	_, err = e.respond(c, types.ChallengeNameTypeSmsMfa, out.Session, "ivy", map[string]string{"SMS_MFA_CODE": code})
	wantErr[*types.ExpiredCodeException](t, err, "Invalid code provided, please request a code again.")
}

func TestEmailOTPInOptionalPool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOptional, false, false, true)
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "dana") // dana@example.com
	tok := e.tokens(c, "dana").AccessToken
	_, err := e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	out, err := e.signIn(c, "dana", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeEmailOtp)
	if p := out.ChallengeParameters; p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" || p["CODE_DELIVERY_DESTINATION"] != "d***@e***" {
		t.Fatalf("EMAIL_OTP parameters = %v", p)
	}
	m := lastCode(t, e.server, "dana")
	if m.Medium != "EMAIL" || m.Destination != "dana@example.com" {
		t.Fatalf("message = %+v", m)
	}
	_, err = e.respond(c, types.ChallengeNameTypeEmailOtp, out.Session, "dana", map[string]string{"EMAIL_OTP_CODE": wrongCode(m.Code)})
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	fin, err := e.respond(c, types.ChallengeNameTypeEmailOtp, out.Session, "dana", map[string]string{"EMAIL_OTP_CODE": m.Code})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("no tokens after EMAIL_OTP")
	}
	// The session was used.
	_, err = e.respond(c, types.ChallengeNameTypeEmailOtp, out.Session, "dana", map[string]string{"EMAIL_OTP_CODE": m.Code})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")
}

func TestSelectMFAType(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOptional, true, true, false)
	c := e.client(poolID, clientSpec{})
	e.phoneUser(poolID, "max", "+15555550199")
	tok := e.tokens(c, "max").AccessToken
	secret := e.enrollWithToken(tok)
	_, err := e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SMSMfaSettings:           &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	must(t, err)

	out, err := e.signIn(c, "max", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSelectMfaType)
	if got := out.ChallengeParameters["MFAS_CAN_CHOOSE"]; got != `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("MFAS_CAN_CHOOSE = %q", got)
	}
	_, err = e.respond(c, types.ChallengeNameTypeSelectMfaType, out.Session, "max", map[string]string{"ANSWER": "EMAIL_OTP"})
	wantAPIErr(t, err, "InvalidParameterException", "ANSWER")
	next, err := e.respond(c, types.ChallengeNameTypeSelectMfaType, out.Session, "max", map[string]string{"ANSWER": "SOFTWARE_TOKEN_MFA"})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, next.Session, "max", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}

	out, err = e.signIn(c, "max", password)
	must(t, err)
	next, err = e.respond(c, types.ChallengeNameTypeSelectMfaType, out.Session, "max", map[string]string{"ANSWER": "SMS_MFA"})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeSmsMfa)
	fin, err = e.respond(c, types.ChallengeNameTypeSmsMfa, next.Session, "max", map[string]string{"SMS_MFA_CODE": lastCode(t, e.server, "max").Code})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}
}

func TestMFASetupOnlyWithoutAnyFactor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOn, true, true, false)
	c := e.client(poolID, clientSpec{})
	e.phoneUser(poolID, "has-sms", "+15555550111")
	e.adminPrefer(poolID, "has-sms", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	e.confirmedUser(poolID, "bare")

	out, err := e.signIn(c, "has-sms", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSmsMfa)
	out, err = e.signIn(c, "bare", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
	if got := out.ChallengeParameters["MFAS_CAN_SETUP"]; got != `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("MFAS_CAN_SETUP = %q", got)
	}
	got := e.adminGetUser(poolID, "has-sms")
	if !slices.Equal(got.UserMFASettingList, []string{"SMS_MFA"}) || got.PreferredMfaSetting != nil {
		t.Fatalf("AdminGetUser MFA = %v %v", got.UserMFASettingList, got.PreferredMfaSetting)
	}
}

func TestPoolAndUserFactorConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	must(t, err)
	id := out.UserPool.Id
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{}})
	wantErr[*types.InvalidParameterException](t, err, "SMS configuration with an SnsCallerArn is required to enable SMS MFA.")
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff,
		EmailMfaConfiguration: &types.EmailMfaConfigType{}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOptional,
		EmailMfaConfiguration: &types.EmailMfaConfigType{},
		SmsMfaConfiguration:   &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(snsArn)}}})
	must(t, err)
	cfg, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	must(t, err)
	if cfg.MfaConfiguration != types.UserPoolMfaTypeOptional || cfg.EmailMfaConfiguration == nil || cfg.SmsMfaConfiguration == nil ||
		aws.ToString(cfg.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn) != snsArn || cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("config = %+v", cfg)
	}

	// CreateUserPool with MFA ON and an SMS configuration: SMS MFA on.
	sp, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("sms"), MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(snsArn)}})
	must(t, err)
	cfg, err = e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: sp.UserPool.Id})
	must(t, err)
	if cfg.MfaConfiguration != types.UserPoolMfaTypeOn || cfg.SmsMfaConfiguration == nil {
		t.Fatalf("config = %+v", cfg)
	}

	// Users need somewhere to deliver to.
	poolID := aws.ToString(id)
	_, err = e.admin.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: id, Username: aws.String("nobody"),
		TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress})
	must(t, err)
	_, err = e.admin.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: id, Username: aws.String("nobody"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	wantErr[*types.InvalidParameterException](t, err, "User does not have delivery config set to turn on EMAIL_OTP")
	_, err = e.admin.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: id, Username: aws.String("nobody"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	wantErr[*types.InvalidParameterException](t, err, "User does not have delivery config set to turn on SMS_MFA")
	_, err = e.admin.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: id, Username: aws.String("nobody"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true}})
	wantErr[*types.InvalidParameterException](t, err, "User has not set up software token mfa")

	// One preferred factor at most.
	e.phoneUser(poolID, "pat", "+15555550123")
	e.adminPrefer(poolID, "pat", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}})
	e.adminPrefer(poolID, "pat", cip.AdminSetUserMFAPreferenceInput{EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}})
	got := e.adminGetUser(poolID, "pat")
	if !slices.Equal(got.UserMFASettingList, []string{"SMS_MFA", "EMAIL_OTP"}) || aws.ToString(got.PreferredMfaSetting) != "EMAIL_OTP" {
		t.Fatalf("AdminGetUser MFA = %v %q", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting))
	}
}
