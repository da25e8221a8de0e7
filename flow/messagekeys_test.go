package flow

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"strconv"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// englishOf renders e's Key and Vars from the English catalog.
func englishOf(e *Error) string {
	return i18n.English().Sentence(i18n.Key(e.Key), e.Vars)
}

// TestMessagesHaveKeys: every sentence flow says has a stable key, and the
// English catalog gives that key, with the error's variables, exactly the
// error's Message. So a screen that translates the key says what flow meant.
func TestMessagesHaveKeys(t *testing.T) {
	var errs []*Error
	for _, c := range []struct{ code, msg string }{
		{"NotAuthorizedException", "Invalid session for the user, session is expired."},
		{"NotAuthorizedException", "Invalid session for the user, session can only be used once."},
		{"NotAuthorizedException", "Invalid session for the user."},
		{"NotAuthorizedException", "Access Token has expired"},
		{"NotAuthorizedException", "Client is configured with secret but SECRET_HASH was not received"},
		{"NotAuthorizedException", "Unable to verify secret hash for client 1example"},
		{"NotAuthorizedException", "Password attempts exceeded"},
		{"NotAuthorizedException", "User is disabled."},
		{"NotAuthorizedException", "Incorrect username or password."},
		{"NotAuthorizedException", "Something else entirely."},
		{"CodeMismatchException", "Invalid code received for user"},
		{"ExpiredCodeException", "Invalid code provided, please request a code again."},
		{"SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the user pool."},
		{"InvalidPasswordException", "Password does not conform to policy: Password not long enough"},
		{"InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"InvalidParameterException", "User has not set up software token mfa"},
		{"InvalidParameterException", "Missing required parameter USERNAME"},
		{"UserNotFoundException", "User does not exist."},
		{"PasswordResetRequiredException", "Password reset required for the user"},
		{"UserNotConfirmedException", "User is not confirmed."},
		{"TooManyRequestsException", "Rate exceeded"},
		{"TooManyFailedAttemptsException", "Too many failed attempts."},
		{"InternalErrorException", "Internal error"},
		{"ForbiddenException", "Request blocked"},
		{"ResourceNotFoundException", "User pool client 1example does not exist."},
		{"ConcurrentModificationException", "Concurrent modification"},
		{"UserLambdaValidationException", "PreAuthentication failed with error nope."},
		{"SomethingNewException", "Something new"},
	} {
		kind, s := fromCognito(c.code, c.msg)
		errs = append(errs, newError(kind, "test", s))
	}
	for _, err := range []error{
		&net.DNSError{Name: "cognito-idp.example.invalid", Err: "no such host"},
		errors.New("boom"),
	} {
		errs = append(errs, newError(KindUnreachable, "test", networkMessage(err)))
	}
	for _, err := range []error{context.Canceled, context.DeadlineExceeded, &smithy.DeserializationError{Err: errors.New("not JSON")}} {
		errs = append(errs, classify("test", err))
	}
	for _, in := range []string{"", "12345", "abcdef"} {
		_, err := NormalizeCode(in)
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("NormalizeCode(%q) = %v, want an *Error", in, err)
		}
		errs = append(errs, fe)
	}
	said := map[Kind]bool{}
	for _, e := range errs {
		said[e.Kind] = true
		for _, tag := range i18n.Languages() {
			if s := i18n.For(tag).Sentence(i18n.Key(e.Key), e.Vars); s == string(e.Key) || s == "" {
				t.Errorf("%s has no sentence for %s (%v)", tag, e.Key, e.Kind)
			}
		}
		if e.Key == "" {
			t.Errorf("%q has no Key", e.Message)
			continue
		}
		if got := englishOf(e); got != e.Message {
			t.Errorf("%s in English is %q; the error says %q", e.Key, got, e.Message)
		}
	}
	// Every Kind flow emits is among them, so each has a sentence in every language.
	for k := KindBadCode; k <= KindUnexpected; k++ {
		if !said[k] {
			t.Errorf("no case above says a %v: add one", k)
		}
	}
}

// TestEveryMessageKeyIsTranslated: each MessageKey constant is in every
// language's catalog (the i18n tests check each catalog has every English key).
func TestEveryMessageKeyIsTranslated(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "messagekeys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		vs, ok := node.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for _, v := range vs.Values {
			key, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
			n++
			for _, tag := range i18n.Languages() {
				if s := i18n.For(tag).T(i18n.Key(key), "Count", 1); s == key {
					t.Errorf("%s: no sentence for %s", tag, key)
				}
			}
		}
		return true
	})
	if n < 50 {
		t.Errorf("read %d keys from messagekeys.go; the parse missed them", n)
	}
}
