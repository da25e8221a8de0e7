package cognitolocal_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestSignInResultByPoolMFA(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		mfa  string
		want types.ChallengeNameType // "" means tokens
	}{
		{"OFF", ""},
		{"OPTIONAL", ""},
		{"ON", types.ChallengeNameTypeMfaSetup},
	} {
		poolID := e.pool(poolSpec{mfa: tc.mfa})
		c := e.client(poolID, clientSpec{})
		e.confirmedUser(poolID, "u")
		out, err := e.signIn(c, "u", password)
		must(t, err)
		if out.ChallengeName != tc.want {
			t.Fatalf("MFA %s: challenge %q, want %q", tc.mfa, out.ChallengeName, tc.want)
		}
		if tc.want == "" && (out.AuthenticationResult == nil || out.Session != nil) {
			t.Fatalf("MFA %s: want tokens and no session, got %+v", tc.mfa, out)
		}
		if tc.want != "" && (out.AuthenticationResult != nil || out.Session == nil) {
			t.Fatalf("MFA %s: want a session and no tokens", tc.mfa)
		}
	}
}

// A user with TOTP on is asked for a code in ON and OPTIONAL pools, not in OFF.
func TestSignInWithTOTPByPoolMFA(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "u")
	e.enrollViaSession(c, "u")

	for _, mfa := range []string{"OPTIONAL", "ON"} {
		_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
			MfaConfiguration: types.UserPoolMfaType(mfa), SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		must(t, err)
		out, err := e.signIn(c, "u", password)
		must(t, err)
		wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	}
	_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration: types.UserPoolMfaTypeOff})
	must(t, err)
	e.tokens(c, "u")
}

func TestInitiateAuthErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	hidden := e.client(poolID, clientSpec{noExistsE: true})
	e.confirmedUser(poolID, "dave")

	_, err := e.signIn(c, "dave", "Wrong-Pass-1!")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	_, err = e.signIn(c, "nobody", password)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.signIn(hidden, "nobody", password)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	_, err = e.signIn(appClient{id: "nosuchclient123"}, "dave", password)
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient123 does not exist.")

	_, err = e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave")})
	must(t, err)
	_, err = e.signIn(c, "dave", password)
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")
	_, err = e.signIn(c, "dave", "Wrong-Pass-1!") // a wrong password does not learn the account state
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = e.admin.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave")})
	must(t, err)
	e.tokens(c, "dave")

	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id),
		AuthParameters: map[string]string{"USERNAME": "dave"}})
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter PASSWORD")
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id)})
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter USERNAME")
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: "NOT_A_FLOW", ClientId: aws.String(c.id)})
	wantAPIErr(t, err, "InvalidParameterException", "Value 'NOT_A_FLOW' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set")
}

func TestAuthFlowNotEnabledAndNotImplemented(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	srpOnly := e.client(poolID, clientSpec{flows: []types.ExplicitAuthFlowsType{}}) // default flows: SRP, refresh, custom
	e.confirmedUser(poolID, "erin")

	_, err := e.signIn(srpOnly, "erin", password)
	wantErr[*types.InvalidParameterException](t, err, "USER_PASSWORD_AUTH flow not enabled for this client")

	// USER_SRP_AUTH is implemented (srp_test.go); CUSTOM_AUTH, allowed by default, is not.
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: aws.String(srpOnly.id),
		AuthParameters: map[string]string{"USERNAME": "erin"}})
	wantAPIErr(t, err, "InvalidParameterException", "CUSTOM_AUTH flow is not implemented by cognitolocal")

	pwOnly := e.client(poolID, clientSpec{flows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(pwOnly.id),
		AuthParameters: map[string]string{"USERNAME": "erin", "SRP_A": "abc"}})
	wantErr[*types.InvalidParameterException](t, err, "USER_SRP_AUTH flow not enabled for this client")
}

func TestSecretHash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	if len(c.secret) != 51 {
		t.Fatalf("client secret has %d chars, want 51", len(c.secret))
	}
	e.tempUser(poolID, "fay")
	noHash := appClient{id: c.id} // same client, no secret known: sends no SECRET_HASH
	wrong := appClient{id: c.id, secret: "not-the-secret"}

	_, err := e.signIn(noHash, "fay", tempPassword)
	wantErr[*types.NotAuthorizedException](t, err, "Client "+c.id+" is configured with secret but SECRET_HASH was not received")
	_, err = e.signIn(wrong, "fay", tempPassword)
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+c.id)
	out, err := e.signIn(c, "fay", tempPassword)
	must(t, err)

	// Each challenge answer needs it too, and the session survives the failures.
	newPW := map[string]string{"NEW_PASSWORD": password}
	_, err = e.respond(noHash, types.ChallengeNameTypeNewPasswordRequired, out.Session, "fay", newPW)
	wantErr[*types.NotAuthorizedException](t, err, "Client "+c.id+" is configured with secret but SECRET_HASH was not received")
	_, err = e.respond(wrong, types.ChallengeNameTypeNewPasswordRequired, out.Session, "fay", newPW)
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+c.id)
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "fay", newPW)
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)

	// A client without a secret ignores SECRET_HASH.
	plain := e.client(poolID, clientSpec{})
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(plain.id),
		AuthParameters: map[string]string{"USERNAME": "fay", "PASSWORD": password, "SECRET_HASH": "anything"}})
	must(t, err)
}

func TestNewPasswordPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.tempUser(poolID, "gil")
	out, err := e.signIn(c, "gil", tempPassword)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	for pw, msg := range map[string]string{
		"Ab1!":        "Password does not conform to policy: Password not long enough",
		"abcdefg1!":   "Password does not conform to policy: Password must have uppercase characters",
		"ABCDEFG1!":   "Password does not conform to policy: Password must have lowercase characters",
		"Abcdefgh!":   "Password does not conform to policy: Password must have numeric characters",
		"Abcdefgh1":   "Password does not conform to policy: Password must have symbol characters",
		"Abc defgh1!": "1 validation error detected: Value at 'challengeResponses.NEW_PASSWORD' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
	} {
		_, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "gil", map[string]string{"NEW_PASSWORD": pw})
		if pw == "Abc defgh1!" {
			wantErr[*types.InvalidParameterException](t, err, msg)
			continue
		}
		wantErr[*types.InvalidPasswordException](t, err, msg)
	}
	_, err = e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "gil",
		map[string]string{"NEW_PASSWORD": password, "userAttributes.email_verified": "true"})
	wantAPIErr(t, err, "InvalidParameterException", "email_verified")
	// The pool's MFA is OFF: a good new password ends the sign-in with tokens.
	fin, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "gil",
		map[string]string{"NEW_PASSWORD": password, "userAttributes.name": "Gil"})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatalf("want tokens, got %q", fin.ChallengeName)
	}
	u := e.adminGetUser(poolID, "gil")
	if u.UserStatus != types.UserStatusTypeConfirmed || attr(u.UserAttributes, "name") != "Gil" {
		t.Fatalf("after new password: %s, name %q", u.UserStatus, attr(u.UserAttributes, "name"))
	}
	// The old temporary password no longer works; the new one does.
	_, err = e.signIn(c, "gil", tempPassword)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	e.tokens(c, "gil")
}

func TestTemporaryPasswordExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.tempUser(poolID, "hal")
	e.clock.Advance(7*24*time.Hour + time.Second)
	_, err := e.signIn(c, "hal", tempPassword)
	wantErr[*types.NotAuthorizedException](t, err, "Temporary password has expired and must be reset by an administrator.")
}
