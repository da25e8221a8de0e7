package cognitolocal_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// fullMfaConfig is a pool with every part of the MFA configuration set, as
// the aws CLI's own example sets one.
func fullMfaConfig(id *string) *cip.SetUserPoolMfaConfigInput {
	return &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your code: {####}."),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(snsArn), ExternalId: aws.String("ext-1"), SnsRegion: aws.String("us-west-2")}},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Message: aws.String("Your code: {####}"), Subject: aws.String("Sign-in code")},
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
			UserVerification: types.UserVerificationTypeRequired, FactorConfiguration: types.WebAuthnFactorConfigurationTypeSingleFactor},
	}
}

// mfaParts is a GetUserPoolMfaConfig answer without its metadata, to compare.
func mfaParts(o *cip.GetUserPoolMfaConfigOutput) []any {
	return []any{o.MfaConfiguration, o.SmsMfaConfiguration, o.SoftwareTokenMfaConfiguration, o.EmailMfaConfiguration, o.WebAuthnConfiguration}
}

// An administrator's tool makes MFA required by carrying over everything
// GetUserPoolMfaConfig returned into SetUserPoolMfaConfig with ON: every
// member of every part must read back the same, or a factor people use (or
// its message, its SNS role) changes under them.
func TestMfaConfigCarriedOverReadsBackTheSame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	must(t, err)
	id := out.UserPool.Id
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, fullMfaConfig(id))
	must(t, err)
	before, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	must(t, err)
	want := fullMfaConfig(id)
	if got := before.SmsMfaConfiguration; got == nil || aws.ToString(got.SmsAuthenticationMessage) != "Your code: {####}." ||
		aws.ToString(got.SmsConfiguration.ExternalId) != "ext-1" || aws.ToString(got.SmsConfiguration.SnsRegion) != "us-west-2" {
		t.Fatalf("SmsMfaConfiguration = %+v", got)
	}
	if !reflect.DeepEqual(before.EmailMfaConfiguration, want.EmailMfaConfiguration) || !reflect.DeepEqual(before.WebAuthnConfiguration, want.WebAuthnConfiguration) {
		t.Fatalf("email %+v, WebAuthn %+v", before.EmailMfaConfiguration, before.WebAuthnConfiguration)
	}

	set, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: before.SmsMfaConfiguration, SoftwareTokenMfaConfiguration: before.SoftwareTokenMfaConfiguration,
		EmailMfaConfiguration: before.EmailMfaConfiguration, WebAuthnConfiguration: before.WebAuthnConfiguration})
	must(t, err)
	after, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	must(t, err)
	if after.MfaConfiguration != types.UserPoolMfaTypeOn || set.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("MfaConfiguration = %s", after.MfaConfiguration)
	}
	after.MfaConfiguration = before.MfaConfiguration
	if got, want := mfaParts(after), mfaParts(before); !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %+v\nwant %+v", got, want)
	}
	d, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
	must(t, err)
	if d.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("DescribeUserPool MfaConfiguration = %s", d.UserPool.MfaConfiguration)
	}
}

// A request that leaves a factor out turns it off, with its message; one
// that leaves WebAuthnConfiguration out keeps the pool's, which is not an
// MFA factor. MFA ON with no factor at all is refused with Cognito's words.
func TestMfaConfigLeftOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	must(t, err)
	id := out.UserPool.Id
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, fullMfaConfig(id))
	must(t, err)
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	got, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	must(t, err)
	if got.SmsMfaConfiguration != nil || got.EmailMfaConfiguration != nil || !got.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("factors left out are still on: SMS %+v, email %+v", got.SmsMfaConfiguration, got.EmailMfaConfiguration)
	}
	if !reflect.DeepEqual(got.WebAuthnConfiguration, fullMfaConfig(id).WebAuthnConfiguration) {
		t.Errorf("WebAuthnConfiguration left out was not kept: %+v", got.WebAuthnConfiguration)
	}

	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn})
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: false}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	// MFA OFF may come with a WebAuthn configuration: passkeys are not an MFA factor.
	_, err = e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff,
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("login.example.com")}})
	must(t, err)
	got, err = e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
	must(t, err)
	if w := got.WebAuthnConfiguration; w == nil || aws.ToString(w.RelyingPartyId) != "login.example.com" || w.UserVerification != types.UserVerificationTypePreferred {
		t.Errorf("WebAuthnConfiguration = %+v, want the new relying party and user verification preferred", w)
	}
}

