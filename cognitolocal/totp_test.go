package cognitolocal_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"
)

func TestSoftwareTokenNotEnabledOnPool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{}) // MFA OFF, TOTP not enabled
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "max")
	tok := e.tokens(c, "max").AccessToken
	_, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	wantErr[*types.SoftwareTokenMFANotFoundException](t, err, "Software Token MFA has not been enabled by the userPool.")
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String("123456")})
	wantErr[*types.SoftwareTokenMFANotFoundException](t, err, "Software Token MFA has not been enabled by the userPool.")
}

func TestVerifyWithoutAssociate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.optionalPoolToken("ned")
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String("123456")})
	wantAPIErr(t, err, "SoftwareTokenMFANotFoundException", "not been associated")
}

func TestVerifyUserCodeValidationAndMismatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.optionalPoolToken("ola")
	secret := e.associate(tok)
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) {
		t.Fatalf("secret %q is not 32 chars of unpadded base32", secret)
	}
	const prefix = "1 validation error detected: Value at 'userCode' failed to satisfy constraint: "
	for code, msg := range map[string]string{
		"12345":   prefix + "Member must have length greater than or equal to 6",
		"1234567": prefix + "Member must have length less than or equal to 6",
		"12a456":  prefix + "Member must satisfy regular expression pattern: [0-9]+",
		"12 45":   "2 validation errors detected: Value at 'userCode' failed to satisfy constraint: Member must have length greater than or equal to 6; Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+",
	} {
		_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(code)})
		wantErr[*types.InvalidParameterException](t, err, msg)
	}
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(wrongCode(e.code(secret)))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
}

// Codes of the step before and after are accepted; two steps off are not.
func TestTOTPDrift(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.optionalPoolToken("pam")
	secret := e.associate(tok)
	at := func(d time.Duration) string {
		code, err := totp.GenerateCode(secret, e.clock.Now().Add(d))
		must(t, err)
		return code
	}
	verify := func(code string) error {
		_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(code)})
		return err
	}
	for _, d := range []time.Duration{-60 * time.Second, 60 * time.Second} {
		if c := at(d); c != at(0) && c != at(-30*time.Second) && c != at(30*time.Second) {
			wantErr[*types.EnableSoftwareTokenMFAException](t, verify(c), "Code mismatch and fail enable Software Token MFA")
		}
	}
	must(t, verify(at(-30*time.Second)))
	must(t, verify(at(30*time.Second)))
	must(t, verify(at(0)))
}

func TestSetUserMFAPreferenceOtherFactors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.optionalPoolToken("quinn")
	_, err := e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}})
	wantErr[*types.InvalidParameterException](t, err, "User does not have delivery config set to turn on SMS_MFA")
	// Nothing to change is fine.
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok})
	must(t, err)
}

func TestAssociateNeedsTokenOrSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{})
	wantErr[*types.InvalidParameterException](t, err, "Either AccessToken or Session is required.")
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: aws.String("a.b.c"), Session: aws.String("0123456789abcdefghijk")})
	wantErr[*types.InvalidParameterException](t, err, "Give either AccessToken or Session, not both.")
}

// An MFA_SETUP session in a pool whose TOTP was turned off meanwhile.
func TestAssociateSessionPoolTOTPTurnedOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "rae")
	s0 := e.mfaSetup(c, "rae")
	_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID), MfaConfiguration: types.UserPoolMfaTypeOff})
	must(t, err)
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: s0})
	wantErr[*types.SoftwareTokenMFANotFoundException](t, err, "Software Token MFA has not been enabled by the userPool.")
}
