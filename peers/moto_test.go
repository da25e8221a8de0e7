package peers

import (
	"context"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/flow"
)

// Our client (flow, over the real SDK) against moto_server: a server we did
// not write. Where moto departs from Cognito the test names the entry of
// motoDifferences it tolerates; everything else must be Cognito's behaviour.

const motoSecret = "asdfasdfasdf"

var cognitoSecret = regexp.MustCompile(`^[A-Z2-7]{16,}$`)

// checkSecret accepts a Cognito-shaped secret, or moto's documented constant.
func checkSecret(t *testing.T, secret string) {
	t.Helper()
	switch {
	case cognitoSecret.MatchString(secret):
	case secret == motoSecret:
		tolerate(t, diffConstantSecret, "SecretCode "+secret)
	default:
		t.Fatalf("SecretCode %q is neither base32 of 16+ characters (Cognito) nor moto's documented constant", secret)
	}
}

// confirmWrongFirstCode confirms setup with a wrong code and wants it refused
// as Cognito refuses it (or with moto's documented other exception), the
// error's text carrying neither the code nor the access token or session
// that holds the enrollment.
func confirmWrongFirstCode(t *testing.T, ctx context.Context, c *flow.Client, setup flow.Setup) {
	t.Helper()
	wrong := wrongCode(t, setup.Secret)
	_, err := c.ConfirmTOTP(ctx, setup, wrong)
	fe := flowErr(t, err, wrong, setup.AccessToken, setup.Session)
	switch {
	case fe.Kind == flow.KindWrongCode && fe.Code == "EnableSoftwareTokenMFAException":
	case fe.Kind == flow.KindWrongCode && fe.Code == "CodeMismatchException":
		tolerate(t, diffVerifyError, fe.Code)
	default:
		t.Fatalf("wrong first code: kind %v code %q, want KindWrongCode", fe.Kind, fe.Code)
	}
}

