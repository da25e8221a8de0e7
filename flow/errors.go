package flow

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Kind says what went wrong in terms of what the person can do about it.
// The UI decides by Kind, never by parsing messages.
type Kind int

const (
	KindUnknown        Kind = iota
	KindBadCode             // the typed code is not 6 digits (checked before any call)
	KindWrongCode           // Cognito rejected the code
	KindExpiredCode         // an SMS or email code is too old
	KindSessionExpired      // the sign-in session (or access token) is expired, used or unknown
	KindBadCredentials      // wrong username or password
	KindUserNotFound        // no such user
	KindUserDisabled        // the account is disabled
	KindLockedOut           // too many failed attempts
	KindAccountState        // password reset required, or not confirmed
	KindPasswordPolicy      // a new password breaks the pool's policy
	KindInvalidInput        // Cognito refused a value (a missing attribute, a bad parameter)
	KindFlowNotEnabled      // the app client does not allow this auth flow
	KindClientSecret        // SECRET_HASH missing or wrong: client secret not given or wrong
	KindMisconfigured       // pool or client not found, bad pool ID, MFA setting missing
	KindTOTPNotEnabled      // the pool does not allow authenticator apps
	KindThrottled           // too many requests
	KindServiceError        // Cognito's own failure (5xx)
	KindUnreachable         // network: no answer, DNS, TLS, timeout
	KindForbidden           // AWS WAF refused the request
	KindConcurrent          // another change to the user happened at the same time
	KindCanceled            // the person stopped waiting
	KindUnexpected          // Cognito answered with something this tool does not handle
)

var kindNames = [...]string{"Unknown", "BadCode", "WrongCode", "ExpiredCode", "SessionExpired",
	"BadCredentials", "UserNotFound", "UserDisabled", "LockedOut", "AccountState", "PasswordPolicy",
	"InvalidInput", "FlowNotEnabled", "ClientSecret", "Misconfigured", "TOTPNotEnabled", "Throttled",
	"ServiceError", "Unreachable", "Forbidden", "Concurrent", "Canceled", "Unexpected"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(?)"
}

// Retryable reports whether trying the same call again may work.
func (k Kind) Retryable() bool {
	switch k {
	case KindThrottled, KindServiceError, KindUnreachable, KindConcurrent:
		return true
	}
	return false
}

// Error is the one error type this package returns. Key names its sentence
// in the i18n catalogs and Vars fill its placeholders (Cognito's own text, in
// English, is the variable Cognito); Message is that sentence as the English
// catalog renders it, for logs and Error(). None of them ever contains a
// password, secret, code, session or token. Screens and plain mode render
// Key and Vars in the person's language.
type Error struct {
	Kind    Kind
	Op      string // what was being done, in words: "sign in", "verify code"
	Message string
	Key     i18n.Key          // the sentence's stable name, one per case
	Vars    map[string]string // the sentence's variables; nil when it has none
	Code    string            // Cognito's exception name, when it answered with one
	Err     error             // the cause
	// Cause says why Cognito refused an authenticator code, diagnosed
	// against the secret just set up (the sentence above says it too);
	// CauseNone for every other error.
	Cause Cause
	// PhoneOffset is the authenticator's clock minus Cognito's as the code
	// shows it (clock_behind, clock_ahead, reused); zero otherwise.
	PhoneOffset time.Duration
}

// sentence is a Message with its Key and Vars.
type sentence struct {
	key  i18n.Key
	vars map[string]string
	text string
}

// say is the catalog's sentence key with vars, given as name, value pairs.
// Its English, the error's Message, is the English catalog's: the one place
// a sentence is written, which the other languages translate.
func say(key i18n.Key, vars ...string) sentence {
	s := sentence{key: key}
	if len(vars) > 0 {
		s.vars = make(map[string]string, len(vars)/2)
		for i := 0; i+1 < len(vars); i += 2 {
			s.vars[vars[i]] = vars[i+1]
		}
	}
	s.text = i18n.English().Sentence(key, s.vars)
	return s
}

// newError is an Error of kind saying s.
func newError(kind Kind, op string, s sentence) *Error {
	return &Error{Kind: kind, Op: op, Message: s.text, Key: s.key, Vars: s.vars}
}

// withCause is e with err as its cause.
func withCause(e *Error, err error) *Error {
	e.Err = err
	return e
}

func (e *Error) set(kind Kind, s sentence) {
	e.Kind, e.Message, e.Key, e.Vars = kind, s.text, s.key, s.vars
}

func (e *Error) Error() string { return e.Op + ": " + e.Message }
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or KindUnknown when err is not an *Error.
func KindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return KindUnknown
}

// classify turns an SDK error from op into an *Error. secrets are values the
// call carried (password, code, session); any Cognito text that echoes one is
// redacted before it can reach a screen or a log.
func classify(op string, err error, secrets ...string) *Error {
	if err == nil {
		return nil
	}
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	e := &Error{Op: op, Err: redactedErr{err, secrets}}
	var api smithy.APIError
	var decode *smithy.DeserializationError
	switch {
	case errors.Is(err, context.Canceled):
		e.set(KindCanceled, say(i18n.ErrCanceled))
	case errors.Is(err, context.DeadlineExceeded):
		e.set(KindUnreachable, say(i18n.ErrTimeout))
	case errors.As(err, &decode):
		// The endpoint answered, but not as Cognito does: retrying will not help.
		e.set(KindUnexpected, say(i18n.ErrNotCognito))
	case errors.As(err, &api):
		e.Code = api.ErrorCode()
		e.set(fromCognito(api.ErrorCode(), redact(api.ErrorMessage(), secrets)))
	default:
		e.set(KindUnreachable, networkMessage(err))
	}
	return e
}