// The service model's constraints on the messages and the WebAuthn members.
func TestMfaConfigValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := aws.String(e.pool(poolSpec{}))
	for name, in := range map[string]*cip.SetUserPoolMfaConfigInput{
		"smsMfaConfiguration.smsAuthenticationMessage": {SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("no placeholder"),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String(snsArn)}}},
		"emailMfaConfiguration.message":          {EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("no placeholder")}},
		"webAuthnConfiguration.userVerification": {WebAuthnConfiguration: &types.WebAuthnConfigurationType{UserVerification: "sometimes"}},
	} {
		in.UserPoolId, in.MfaConfiguration = id, types.UserPoolMfaTypeOptional
		in.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: true}
		_, err := e.admin.SetUserPoolMfaConfig(e.ctx, in)
		wantAPIErr(t, err, "InvalidParameterException", "at '"+name+"' failed to satisfy constraint")
	}
}

// Threat protection's mode, set at CreateUserPool, comes back in
// DescribeUserPool's UserPoolAddOns; a pool without it has none.
func TestUserPoolAddOns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("guarded"),
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeEnforced}})
	must(t, err)
	d, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: out.UserPool.Id})
	must(t, err)
	if d.UserPool.UserPoolAddOns == nil || d.UserPool.UserPoolAddOns.AdvancedSecurityMode != types.AdvancedSecurityModeTypeEnforced {
		t.Errorf("UserPoolAddOns = %+v, want ENFORCED", d.UserPool.UserPoolAddOns)
	}
	plain, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(e.pool(poolSpec{}))})
	must(t, err)
	if plain.UserPool.UserPoolAddOns != nil {
		t.Errorf("a pool created without add-ons has %+v", plain.UserPool.UserPoolAddOns)
	}
	_, err = e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bad"),
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: "STRICT"}})
	wantAPIErr(t, err, "InvalidParameterException", "userPoolAddOns.advancedSecurityMode")
}

// EnablePropagateAdditionalUserContextData needs a client secret; with one,
// DescribeUserPoolClient says it is on, and every sign-in call's
// UserContextData.IpAddress is recorded, none where a call carried none.
func TestPropagateUserContextData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	_, err := e.admin.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("public"),
		EnablePropagateAdditionalUserContextData: aws.Bool(true)})
	wantAPIErr(t, err, "InvalidParameterException", "client secret")

	out, err := e.admin.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("server"),
		GenerateSecret: true, EnablePropagateAdditionalUserContextData: aws.Bool(true),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	c := appClient{id: aws.ToString(out.UserPoolClient.ClientId), secret: aws.ToString(out.UserPoolClient.ClientSecret)}
	d, err := e.admin.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(c.id)})
	must(t, err)
	if !aws.ToBool(d.UserPoolClient.EnablePropagateAdditionalUserContextData) {
		t.Errorf("DescribeUserPoolClient: EnablePropagateAdditionalUserContextData is off")
	}
	e.tempUser(poolID, "ann")
	init, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id),
		AuthParameters:  map[string]string{"USERNAME": "ann", "PASSWORD": tempPassword, "SECRET_HASH": aws.ToString(hash(c, "ann"))},
		UserContextData: &types.UserContextDataType{IpAddress: aws.String("192.0.2.7")}})
	must(t, err)
	_, err = e.user.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(c.id), ChallengeName: init.ChallengeName,
		Session: init.Session, ChallengeResponses: map[string]string{"USERNAME": "ann", "NEW_PASSWORD": password, "SECRET_HASH": aws.ToString(hash(c, "ann"))},
		UserContextData: &types.UserContextDataType{IpAddress: aws.String("2001:db8::5")}})
	must(t, err)
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id),
		AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": password, "SECRET_HASH": aws.ToString(hash(c, "ann"))}})
	must(t, err)
	seen, on := e.server.UserContexts(c.id)
	want := []string{"InitiateAuth 192.0.2.7", "RespondToAuthChallenge 2001:db8::5", "InitiateAuth "}
	var got []string
	for _, s := range seen {
		got = append(got, s.Operation+" "+s.IPAddress)
	}
	if !on || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("recorded %q (propagated %v), want %q", got, on, want)
	}
}