func TestMotoAccessTokenEnrollment(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID, c := moto.optionalPoolUser(t, "ana", password, true)

	step, err := c.SignIn(ctx, "ana", password)
	if err != nil || !step.SignedIn() || step.Tokens.AccessToken == "" {
		t.Fatalf("sign-in in an MFA-optional pool without TOTP: %+v %v", step, err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if setup.ViaSession() || setup.Session != "" {
		t.Fatalf("the access-token path must hold no session: %+v", setup)
	}
	checkSecret(t, setup.Secret)
	if want := flow.OTPAuthURI("Peers Test", "ana", setup.Secret); setup.URI != want {
		t.Fatalf("URI %s, want %s", setup.URI, want)
	}

	// Cognito refuses to make TOTP the preference before a code was verified.
	_, err = moto.user.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: aws.String(setup.AccessToken),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	if code := apiCode(err); code != "InvalidParameterException" {
		t.Fatalf("SetUserMFAPreference before verify: %q, want InvalidParameterException", code)
	}

	confirmWrongFirstCode(t, ctx, c, setup)

	done, err := c.ConfirmTOTP(ctx, setup, codeNow(t, setup.Secret))
	if err != nil {
		t.Fatalf("verify, SetUserMFAPreference and GetUser with the right code: %v", err)
	}
	if done.Username != "ana" || !done.Preferred || done.Tokens != nil {
		t.Fatalf("enrolled %+v, want ana with TOTP preferred and no new tokens", done)
	}
	u, err := moto.admin.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ana")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(u.UserMFASettingList, "SOFTWARE_TOKEN_MFA") || aws.ToString(u.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("the pool's view of ana: MFA %v, preferred %q", u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting))
	}

	step, err = c.SignIn(ctx, "ana", password)
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken || step.Session == "" {
		t.Fatalf("sign-in after enrollment: %q %v, want SOFTWARE_TOKEN_MFA with a session", step.Challenge, err)
	}
	if _, ok := step.Parameters["FRIENDLY_DEVICE_NAME"]; !ok {
		tolerate(t, diffNoDeviceName, "ChallengeParameters without FRIENDLY_DEVICE_NAME")
	}
	wrong := wrongCode(t, setup.Secret)
	_, err = c.AnswerTOTP(ctx, step, wrong)
	wantKind(t, err, flow.KindWrongCode, "CodeMismatchException", wrong, step.Session)
	signedIn, err := c.AnswerTOTP(ctx, step, codeNow(t, setup.Secret))
	if err != nil || !signedIn.SignedIn() || signedIn.Tokens.AccessToken == "" {
		t.Fatalf("the right code after a wrong one, same session: %+v %v", signedIn, err)
	}

	// The session that signed in is spent.
	_, err = c.AnswerTOTP(ctx, step, codeNow(t, setup.Secret))
	fe := flowErr(t, err, step.Session)
	switch {
	case fe.Kind == flow.KindSessionExpired && fe.Code == "NotAuthorizedException":
	case fe.Code == "ResourceNotFoundException":
		tolerate(t, diffSessionErrors, fe.Code+", flow kind "+fe.Kind.String())
	default:
		t.Fatalf("a used session: kind %v code %q, want KindSessionExpired", fe.Kind, fe.Code)
	}
}

func TestMotoNewPasswordRequired(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	_, c := moto.optionalPoolUser(t, "nia", tempPassword, false)

	step, err := c.SignIn(ctx, "nia", tempPassword)
	if err != nil || step.Challenge != flow.ChallengeNewPassword || step.Session == "" {
		t.Fatalf("first sign-in: %q %v, want NEW_PASSWORD_REQUIRED", step.Challenge, err)
	}
	if step.Username != "nia" {
		t.Fatalf("the challenge names the user %q, want nia", step.Username)
	}
	if _, ok := step.Parameters["userAttributes"]; !ok {
		tolerate(t, diffNewPasswordParams, "parameters "+strings.Join(slices.Sorted(maps.Keys(step.Parameters)), ","))
	}
	_, err = c.SetNewPassword(ctx, step, weakPassword, nil)
	fe := wantKind(t, err, flow.KindPasswordPolicy, "InvalidPasswordException", weakPassword, step.Session)
	if fe.Op != "set new password" {
		t.Fatalf("op %q", fe.Op)
	}
	next, err := c.SetNewPassword(ctx, step, newPassword, nil)
	if err != nil || !next.SignedIn() {
		t.Fatalf("a good new password after a refused one, same session: %+v %v", next, err)
	}
	_, err = c.SignIn(ctx, "nia", tempPassword)
	wantKind(t, err, flow.KindBadCredentials, "NotAuthorizedException", tempPassword)
	if step, err := c.SignIn(ctx, "nia", newPassword); err != nil || !step.SignedIn() {
		t.Fatalf("sign-in with the new password: %+v %v", step, err)
	}
}

// The MFA_SETUP path reaches moto through mfaSetupProxy (diffMFASetupArray).
func TestMotoMFASetupPathThroughProxy(t *testing.T) {
	url := needMoto(t)
	t.Parallel()
	proxy := newMFASetupProxy(t, url)
	moto := newTarget("moto via proxy", proxy.url)
	ctx := context.Background()
	poolID := moto.pool(t, types.UserPoolMfaTypeOn)
	clientID, secret := moto.client(t, poolID, true, passwordFlows...)
	moto.newUser(t, poolID, "otto", tempPassword, false)
	c := moto.flowClient(t, poolID, clientID, secret)

	step, err := c.SignIn(ctx, "otto", tempPassword)
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("first sign-in: %q %v, want NEW_PASSWORD_REQUIRED", step.Challenge, err)
	}
	step, err = c.SetNewPassword(ctx, step, newPassword, nil)
	if err != nil || step.Challenge != flow.ChallengeMFASetup {
		t.Fatalf("after the new password: %q %v, want MFA_SETUP", step.Challenge, err)
	}
	if !slices.Equal(step.CanSetup, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Fatalf("MFAS_CAN_SETUP decoded to %v", step.CanSetup)
	}
	if got := proxy.Rewrites(); len(got) != 1 {
		t.Fatalf("the proxy rewrote %q; moto sends MFAS_CAN_SETUP as an array exactly once here (diffMFASetupArray): if it no longer does, drop the proxy", got)
	} else {
		tolerate(t, diffMFASetupArray, got[0])
	}

	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if !setup.ViaSession() || setup.Session == "" {
		t.Fatalf("the MFA_SETUP path must carry a session: %+v", setup)
	}
	if setup.Session == step.Session {
		tolerate(t, diffSameSession, "AssociateSoftwareToken returned the session it was given")
	}
	checkSecret(t, setup.Secret)
	confirmWrongFirstCode(t, ctx, c, setup)
	done, err := c.ConfirmTOTP(ctx, setup, codeNow(t, setup.Secret))
	if err != nil {
		t.Fatalf("verify and answer MFA_SETUP (with SECRET_HASH): %v", err)
	}
	if done.Username != "otto" || done.Tokens == nil || done.Tokens.AccessToken == "" {
		t.Fatalf("enrolled %+v, want otto signed in", done)
	}

	step, err = c.SignIn(ctx, "otto", newPassword)
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("sign-in after MFA_SETUP: %q %v, want SOFTWARE_TOKEN_MFA", step.Challenge, err)
	}
	signedIn, err := c.AnswerTOTP(ctx, step, codeNow(t, setup.Secret))
	if err != nil || !signedIn.SignedIn() {
		t.Fatalf("SOFTWARE_TOKEN_MFA answer (with SECRET_HASH): %+v %v", signedIn, err)
	}
}

