package flow

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// TestErrorsSayEnglish: each case's error reads, word for word, as it did
// when flow wrote its English itself. The sentence comes from the English
// catalog by the error's Key and Vars, so a catalog edit that changes what
// an English error (its Error(), what logs and support see) says fails
// here, not only in the goldens of the screens that show it.
// TestMessagesHaveKeys checks the same errors in every language.
func TestErrorsSayEnglish(t *testing.T) {
	type said struct {
		err  error
		want string
	}
	var cases []said
	for _, c := range []struct{ code, msg, want string }{
		{"NotAuthorizedException", "Invalid session for the user, session is expired.", "sign in: The sign-in session ran out of time (Cognito allows only a few minutes). Sign in again to go on."},
		{"NotAuthorizedException", "Invalid session for the user, session can only be used once.", "sign in: That sign-in session was already used. Sign in again to go on."},
		{"NotAuthorizedException", "Invalid session for the user.", "sign in: Cognito no longer accepts this sign-in session. Sign in again to go on."},
		{"NotAuthorizedException", "Access Token has expired", "sign in: Your sign-in is no longer valid. Sign in again to go on."},
		{"NotAuthorizedException", "Client is configured with secret but SECRET_HASH was not received", "sign in: This app client has a client secret. Give it with --client-secret."},
		{"NotAuthorizedException", "Unable to verify secret hash for client 1example", "sign in: The client secret does not match this app client. Check --client-secret."},
		{"NotAuthorizedException", "Password attempts exceeded", "sign in: Too many failed attempts: Cognito has locked this account for a while. Wait a few minutes, then try again."},
		{"NotAuthorizedException", "User is disabled.", "sign in: This account is disabled. Ask the pool's administrator to enable it."},
		{"NotAuthorizedException", "Incorrect username or password.", "sign in: The username or password is not right. Check both and try again."},
		{"NotAuthorizedException", "Something else entirely.", "sign in: Cognito refused the sign-in: Something else entirely."},
		{"CodeMismatchException", "Invalid code received for user", "sign in: That code was not accepted. Use the next code your app shows, for this account, and check the phone sets its clock automatically."},
		{"ExpiredCodeException", "Invalid code provided, please request a code again.", "sign in: That code has expired. Ask for a new one and use it straight away."},
		{"SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the user pool.", "sign in: Authenticator apps (software token MFA) are not turned on for this user pool. The pool's administrator must enable them in its sign-in settings."},
		{"InvalidPasswordException", "Password does not conform to policy: Password not long enough", "sign in: The new password does not meet the pool's rules: Password not long enough."},
		{"InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client", "sign in: This app client does not allow signing in with USER_PASSWORD_AUTH. Turn on ALLOW_USER_PASSWORD_AUTH in the app client's authentication flows, or sign in another way."},
		{"InvalidParameterException", "User has not set up software token mfa", "sign in: Cognito says the authenticator was not verified yet. Start the setup again."},
		{"InvalidParameterException", "Missing required parameter USERNAME", "sign in: Cognito refused a value: Missing required parameter USERNAME"},
		{"UserNotFoundException", "User does not exist.", "sign in: There is no user with that name in this pool. Check the username."},
		{"PasswordResetRequiredException", "Password reset required for the user", "sign in: This account needs a password reset before it can sign in. Reset the password, then run this again."},
		{"UserNotConfirmedException", "User is not confirmed.", "sign in: This account is not confirmed yet. Confirm it with the code sent at sign-up, then run this again."},
		{"TooManyRequestsException", "Rate exceeded", "sign in: Cognito is getting too many requests right now. Wait a moment and try again."},
		{"TooManyFailedAttemptsException", "Too many failed attempts.", "sign in: Too many failed attempts: Cognito has locked this account for a while. Wait a few minutes, then try again."},
		{"InternalErrorException", "Internal error", "sign in: Cognito had an internal error. Try again in a moment."},
		{"ForbiddenException", "Request blocked", "sign in: The request was blocked by the pool's firewall (AWS WAF). Retrying will not help; ask the pool's administrator."},
		{"ResourceNotFoundException", "User pool client 1example does not exist.", "sign in: Cognito does not know this app client or user pool (User pool client 1example does not exist.) Check --client-id, --user-pool-id and --region."},
		{"ConcurrentModificationException", "Concurrent modification", "sign in: Another change to this account happened at the same moment. Try again."},
		{"UserLambdaValidationException", "PreAuthentication failed with error nope.", "sign in: The user pool's configuration stopped the sign-in: PreAuthentication failed with error nope."},
		{"SomethingNewException", "Something new", "sign in: Cognito answered SomethingNewException: Something new"},
	} {
		cases = append(cases, said{classify("sign in", &smithy.GenericAPIError{Code: c.code, Message: c.msg}), c.want})
	}
	for i, err := range []error{context.Canceled, context.DeadlineExceeded, &smithy.DeserializationError{Err: errors.New("not JSON")},
		&net.DNSError{Name: "cognito-idp.example.invalid", Err: "no such host"}, errors.New("boom")} {
		cases = append(cases, said{classify("sign in", err), []string{
			"sign in: Stopped before Cognito answered.",
			"sign in: Cognito did not answer in time. Check the network, then try again.",
			"sign in: The endpoint answered with something that is not a Cognito response. Check --endpoint-url.",
			"sign in: Could not find the Cognito endpoint's address (cognito-idp.example.invalid). Check the network, --region and --endpoint-url.",
			"sign in: The call to Cognito failed. Check the network and --endpoint-url, then try again.",
		}[i]})
	}
	for _, c := range []struct{ in, want string }{
		{"", "check code: Type the 6-digit code your authenticator app shows."},
		{"12345", "check code: A code has 6 digits; this has 5."},
		{"1", "check code: A code has 6 digits; this has 1."},
		{"abcdef", "check code: A code is only digits: 6 of them, from your authenticator app."},
	} {
		_, err := NormalizeCode(c.in)
		cases = append(cases, said{err, c.want})
	}
	for _, c := range cases {
		var e *Error
		if !errors.As(c.err, &e) {
			t.Fatalf("%v (%T), want an *Error", c.err, c.err)
		}
		if got := e.Error(); got != c.want {
			t.Errorf("%s (%v) says\n%q\nwant\n%q", e.Key, e.Kind, got, c.want)
		}
	}
}

// TestVarsCarryNoSecret: Cognito's text becomes a variable screens show,
// so a value of the call that Cognito echoes (here a code) is redacted in
// the variable as in the message.
func TestVarsCarryNoSecret(t *testing.T) {
	const code = "654321"
	e := classify("verify code", &smithy.GenericAPIError{Code: "InvalidParameterException",
		Message: "1 validation error detected: Value '" + code + "' at 'userCode' failed to satisfy constraint"}, code)
	if e.Key != i18n.ErrInvalidValue || e.Vars["Cognito"] == "" {
		t.Fatalf("key %s, vars %v: want %s with Cognito's text", e.Key, e.Vars, i18n.ErrInvalidValue)
	}
	for name, v := range e.Vars {
		if strings.Contains(v, code) {
			t.Errorf("variable %s carries the code: %q", name, v)
		}
	}
	if strings.Contains(e.Error(), code) {
		t.Errorf("the message carries the code: %q", e.Error())
	}
}