// fromCognito maps an exception name and message to a Kind and a sentence
// that says what the person can do about it: wait, sign in again, check a
// flag, or ask the pool's administrator. Cognito's own message (redacted) is
// passed on where it carries the detail: a sign-in refused for a reason not
// matched below, a password rule, a refused value, an unknown client or
// pool, a trigger's refusal, or an exception this package does not know.
func fromCognito(code, msg string) (Kind, sentence) {
	lower := strings.ToLower(msg)
	switch code {
	case "NotAuthorizedException":
		switch {
		case strings.Contains(lower, "session is expired"):
			return KindSessionExpired, say(i18n.ErrSessionExpired)
		case strings.Contains(lower, "can only be used once"):
			return KindSessionExpired, say(i18n.ErrSessionUsed)
		case strings.Contains(lower, "invalid session"):
			return KindSessionExpired, say(i18n.ErrSessionInvalid)
		case strings.Contains(lower, "access token has expired"), strings.Contains(lower, "invalid access token"),
			strings.Contains(lower, "access token has been revoked"):
			return KindSessionExpired, say(i18n.ErrTokenInvalid)
		case strings.Contains(lower, "secret_hash was not received"):
			return KindClientSecret, say(i18n.ErrSecretMissing)
		case strings.Contains(lower, "secret hash"):
			return KindClientSecret, say(i18n.ErrSecretWrong)
		case strings.Contains(lower, "attempts exceeded"), strings.Contains(lower, "too many"),
			strings.Contains(lower, "temporarily locked"):
			return KindLockedOut, say(i18n.ErrLockedOut)
		case strings.Contains(lower, "disabled"):
			return KindUserDisabled, say(i18n.ErrDisabled)
		case strings.Contains(lower, "incorrect username or password"):
			return KindBadCredentials, say(i18n.ErrBadCredentials)
		}
		return KindBadCredentials, say(i18n.ErrSignInRefused, "Cognito", msg)
	case "EnableSoftwareTokenMFAException", "CodeMismatchException":
		return KindWrongCode, say(i18n.ErrWrongCode)
	case "ExpiredCodeException":
		return KindExpiredCode, say(i18n.ErrExpiredCode)
	case "SoftwareTokenMFANotFoundException":
		return KindTOTPNotEnabled, say(i18n.ErrTOTPNotEnabled)
	case "InvalidPasswordException", "PasswordHistoryPolicyViolationException":
		return KindPasswordPolicy, say(i18n.ErrPasswordPolicy, "Cognito", trimPolicy(msg))
	case "InvalidParameterException":
		if name, ok := strings.CutSuffix(msg, " flow not enabled for this client"); ok {
			return KindFlowNotEnabled, say(i18n.ErrFlowNotEnabled, "Flow", name)
		}
		if strings.Contains(lower, "has not set up software token") {
			return KindUnexpected, say(i18n.ErrNotVerified)
		}
		return KindInvalidInput, say(i18n.ErrInvalidValue, "Cognito", msg)
	case "UserNotFoundException":
		return KindUserNotFound, say(i18n.ErrUserNotFound)
	case "PasswordResetRequiredException":
		return KindAccountState, say(i18n.ErrResetRequired)
	case "UserNotConfirmedException":
		return KindAccountState, say(i18n.ErrNotConfirmed)
	case "TooManyRequestsException", "LimitExceededException":
		return KindThrottled, say(i18n.ErrThrottled)
	case "TooManyFailedAttemptsException":
		return KindLockedOut, say(i18n.ErrLockedOut)
	case "InternalErrorException":
		return KindServiceError, say(i18n.ErrInternal)
	case "ForbiddenException":
		return KindForbidden, say(i18n.ErrForbidden)
	case "ResourceNotFoundException":
		return KindMisconfigured, say(i18n.ErrResourceNotFound, "Cognito", msg)
	case "ConcurrentModificationException":
		return KindConcurrent, say(i18n.ErrConcurrent)
	case "InvalidUserPoolConfigurationException", "InvalidLambdaResponseException", "UnexpectedLambdaException", "UserLambdaValidationException":
		return KindMisconfigured, say(i18n.ErrPoolConfig, "Cognito", msg)
	}
	return KindUnexpected, say(i18n.ErrCognitoOther, "Code", code, "Cognito", msg)
}

func trimPolicy(msg string) string {
	msg = strings.TrimPrefix(msg, "Password does not conform to policy: ")
	if msg != "" && !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

func networkMessage(err error) sentence {
	var dns *net.DNSError
	var cert x509.UnknownAuthorityError
	var host x509.HostnameError
	var rec tls.RecordHeaderError
	switch {
	case errors.As(err, &dns):
		return say(i18n.ErrDNS, "Host", dns.Name)
	case errors.As(err, &cert), errors.As(err, &host), errors.As(err, &rec):
		return say(i18n.ErrTLS)
	}
	var send *smithyhttp.RequestSendError
	if errors.As(err, &send) {
		return say(i18n.ErrUnreachable)
	}
	return say(i18n.ErrCallFailed)
}

// redact replaces any secret value that appears in s.
func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// redactedErr keeps the cause for errors.As while its text never shows a secret.
type redactedErr struct {
	err     error
	secrets []string
}

func (r redactedErr) Error() string { return redact(r.err.Error(), r.secrets) }
func (r redactedErr) Unwrap() error { return r.err }
