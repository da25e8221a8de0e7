package flow

import (
	"errors"
	"github.com/aws/smithy-go"
	"net/url"
	"strings"
	"testing"
)

func TestSecretHashKnownAnswer(t *testing.T) {
	// Computed independently with Python's hmac module.
	got := SecretHash("secret123secret123secret123", "alice", "1example23456789")
	if want := "raD29MKjH1WaS9Guuyds2cZmhF021+HdfeZq3or8xoU="; got != want {
		t.Fatalf("SecretHash = %q, want %q", got, want)
	}
	if SecretHash("s", "alice", "c") == SecretHash("s", "alice@example.com", "c") {
		t.Fatal("the hash must depend on the username")
	}
}

func TestOTPAuthURI(t *testing.T) {
	got := OTPAuthURI("Acme Corp", "alice smith", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/Acme%20Corp:alice%20smith?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(got, "+") {
		t.Fatal("a space must never be +")
	}
	u, err := url.Parse(OTPAuthURI("A&B/C", "bob+x@example.com", "ABCD"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Get("issuer") != "A&B/C" {
		t.Fatalf("issuer query decodes to %q", u.Query().Get("issuer"))
	}
	if label := strings.TrimPrefix(u.EscapedPath(), "/"); strings.Count(label, ":") != 1 {
		t.Fatalf("label %q must hold exactly one colon", label)
	}
	// A colon inside the account must not split the label.
	if strings.Count(strings.SplitN(OTPAuthURI("I", "a:b", "S"), "?", 2)[0], ":") != 2 { // scheme + separator
		t.Fatal("a colon inside the account must be encoded")
	}
}

func TestGroupSecret(t *testing.T) {
	if got := GroupSecret("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Fatalf("got %q", got)
	}
	if got := GroupSecret(""); got != "" {
		t.Fatalf("got %q", got)
	}
}

func TestNormalizeCode(t *testing.T) {
	good := map[string]string{
		"123456":                "123456",
		" 123 456 ":             "123456",
		"123-456":               "123456",
		"123456\n":              "123456",
		"Your code is 123456.":  "123456",
		"code: 123 456 (valid)": "123456",
		"0 0 0 0 0 1":           "000001",
		"\t987654\r\n":          "987654",
	}
	for in, want := range good {
		got, err := NormalizeCode(in)
		if err != nil || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                  "6-digit",
		"12345":             "this has 5",
		"1234567":           "this has 7",
		"12a456":            "only digits",
		"abcdef":            "only digits",
		"111111 and 222222": "only digits",
	}
	for in, msg := range bad {
		_, err := NormalizeCode(in)
		var fe *Error
		if !errors.As(err, &fe) || fe.Kind != KindBadCode {
			t.Errorf("NormalizeCode(%q) error = %v, want KindBadCode", in, err)
			continue
		}
		if !strings.Contains(fe.Message, msg) {
			t.Errorf("NormalizeCode(%q) message %q lacks %q", in, fe.Message, msg)
		}
		if in != "" && strings.Contains(fe.Message, in) {
			t.Errorf("message %q repeats the input", fe.Message)
		}
	}
}

func TestFromCognitoMapsEveryReferenceException(t *testing.T) {
	cases := []struct {
		code, msg string
		want      Kind
	}{
		{"NotAuthorizedException", "Incorrect username or password.", KindBadCredentials},
		{"NotAuthorizedException", "Password attempts exceeded", KindLockedOut},
		{"NotAuthorizedException", "User is disabled.", KindUserDisabled},
		{"NotAuthorizedException", "Invalid session for the user, session is expired.", KindSessionExpired},
		{"NotAuthorizedException", "Invalid session for the user, session can only be used once.", KindSessionExpired},
		{"NotAuthorizedException", "Invalid session for the user.", KindSessionExpired},
		{"NotAuthorizedException", "Invalid Access Token", KindSessionExpired},
		{"NotAuthorizedException", "Access Token has expired", KindSessionExpired},
		{"NotAuthorizedException", "Unable to verify secret hash for client abc", KindClientSecret},
		{"NotAuthorizedException", "Client abc is configured with secret but SECRET_HASH was not received", KindClientSecret},
		{"EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA", KindWrongCode},
		{"CodeMismatchException", "Invalid code received for user", KindWrongCode},
		{"ExpiredCodeException", "Invalid code provided, please request a code again.", KindExpiredCode},
		{"SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.", KindTOTPNotEnabled},
		{"InvalidPasswordException", "Password does not conform to policy: Password not long enough", KindPasswordPolicy},
		{"PasswordHistoryPolicyViolationException", "The password was used before.", KindPasswordPolicy},
		{"InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client", KindFlowNotEnabled},
		{"InvalidParameterException", "Invalid attributes given, name is missing", KindInvalidInput},
		{"PasswordResetRequiredException", "Password reset required for the user", KindAccountState},
		{"UserNotConfirmedException", "User is not confirmed.", KindAccountState},
		{"UserNotFoundException", "User does not exist.", KindUserNotFound},
		{"TooManyRequestsException", "Rate exceeded", KindThrottled},
		{"InternalErrorException", "Internal error", KindServiceError},
		{"ForbiddenException", "Request blocked", KindForbidden},
		{"ResourceNotFoundException", "User pool client abc does not exist.", KindMisconfigured},
		{"ConcurrentModificationException", "Concurrent modification", KindConcurrent},
		{"SomethingNewException", "new", KindUnexpected},
	}
	for _, c := range cases {
		k, said := fromCognito(c.code, c.msg)
		msg := said.text
		if k != c.want {
			t.Errorf("%s %q: kind %v, want %v", c.code, c.msg, k, c.want)
		}
		if msg == "" || strings.Contains(msg, "Exception") && c.want != KindUnexpected {
			t.Errorf("%s: message %q is not for a person", c.code, msg)
		}
	}
	if _, said := fromCognito("InvalidPasswordException", "Password does not conform to policy: Password not long enough"); !strings.HasSuffix(said.text, "Password not long enough.") {
		t.Errorf("policy message %q should carry the pool's reason", said.text)
	}
}

func TestRedactRemovesSecretsFromCognitoText(t *testing.T) {
	e := classify("verify code", errors.New("boom"), "123456")
	if e.Kind != KindUnreachable {
		t.Fatalf("a plain transport error is %v", e.Kind)
	}
	if got := redact("Value '123456' at 'userCode' failed", []string{"123456"}); strings.Contains(got, "123456") {
		t.Fatalf("redact left the code: %q", got)
	}
}

func TestUndecodableAnswerIsNotANetworkFault(t *testing.T) {
	e := classify("sign in", &smithy.OperationError{ServiceID: "x", OperationName: "InitiateAuth",
		Err: &smithy.DeserializationError{Err: errors.New("failed to decode response body")}})
	if e.Kind != KindUnexpected || e.Kind.Retryable() {
		t.Fatalf("kind %v, want Unexpected and not retryable", e.Kind)
	}
}

func TestKindStrings(t *testing.T) {
	for k := KindUnknown; k <= KindUnexpected; k++ {
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
}
