package cognitolocal_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"
)

// userOf is what AdminGetUser says of a user, without the response metadata.
func (e *env) userOf(poolID, username string) cip.AdminGetUserOutput {
	e.t.Helper()
	out, err := e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	must(e.t, err)
	out.ResultMetadata = middleware.Metadata{}
	return *out
}

// mfaOf is AdminGetUser's UserMFASettingList and PreferredMfaSetting (nil
// when Cognito leaves them out).
func (e *env) mfaOf(poolID, username string) ([]string, *string) {
	e.t.Helper()
	out, err := e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	must(e.t, err)
	return out.UserMFASettingList, out.PreferredMfaSetting
}

// The lost phone in a pool with MFA required: after AdminDeleteSoftwareToken
// the next sign-in sets up a new authenticator.
func TestAdminDeleteSoftwareTokenRequiredPool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	e.confirmedUser(poolID, "lou")
	oldSecret, tokens := e.enrollViaSession(c, "lou")
	if list, pref := e.mfaOf(poolID, "lou"); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(pref) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("before: %v %v", list, aws.ToString(pref))
	}

	must(t, e.deleteSoftwareToken(poolID, "lou"))
	if list, pref := e.mfaOf(poolID, "lou"); list != nil || pref != nil {
		t.Fatalf("after: UserMFASettingList %v, PreferredMfaSetting %v; want both absent", list, aws.ToString(pref))
	}
	out, err := e.signIn(c, "lou", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)

	// The access token issued before still works (no sign-out was asked for),
	// but the deleted token cannot be turned back on.
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tokens.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	wantErr[*types.InvalidParameterException](t, err, "User has not set up software token mfa")

	// Enroll again with a new secret; the old one's codes are refused.
	newSecret, _ := e.enrollViaSession(c, "lou")
	if newSecret == oldSecret {
		t.Fatal("the new enrollment reused the deleted secret")
	}
	e.clock.Advance(30e9)
	out, err = e.signIn(c, "lou", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	_, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "lou", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(oldSecret)})
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "lou", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(newSecret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("the new code gave no tokens")
	}
	if list, pref := e.mfaOf(poolID, "lou"); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) || aws.ToString(pref) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("after enrolling again: %v %v", list, aws.ToString(pref))
	}

	// The recipe's second half: AdminUserGlobalSignOut ends the tokens issued
	// before it, from the lost phone's time and since.
	_, err = e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("lou")})
	must(t, err)
	e.wantRevoked(tokens.AccessToken)
	e.wantRevoked(fin.AuthenticationResult.AccessToken)
	_, err = e.refresh(c, "lou", tokens.RefreshToken)
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
}

// Other factors are left alone: a user with SMS and TOTP keeps SMS.
func TestAdminDeleteSoftwareTokenKeepsOtherFactors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOn, true, true, false)
	c := e.client(poolID, clientSpec{})
	e.phoneUser(poolID, "sid", "+15555550199")
	e.adminPrefer(poolID, "sid", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	fin, err := e.respond(c, types.ChallengeNameTypeSmsMfa, signInSession(t, e, c, "sid"), "sid", map[string]string{"SMS_MFA_CODE": lastCode(t, e.server, "sid").Code})
	must(t, err)
	e.enrollWithToken(fin.AuthenticationResult.AccessToken)
	e.adminPrefer(poolID, "sid", cip.AdminSetUserMFAPreferenceInput{SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	if list, pref := e.mfaOf(poolID, "sid"); !slices.Equal(list, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) || aws.ToString(pref) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("before: %v %v", list, aws.ToString(pref))
	}

	must(t, e.deleteSoftwareToken(poolID, "sid"))
	if list, pref := e.mfaOf(poolID, "sid"); !slices.Equal(list, []string{"SMS_MFA"}) || pref != nil {
		t.Fatalf("after: %v %v; want [SMS_MFA] and no preference", list, aws.ToString(pref))
	}
	out, err := e.signIn(c, "sid", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSmsMfa)
}

// signInSession signs in and returns the challenge's session.
func signInSession(t *testing.T, e *env, c appClient, username string) *string {
	t.Helper()
	out, err := e.signIn(c, username, password)
	must(t, err)
	return out.Session
}

// In an optional pool the next sign-in asks for no code.
func TestAdminDeleteSoftwareTokenOptionalPool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "opal")
	access := e.tokens(c, "opal").AccessToken
	e.enrollWithToken(access)
	_, err := e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	out, err := e.signIn(c, "opal", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)

	must(t, e.deleteSoftwareToken(poolID, "opal"))
	e.tokens(c, "opal")
	me, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: access})
	must(t, err)
	if me.UserMFASettingList != nil || me.PreferredMfaSetting != nil {
		t.Fatalf("GetUser after delete: %v %v", me.UserMFASettingList, aws.ToString(me.PreferredMfaSetting))
	}
}

// A pending association is removed too: its code no longer verifies.
func TestAdminDeleteSoftwareTokenDropsPendingAssociation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "pia")
	access := e.tokens(c, "pia").AccessToken
	secret := e.associate(access)
	must(t, e.deleteSoftwareToken(poolID, "pia"))
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(e.code(secret))})
	wantErr[*types.SoftwareTokenMFANotFoundException](t, err, "Software Token MFA has not been associated with the user.")
}

func TestAdminDeleteSoftwareTokenRefusalsAndNoOps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "none")
	e.confirmedUser(poolID, "has")
	e.enrollViaSession(c, "has")

	// A user with no software token: a success (the model has no error for
	// it), and nothing changes, not even the modified date.
	before := e.userOf(poolID, "none")
	e.clock.Advance(time.Minute)
	must(t, e.deleteSoftwareToken(poolID, "none"))
	if after := e.userOf(poolID, "none"); !reflect.DeepEqual(before, after) {
		t.Fatalf("a delete with nothing to delete changed the user:\nbefore %+v\nafter  %+v", before, after)
	}
	wantAPIErr(t, e.deleteSoftwareToken(poolID, "ghost"), "UserNotFoundException", "User does not exist.")
	wantAPIErr(t, e.deleteSoftwareToken("us-east-1_nope12345", "has"), "ResourceNotFoundException", "User pool us-east-1_nope12345 does not exist.")
	wantAPIErr(t, e.deleteSoftwareToken(poolID, ""), "InvalidParameterException",
		"1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null")
	// Twice: the second finds nothing left, and succeeds.
	must(t, e.deleteSoftwareToken(poolID, "has"))
	must(t, e.deleteSoftwareToken(poolID, "has"))
	if list, pref := e.mfaOf(poolID, "has"); list != nil || pref != nil {
		t.Fatalf("after two deletes: %v %v", list, aws.ToString(pref))
	}

	// Unsigned: refused, and the user keeps the token.
	e.confirmedUser(poolID, "kept")
	e.enrollViaSession(c, "kept")
	err := e.unsignedCall("AdminDeleteSoftwareToken", map[string]string{"UserPoolId": poolID, "Username": "kept"})
	wantAPIErr(t, err, "MissingAuthenticationTokenException", "Missing Authentication Token")
	if list, _ := e.mfaOf(poolID, "kept"); !slices.Equal(list, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Fatalf("after the refused call: %v", list)
	}
}
