package cognitolocal_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Replacing an authenticator, as Cognito does it: Associate makes a pending
// secret, the current token keeps working until a new code is verified.

// signInTOTP signs in a TOTP user and answers SOFTWARE_TOKEN_MFA with the code
// of secret; it returns the answer's error (nil with tokens).
func (e *env) signInTOTP(c appClient, username, secret string) (*types.AuthenticationResultType, error) {
	e.t.Helper()
	e.clock.Advance(30 * time.Second) // a fresh code each time
	out, err := e.signIn(c, username, password)
	must(e.t, err)
	wantChallenge(e.t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, username, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	if err != nil {
		return nil, err
	}
	return fin.AuthenticationResult, nil
}

// replaceSetup is a user of an MFA-ON pool enrolled on the session path and
// signed in with it: the pool, client, old secret and an access token.
func (e *env) replaceSetup(username string) (string, appClient, string, *string) {
	e.t.Helper()
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	e.confirmedUser(poolID, username)
	old, _ := e.enrollViaSession(c, username)
	res, err := e.signInTOTP(c, username, old)
	must(e.t, err)
	return poolID, c, old, res.AccessToken
}

func TestReplaceAbandonedKeepsOldAuthenticator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID, c, old, access := e.replaceSetup("abe")
	pending := e.associate(access)
	if pending == old {
		t.Fatal("Associate returned the current secret")
	}
	// Walked away: the old token is still the user's, and still signs in.
	if list, pref := e.mfaOf(poolID, "abe"); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(pref) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("with a pending association: %v %v", list, aws.ToString(pref))
	}
	me, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: access})
	must(t, err)
	if !slices.Equal(me.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Fatalf("GetUser with a pending association: %v", me.UserMFASettingList)
	}
	_, err = e.signInTOTP(c, "abe", pending)
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	res, err := e.signInTOTP(c, "abe", old)
	must(t, err)
	if res == nil {
		t.Fatal("the old code gave no tokens")
	}
}

func TestReplaceVerifiedSwapsAuthenticator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID, c, old, access := e.replaceSetup("bea")
	fresh := e.associate(access)
	// A wrong code changes nothing.
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(old))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	_, err = e.signInTOTP(c, "bea", old)
	must(t, err)

	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(fresh)),
		FriendlyDeviceName: aws.String("new phone")})
	must(t, err)
	if ver.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("Verify status = %s", ver.Status)
	}
	// The new token took the old one's place: still enabled and preferred.
	if list, pref := e.mfaOf(poolID, "bea"); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(pref) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("after the swap: %v %v", list, aws.ToString(pref))
	}
	_, err = e.signInTOTP(c, "bea", old)
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	e.clock.Advance(30 * time.Second)
	out, err := e.signIn(c, "bea", password)
	must(t, err)
	if out.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "new phone" {
		t.Fatalf("FRIENDLY_DEVICE_NAME = %q", out.ChallengeParameters["FRIENDLY_DEVICE_NAME"])
	}
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "bea", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(fresh)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("the new code gave no tokens")
	}
}

func TestNewerAssociationKillsOlderPendingSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, c, old, access := e.replaceSetup("cal")
	first := e.associate(access)
	second := e.associate(access)
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(first))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	_, err = e.signInTOTP(c, "cal", old) // the current token is still the old one
	must(t, err)
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(second))})
	must(t, err)
	_, err = e.signInTOTP(c, "cal", second)
	must(t, err)
}

// On the session path too, only the newest association can be verified.
func TestNewerSessionAssociationKillsOlder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "dan")
	associate := func() (string, *string) {
		out, err := e.signIn(c, "dan", password)
		must(t, err)
		wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
		assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
		must(t, err)
		return aws.ToString(assoc.SecretCode), assoc.Session
	}
	firstSecret, firstSession := associate()
	secondSecret, secondSession := associate()
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: firstSession, UserCode: aws.String(e.code(firstSecret))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: secondSession, UserCode: aws.String(e.code(secondSecret))})
	must(t, err)
	fin, err := e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "dan", nil)
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("MFA_SETUP gave no tokens")
	}
	_, err = e.signInTOTP(c, "dan", secondSecret)
	must(t, err)
}

// A user with a verified token that is not turned on meets MFA_SETUP when the
// pool starts requiring MFA. Abandoning that set-up keeps the verified token.
func TestSessionSetupAbandonedKeepsVerifiedToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "eve")
	access := e.tokens(c, "eve").AccessToken
	old := e.enrollWithToken(access) // verified, not enabled
	_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	out, err := e.signIn(c, "eve", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: out.Session})
	must(t, err)
	// Walked away. The old verified token can still be turned on, and signs in.
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	_, err = e.signInTOTP(c, "eve", old)
	must(t, err)
}
