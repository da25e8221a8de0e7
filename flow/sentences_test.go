package flow

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// TestMessagesHaveKeys: every sentence flow says has a stable key that every
// language's catalog fills in completely with the error's variables, so a
// screen that translates the key says what flow meant.
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
		if e.Key == "" {
			t.Errorf("%q has no Key", e.Message)
			continue
		}
		for _, tag := range i18n.Languages() {
			s := i18n.For(tag).Sentence(e.Key, e.Vars)
			if s == string(e.Key) || s == "" || strings.Contains(s, "<no value>") {
				t.Errorf("%s has no whole sentence for %s (%v): %q", tag, e.Key, e.Kind, s)
			}
		}
		if e.Message != i18n.English().Sentence(e.Key, e.Vars) {
			t.Errorf("%s: the error says %q, not the English catalog's sentence", e.Key, e.Message)
		}
	}
	// Every Kind flow emits is among them, so each has a sentence in every language.
	for k := KindBadCode; k <= KindUnexpected; k++ {
		if !said[k] {
			t.Errorf("no case above says a %v: add one", k)
		}
	}
}

// TestEverySayFillsItsSentence reads every say call in this package's
// source: the variables it names must be exactly those its English sentence
// uses, so no sentence shows a blank (text/template's "<no value>") or drops
// a detail the call meant to give. Calls no test reaches are checked too.
func TestEverySayFillsItsSentence(t *testing.T) {
	keyOf := map[string]i18n.Key{} // i18n's constant names and their keys
	kf, err := parser.ParseFile(token.NewFileSet(), "../i18n/keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(kf, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				k, _ := strconv.Unquote(lit.Value)
				keyOf[vs.Names[0].Name] = i18n.Key(k)
			}
		}
		return true
	})
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, isIdent := call.Fun.(*ast.Ident); !isIdent || id.Name != "say" || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Args[0].(*ast.SelectorExpr)
			if !ok {
				t.Errorf("say's key is not an i18n constant: %T", call.Args[0])
				return true
			}
			key, ok := keyOf[sel.Sel.Name]
			if !ok {
				t.Errorf("say(i18n.%s): no such key", sel.Sel.Name)
				return true
			}
			calls++
			vars := map[string]string{}
			for i := 1; i+1 < len(call.Args); i += 2 {
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok {
					t.Errorf("say(i18n.%s): a variable's name is not a literal", sel.Sel.Name)
					return true
				}
				name, _ := strconv.Unquote(lit.Value)
				vars[name] = "7" // a number, so that a Count chooses a plural form
			}
			full := i18n.English().Sentence(key, vars)
			if strings.Contains(full, "<no value>") {
				t.Errorf("say(i18n.%s, ...) leaves a blank in %q", sel.Sel.Name, full)
			}
			for name := range vars {
				without := maps.Clone(vars)
				delete(without, name)
				if i18n.English().Sentence(key, without) == full {
					t.Errorf("say(i18n.%s) gives %s, which its sentence never uses", sel.Sel.Name, name)
				}
			}
			return true
		})
	}
	if calls < 50 {
		t.Errorf("read %d say calls; the parse missed them", calls)
	}
}
