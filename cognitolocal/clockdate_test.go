package cognitolocal_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Every answer carries Date from the server's clock, as Cognito's carry
// Cognito's time: moved minutes from the machine's, the SDK reads that time.
func TestDateIsTheServersClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Advance(7*time.Minute + 3*time.Second)
	want := e.clock.Now().UTC().Format(http.TimeFormat)

	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("dated")})
	must(t, err)
	if got, ok := awsmiddleware.GetServerTime(out.ResultMetadata); !ok || got.UTC().Format(http.TimeFormat) != want {
		t.Fatalf("the SDK read the server time %v (%v), want %s", got, ok, want)
	}
	for _, c := range []struct {
		name   string
		target string
	}{{"an answer", "ListUserPools"}, {"an error", "NoSuchOperation"}} {
		resp, _ := e.post(c.target, `{"MaxResults": 1}`, true)
		if got := resp.Header.Get("Date"); got != want {
			t.Errorf("%s: Date %q, want %q", c.name, got, want)
		}
	}
}

// A code is accepted once: the code that verified the app does not also sign
// in, and neither does a code already used to sign in.
func TestTOTPCodeIsAcceptedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{validity: 15})
	e.confirmedUser(poolID, "una")
	tok := e.tokens(c, "una").AccessToken
	secret := e.associate(tok)
	code := e.code(secret)
	_, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: tok, UserCode: aws.String(code)})
	must(t, err)
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tok,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)

	out, err := e.signIn(c, "una", password)
	must(t, err)
	answer := func(code string) error {
		_, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "una", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": code})
		return err
	}
	wantErr[*types.CodeMismatchException](t, answer(code), "Invalid code received for user")
	e.clock.Advance(30 * time.Second)
	must(t, answer(e.code(secret)))

	out, err = e.signIn(c, "una", password)
	must(t, err)
	wantErr[*types.CodeMismatchException](t, answer(e.code(secret)), "Invalid code received for user")
}
