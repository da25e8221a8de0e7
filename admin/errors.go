package admin

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Kind says what went wrong in terms of what the administrator can do.
type Kind int

const (
	KindUnknown        Kind = iota
	KindNoCredentials       // the credential chain found nothing
	KindBadCredentials      // AWS refused the credentials (unknown key, bad signature, expired)
	KindAccessDenied        // IAM does not allow the action
	KindUserNotFound        // no such user in the pool
	KindNoTOTP              // the user has no authenticator to reset
	KindPoolNotFound        // no such pool
	KindThrottled           // TooManyRequestsException outlasted the retries
	KindNotImplemented      // the endpoint does not know the operation
	KindUnreachable         // network: no answer, DNS, TLS, timeout
	KindNotConfirmed        // the administrator did not confirm, or could not be asked
	KindCanceled            // stopped (ctrl+c)
	KindService             // Cognito answered with another error
	KindUsage               // a flag's value the command does not take
)

// Error is the one error type this package returns. Message is one sentence
// for a person, in English, as logs and Error() carry it; In says the same
// in another language. It never carries a secret. Action is the IAM action
// of the call that failed ("cognito-idp:AdminGetUser"), when a call failed.
type Error struct {
	Kind    Kind
	Action  string
	Message string
	Err     error
	text    text // Message, in any language
}

// newError is an Error of kind saying t.
func newError(kind Kind, t text) *Error { return &Error{Kind: kind, Message: t.english(), text: t} }

// say sets what e says.
func (e *Error) say(t text) { e.Message, e.text = t.english(), t }

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// reason is what e says, to be said inside another sentence.
func (e *Error) reason() any {
	if e.text.key == "" && e.text.join == nil {
		return e.Message
	}
	return e.text
}

// In is the error as a whole sentence in l's language, for a person.
func (e *Error) In(l *i18n.Localizer) string {
	if e.text.key == "" && e.text.join == nil {
		return whole(l, e.Message)
	}
	return whole(l, e.text.In(l))
}

// KindOf returns the Kind of err, KindUnknown when it is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// iamAction is the IAM action of a Cognito operation.
func iamAction(op string) string { return "cognito-idp:" + op }

// fromAWS turns an SDK error from operation op into an *Error whose message
// a person can act on. Cognito's own message is shown only for errors this
// tool does not know; admin operations' messages carry no secrets.
func fromAWS(op string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Action: iamAction(op), Err: err}
	var api smithy.APIError
	var resp *smithyhttp.ResponseError
	var netErr net.Error
	var kind Kind
	var t text
	switch {
	case errors.Is(err, context.Canceled):
		kind, t = KindCanceled, say(i18n.AdminErrStoppedBefore, "Operation", op)
	case errors.Is(err, context.DeadlineExceeded):
		kind, t = KindUnreachable, say(i18n.AdminErrTimeout, "Operation", op)
	case errors.As(err, &api):
		kind, t = fromCode(op, api.ErrorCode(), api.ErrorMessage())
	case errors.As(err, &resp) && resp.HTTPStatusCode() >= 500:
		// An answer that is not Cognito's JSON: moto's HTML page for an
		// operation it lacks, or a proxy's error page.
		kind, t = KindNotImplemented, notImplemented(op, resp.HTTPStatusCode())
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound:
		kind, t = KindNotImplemented, notImplemented(op, resp.HTTPStatusCode())
	case errors.As(err, &netErr):
		kind, t = KindUnreachable, say(i18n.AdminErrUnreachable, "Operation", op)
	default:
		kind, t = KindService, say(i18n.AdminErrUnreadable, "Operation", op)
	}
	e.Kind = kind
	e.say(t)
	return e
}

func notImplemented(op string, status int) text {
	return say(i18n.AdminErrNotImplementedHTTP, "Operation", op, "Status", strconv.Itoa(status))
}

// fromCode is what Cognito's exception code means to the administrator.
// Cognito's own message (msg) is quoted untranslated.
func fromCode(op, code, msg string) (Kind, text) {
	switch code {
	case "AccessDeniedException", "AccessDenied", "NotAuthorizedException":
		if code == "NotAuthorizedException" && !isIAMDenial(msg) {
			break
		}
		return KindAccessDenied, say(i18n.AdminErrAccessDenied, "Action", iamAction(op))
	case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
		"ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignatureException":
		return KindBadCredentials, say(i18n.AdminErrBadCredentials, "Code", code)
	case "UserNotFoundException":
		return KindUserNotFound, say(i18n.AdminErrUserNotFound)
	case "ResourceNotFoundException":
		return KindPoolNotFound, say(i18n.AdminErrPoolNotFound)
	case "TooManyRequestsException", "ThrottlingException", "LimitExceededException":
		return KindThrottled, say(i18n.AdminErrThrottled, "Operation", op)
	case "UnknownOperationException", "InvalidAction":
		return KindNotImplemented, say(i18n.AdminErrNotImplemented, "Operation", op)
	case "SoftwareTokenMFANotFoundException":
		return KindNoTOTP, say(i18n.AdminErrNoTOTP)
	}
	// Cognito's words, or those of whatever answers at --endpoint-url: no
	// escape sequence or control character of theirs reaches a terminal.
	code, msg = safe(code), safe(msg)
	if msg == "" {
		msg = code
	}
	return KindService, say(i18n.AdminErrRefused, "Operation", op, "Code", code, "Cognito", msg)
}

// isIAMDenial tells an IAM refusal ("... is not authorized to perform:
// cognito-idp:...") from Cognito's own NotAuthorizedException.
func isIAMDenial(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "not authorized to perform")
}
