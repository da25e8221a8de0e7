package cognitolocal_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const msgLocked = "Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds."

func TestLockoutAfterFiveWrongCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{validity: 15})
	e.confirmedUser(poolID, "lou")
	tok := e.tokens(c, "lou").AccessToken
	secret := e.enrollWithToken(tok)
	_, err := e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)

	out, err := e.signIn(c, "lou", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	answer := func(code string) error {
		_, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "lou", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": code})
		return err
	}
	for i := 0; i < 5; i++ {
		wantErr[*types.CodeMismatchException](t, answer(wrongCode(e.code(secret))), "Invalid code received for user")
	}
	// Locked: even the right code is refused, for 1 s.
	wantErr[*types.NotAuthorizedException](t, answer(e.code(secret)), msgLocked)
	e.clock.Advance(time.Second)
	// A further wrong code locks for 2 s.
	wantErr[*types.CodeMismatchException](t, answer(wrongCode(e.code(secret))), "Invalid code received for user")
	e.clock.Advance(time.Second)
	wantErr[*types.NotAuthorizedException](t, answer(e.code(secret)), msgLocked)
	e.clock.Advance(time.Second)
	must(t, answer(e.code(secret)))

	// The right code reset the count: four wrong codes do not lock.
	out, err = e.signIn(c, "lou", password)
	must(t, err)
	for i := 0; i < 4; i++ {
		wantErr[*types.CodeMismatchException](t, answer(wrongCode(e.code(secret))), "Invalid code received for user")
	}
	e.clock.Advance(30 * time.Second) // the last right code is spent
	must(t, answer(e.code(secret)))

	// VerifySoftwareToken counts too.
	e.clock.Advance(time.Minute)
	secret = e.enrollWithToken(tok) // a fresh token (this resets the count as well)
	verify := func(code string) error {
		_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(code)})
		return err
	}
	for i := 0; i < 5; i++ {
		wantErr[*types.EnableSoftwareTokenMFAException](t, verify(wrongCode(e.code(secret))), "Code mismatch and fail enable Software Token MFA")
	}
	wantErr[*types.NotAuthorizedException](t, verify(e.code(secret)), msgLocked)
	e.clock.Advance(time.Second)
	must(t, verify(e.code(secret)))
}

func TestLockoutOfSMSCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.factorPool(types.UserPoolMfaTypeOn, false, true, false)
	c := e.client(poolID, clientSpec{})
	e.phoneUser(poolID, "kim", "+15555550142")
	e.adminPrefer(poolID, "kim", cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	out, err := e.signIn(c, "kim", password)
	must(t, err)
	code := lastCode(t, e.server, "kim").Code
	answer := func(code string) error {
		_, err := e.respond(c, types.ChallengeNameTypeSmsMfa, out.Session, "kim", map[string]string{"SMS_MFA_CODE": code})
		return err
	}
	for i := 0; i < 5; i++ {
		wantErr[*types.CodeMismatchException](t, answer(wrongCode(code)), "Invalid code received for user")
	}
	wantErr[*types.NotAuthorizedException](t, answer(code), msgLocked)
	e.clock.Advance(time.Second)
	must(t, answer(code))
}

func TestLockoutAfterFiveWrongPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "pia")
	for i := 0; i < 5; i++ {
		_, err := e.signIn(c, "pia", "Wrong-Pass-1!")
		wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	}
	_, err := e.signIn(c, "pia", password)
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	// SRP is refused as well, before the proof is checked.
	try := e.mustSRPStart(c, poolID, "pia")
	_, err = e.answer(c, try, e.claim(try, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	e.clock.Advance(time.Second)
	_, err = e.signIn(c, "pia", "Wrong-Pass-1!")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	e.clock.Advance(time.Second) // 2 s lock now
	_, err = e.signIn(c, "pia", password)
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	e.clock.Advance(time.Second)
	e.tokens(c, "pia")
	// Reset: five more wrong passwords are needed to lock again.
	for i := 0; i < 4; i++ {
		_, err := e.signIn(c, "pia", "Wrong-Pass-1!")
		wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	}
	e.tokens(c, "pia")
}
