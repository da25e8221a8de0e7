package cognitolocal_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const (
	msgExpired = "Invalid session for the user, session is expired."
	msgUsed    = "Invalid session for the user, session can only be used once."
	msgInvalid = "Invalid session for the user."
)

// mfaSetup signs a confirmed user of an MFA-ON pool in up to the MFA_SETUP challenge.
func (e *env) mfaSetup(c appClient, username string) *string {
	e.t.Helper()
	out, err := e.signIn(c, username, password)
	must(e.t, err)
	wantChallenge(e.t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
	return out.Session
}

func TestSessionExpiresAfterAuthSessionValidity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	e.confirmedUser(poolID, "ivy")
	for _, tc := range []struct {
		validity int32
		minutes  time.Duration
	}{{0, 3}, {15, 15}} {
		c := e.client(poolID, clientSpec{validity: tc.validity})
		if got := e.describeClient(poolID, c.id).AuthSessionValidity; aws.ToInt32(got) != int32(tc.minutes) {
			t.Fatalf("AuthSessionValidity = %v, want %d", aws.ToInt32(got), tc.minutes)
		}
		// Still valid one second before the end...
		s0 := e.mfaSetup(c, "ivy")
		e.clock.Advance(tc.minutes*time.Minute - time.Second)
		assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: s0})
		must(t, err)
		// ...and each step's new session has its own full lifetime.
		e.clock.Advance(tc.minutes*time.Minute - time.Second)
		_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(wrongCode(e.code(*assoc.SecretCode)))})
		wantAPIErr(t, err, "EnableSoftwareTokenMFAException", "")
		e.clock.Advance(time.Second)
		_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session,
			UserCode: aws.String(e.code(*assoc.SecretCode))})
		wantErr[*types.NotAuthorizedException](t, err, msgExpired)

		// Expiry of the NEW_PASSWORD_REQUIRED session too.
		name := "temp" + string(rune('a'+tc.minutes))
		e.tempUser(poolID, name)
		out, err := e.signIn(c, name, tempPassword)
		must(t, err)
		e.clock.Advance(tc.minutes * time.Minute)
		_, err = e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, name, map[string]string{"NEW_PASSWORD": password})
		wantErr[*types.NotAuthorizedException](t, err, msgExpired)
	}
}

func TestSessionSingleUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "jo")
	s0 := e.mfaSetup(c, "jo")
	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: s0})
	must(t, err)
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: s0})
	wantErr[*types.NotAuthorizedException](t, err, msgUsed)

	// A wrong code does not consume S1: retry in place.
	for range 3 {
		_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(wrongCode(e.code(*assoc.SecretCode)))})
		wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	}
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(e.code(*assoc.SecretCode))})
	must(t, err)
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(e.code(*assoc.SecretCode))})
	wantErr[*types.NotAuthorizedException](t, err, msgUsed)

	_, err = e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "jo", nil)
	must(t, err)
	_, err = e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "jo", nil)
	wantErr[*types.NotAuthorizedException](t, err, msgUsed)

	// SOFTWARE_TOKEN_MFA: a wrong code keeps the session, a right one uses it up.
	e.clock.Advance(30 * time.Second)
	out, err := e.signIn(c, "jo", password)
	must(t, err)
	good := e.code(*assoc.SecretCode)
	_, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "jo", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": wrongCode(good)})
	wantErr[*types.CodeMismatchException](t, err, "Invalid code received for user")
	_, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "jo", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": good})
	must(t, err)
	_, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "jo", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": good})
	wantErr[*types.NotAuthorizedException](t, err, msgUsed)
}

func TestSessionBinding(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	other := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "kim")
	e.confirmedUser(poolID, "lee")
	s0 := e.mfaSetup(c, "kim")

	// S0 (before verify) does not answer MFA_SETUP.
	_, err := e.respond(c, types.ChallengeNameTypeMfaSetup, s0, "kim", nil)
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)
	// Nor is it a VerifySoftwareToken session.
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: s0, UserCode: aws.String("123456")})
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)

	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: s0})
	must(t, err)
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(e.code(*assoc.SecretCode))})
	must(t, err)
	// S2 belongs to kim through this client.
	_, err = e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "lee", nil)
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)
	_, err = e.respond(other, types.ChallengeNameTypeMfaSetup, ver.Session, "kim", nil)
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)
	_, err = e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, ver.Session, "kim", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": "123456"})
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)
	// Garbage of a valid length.
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String(strings.Repeat("x", 40))})
	wantErr[*types.NotAuthorizedException](t, err, msgInvalid)
	// Too short for the model: a validation error that does not echo the value.
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String("short")})
	wantErr[*types.InvalidParameterException](t, err,
		"1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20")
	// None of the failures above consumed S2.
	_, err = e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, "kim", nil)
	must(t, err)
}

func (e *env) describeClient(poolID, id string) *types.UserPoolClientType {
	e.t.Helper()
	out, err := e.admin.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(id)})
	must(e.t, err)
	return out.UserPoolClient
}

// wrongCode returns a six-digit code different from good.
func wrongCode(good string) string {
	b := []byte(good)
	b[5] = '0' + (b[5]-'0'+1)%10
	return string(b)
}

// Sessions begin "AYAB", as Cognito's do, so none starts with '-': the aws CLI
// reads `--session -...` as a missing argument. Of 300 sessions without the
// prefix, one would start with '-' with a chance of 99%.
func TestSessionsLookLikeCognitosAndPassTheCLI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "jo")
	for i := range 300 {
		s := aws.ToString(e.mfaSetup(c, "jo"))
		if !strings.HasPrefix(s, "AYAB") {
			t.Fatalf("session %d begins %.4q, want AYAB", i, s)
		}
	}
}