// Without the proxy the SDK cannot read moto's MFA_SETUP challenge: this
// keeps diffMFASetupArray, and so the proxy, honest.
func TestMotoMFASetupArrayStillBreaksTheSDK(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID := moto.pool(t, types.UserPoolMfaTypeOn)
	clientID, _ := moto.client(t, poolID, false, passwordFlows...)
	moto.newUser(t, poolID, "pia", tempPassword, false)
	c := moto.flowClient(t, poolID, clientID, "")
	step, err := c.SignIn(ctx, "pia", tempPassword)
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("first sign-in: %q %v", step.Challenge, err)
	}
	_, err = c.SetNewPassword(ctx, step, newPassword, nil)
	if err == nil {
		t.Fatal("the SDK read moto's MFA_SETUP challenge without the proxy: moto no longer sends MFAS_CAN_SETUP as an array; remove diffMFASetupArray and the proxy")
	}
	fe := flowErr(t, err, newPassword, step.Session)
	if decoding := strings.Contains(errorChain(err), "deserialization failed"); fe.Code != "" || !decoding {
		t.Fatalf("want the SDK's decoding failure, got code %q: %v", fe.Code, errorChain(err))
	}
	tolerate(t, diffMFASetupArray, "the SDK refused moto's answer: "+errorChain(err))
}

func TestMotoSignInErrors(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID := moto.pool(t, types.UserPoolMfaTypeOn)
	clientID, _ := moto.client(t, poolID, false, passwordFlows...)
	moto.newUser(t, poolID, "ben", password, true)
	c := moto.flowClient(t, poolID, clientID, "")

	_, err := c.SignIn(ctx, "ben", "Wr0ng-Passw0rd")
	fe := wantKind(t, err, flow.KindBadCredentials, "NotAuthorizedException", "Wr0ng-Passw0rd")
	if !strings.Contains(fe.Message, "username or password") {
		t.Fatalf("message %q", fe.Message)
	}
	_, err = c.SignIn(ctx, "nobody", password)
	wantKind(t, err, flow.KindUserNotFound, "UserNotFoundException", password)

	other := moto.flowClient(t, poolID, "doesnotexist", "")
	_, err = other.SignIn(ctx, "ben", password)
	wantKind(t, err, flow.KindMisconfigured, "ResourceNotFoundException", password)

	// A session nobody issued, at each step that takes one.
	madeUp := flow.Step{Challenge: flow.ChallengeSoftwareToken, Session: madeUpSession, Username: "ben"}
	_, err = c.AnswerTOTP(ctx, madeUp, "123456")
	checkMadeUpSession(t, err, "ResourceNotFoundException")
	madeUp.Challenge = flow.ChallengeMFASetup
	_, err = c.BeginTOTP(ctx, madeUp)
	checkMadeUpSession(t, err, "NotAuthorizedException")
	_, err = c.ConfirmTOTP(ctx, flow.Setup{Session: madeUpSession, Username: "ben"}, "123456")
	checkMadeUpSession(t, err, "ResourceNotFoundException")

	// An access token nobody issued.
	_, err = c.BeginTOTP(ctx, flow.Step{Tokens: &flow.Tokens{AccessToken: madeUpAccessToken}, Username: "ben"})
	fe = flowErr(t, err, madeUpAccessToken)
	switch {
	case fe.Code == "NotAuthorizedException" && fe.Kind == flow.KindSessionExpired:
	case fe.Code == "NotAuthorizedException" && fe.Kind == flow.KindBadCredentials:
		// moto says "Invalid token" rather than "Invalid Access Token".
		tolerate(t, diffSessionErrors, "NotAuthorizedException: "+fe.Message)
	default:
		t.Fatalf("a made-up access token: kind %v code %q", fe.Kind, fe.Code)
	}
}

// checkMadeUpSession wants Cognito's answer to a session nobody issued
// (NotAuthorizedException, KindSessionExpired) or moto's documented one, and
// never the session in the error text (diffSecretsInMessages).
func checkMadeUpSession(t *testing.T, err error, motoCode string) {
	t.Helper()
	fe := flowErr(t, err, madeUpSession)
	switch {
	case fe.Code == "NotAuthorizedException" && fe.Kind == flow.KindSessionExpired:
	case fe.Code == motoCode:
		tolerate(t, diffSessionErrors, fe.Code+", flow kind "+fe.Kind.String())
		if strings.Contains(errorChain(err), "[redacted]") {
			tolerate(t, diffSecretsInMessages, "flow redacted the session moto echoed")
		}
	default:
		t.Fatalf("a made-up session: kind %v code %q (%v)", fe.Kind, fe.Code, errorChain(err))
	}
}

// errorChain is err's text with its cause's, which flow.Error.Error leaves out.
func errorChain(err error) string {
	var fe *flow.Error
	if errors.As(err, &fe) && fe.Err != nil {
		return fe.Error() + ": " + fe.Err.Error()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
