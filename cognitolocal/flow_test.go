package cognitolocal_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// First sign-in of an admin-created user in an MFA-ON pool:
// NEW_PASSWORD_REQUIRED -> MFA_SETUP -> Associate(S0) -> Verify(S1) -> MFA_SETUP(S2) -> tokens,
// then a second sign-in answered with SOFTWARE_TOKEN_MFA.
func TestEnrollmentSessionPathFromTemporaryPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	e.tempUser(poolID, "alice")

	out, err := e.signIn(c, "alice", tempPassword)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	p := out.ChallengeParameters
	if p["USER_ID_FOR_SRP"] != "alice" || p["requiredAttributes"] != "[]" {
		t.Fatalf("NEW_PASSWORD_REQUIRED parameters = %v", p)
	}
	var attrs map[string]string
	must(t, json.Unmarshal([]byte(p["userAttributes"]), &attrs))
	if attrs["email"] != "alice@example.com" || attrs["sub"] != "" {
		t.Fatalf("userAttributes = %v, want email and no sub", attrs)
	}

	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "alice", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)
	if got := next.ChallengeParameters["MFAS_CAN_SETUP"]; got != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("MFAS_CAN_SETUP = %q", got)
	}

	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: next.Session})
	must(t, err)
	secret := aws.ToString(assoc.SecretCode)
	if len(secret) != 32 || assoc.Session == nil || aws.ToString(assoc.Session) == aws.ToString(next.Session) {
		t.Fatalf("associate: secret %d chars, session %v", len(secret), assoc.Session)
	}
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{
		Session: assoc.Session, UserCode: aws.String(e.code(secret)), FriendlyDeviceName: aws.String("Pixel"),
	})
	must(t, err)
	if ver.Status != types.VerifySoftwareTokenResponseTypeSuccess || ver.Session == nil {
		t.Fatalf("verify = %+v", ver)
	}
	// Verified but not yet enabled: the user has no MFA until MFA_SETUP is answered.
	got := e.adminGetUser(poolID, "alice")
	if len(got.UserMFASettingList) != 0 {
		t.Fatalf("MFA enabled before MFA_SETUP answer: %v", got.UserMFASettingList)
	}
	fin, err := e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "alice", nil)
	must(t, err)
	res := fin.AuthenticationResult
	if res == nil || aws.ToString(res.AccessToken) == "" || aws.ToString(res.IdToken) == "" ||
		aws.ToString(res.RefreshToken) == "" || res.ExpiresIn != 3600 || aws.ToString(res.TokenType) != "Bearer" {
		t.Fatalf("tokens = %+v", res)
	}
	got = e.adminGetUser(poolID, "alice")
	if !slices.Equal(got.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(got.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" ||
		got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("after MFA_SETUP: %v %q %s", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting), got.UserStatus)
	}

	// Second sign-in: SOFTWARE_TOKEN_MFA with the device name.
	e.clock.Advance(30 * time.Second)
	again, err := e.signIn(c, "alice", password)
	must(t, err)
	wantChallenge(t, again.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	if again.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "Pixel" {
		t.Fatalf("SOFTWARE_TOKEN_MFA parameters = %v", again.ChallengeParameters)
	}
	done, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, again.Session, "alice",
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	if done.AuthenticationResult == nil {
		t.Fatal("no tokens after SOFTWARE_TOKEN_MFA")
	}
}

// A signed-in user of an OPTIONAL pool adds an authenticator with the access token.
func TestEnrollmentAccessTokenPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "bob")
	tok := e.tokens(c, "bob").AccessToken

	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	must(t, err)
	if assoc.Session != nil {
		t.Fatalf("access-token associate returned a session")
	}
	secret := aws.ToString(assoc.SecretCode)

	// Preference before a successful verify is refused.
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	wantErr[*types.InvalidParameterException](t, err, "User has not set up software token mfa")

	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(e.code(secret))})
	must(t, err)
	if ver.Status != types.VerifySoftwareTokenResponseTypeSuccess || ver.Session != nil {
		t.Fatalf("verify = %+v", ver)
	}
	u, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: tok})
	must(t, err)
	if len(u.UserMFASettingList) != 0 {
		t.Fatalf("MFA enabled by verify alone: %v", u.UserMFASettingList)
	}

	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	u, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: tok})
	must(t, err)
	if aws.ToString(u.Username) != "bob" || !slices.Equal(u.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) ||
		aws.ToString(u.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || attr(u.UserAttributes, "sub") == "" {
		t.Fatalf("GetUser = %q %v %q", aws.ToString(u.Username), u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting))
	}

	// After the access-token path, answering MFA_SETUP makes no sense: no session fits.
	_, err = e.respond(c, types.ChallengeNameTypeMfaSetup, aws.String("not-a-session-but-long-enough"), "bob", nil)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")

	// Sign-in now asks for the code.
	e.clock.Advance(30 * time.Second)
	out, err := e.signIn(c, "bob", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "bob", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("no tokens")
	}

	// Turning it off again through the preference.
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}})
	must(t, err)
	if got := e.adminGetUser(poolID, "bob"); len(got.UserMFASettingList) != 0 || got.PreferredMfaSetting != nil {
		t.Fatalf("after disabling: %v %v", got.UserMFASettingList, got.PreferredMfaSetting)
	}
}

func (e *env) adminGetUser(poolID, name string) *cip.AdminGetUserOutput {
	e.t.Helper()
	out, err := e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
	must(e.t, err)
	return out
}

func attr(attrs []types.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}
