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
)

// Error is the one error type this package returns. Its text is one sentence
// for a person; it never carries a secret. Action is the IAM action of the
// call that failed ("cognito-idp:AdminGetUser"), when a call failed.
type Error struct {
	Kind    Kind
	Action  string
	Message string
	Err     error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

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
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind, e.Message = KindCanceled, "stopped before "+op+" finished"
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Message = KindUnreachable, "Cognito did not answer "+op+" in time; check the network and try again"
	case errors.As(err, &api):
		e.Kind, e.Message = fromCode(op, api.ErrorCode(), api.ErrorMessage())
	case errors.As(err, &resp) && resp.HTTPStatusCode() >= 500:
		// An answer that is not Cognito's JSON: moto's HTML page for an
		// operation it lacks, or a proxy's error page.
		e.Kind, e.Message = KindNotImplemented, notImplemented(op, resp.HTTPStatusCode())
	case errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound:
		e.Kind, e.Message = KindNotImplemented, notImplemented(op, resp.HTTPStatusCode())
	case errors.As(err, &netErr):
		e.Kind, e.Message = KindUnreachable, "could not reach Cognito for "+op+"; check the network, the region and --endpoint-url"
	default:
		e.Kind, e.Message = KindService, "Cognito's answer to "+op+" could not be read; check --endpoint-url"
	}
	return e
}

func notImplemented(op string, status int) string {
	return "this endpoint does not implement " + op + " (it answered HTTP " + strconv.Itoa(status) + ", not Cognito's JSON); real Amazon Cognito has it"
}

func fromCode(op, code, msg string) (Kind, string) {
	switch code {
	case "AccessDeniedException", "AccessDenied", "NotAuthorizedException":
		if code == "NotAuthorizedException" && !isIAMDenial(msg) {
			break
		}
		return KindAccessDenied, "your AWS credentials are not allowed " + iamAction(op) + ": add that action on this pool to their IAM policy"
	case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
		"ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationTokenException", "IncompleteSignatureException":
		return KindBadCredentials, "AWS refused the credentials (" + code + "): check the access key, or sign in again (aws sso login) if they have expired"
	case "UserNotFoundException":
		return KindUserNotFound, "there is no such user in this pool; usernames are case-sensitive, and an email alias is not a username"
	case "ResourceNotFoundException":
		return KindPoolNotFound, "Cognito has no such user pool in this region; check --user-pool-id and --region"
	case "TooManyRequestsException", "ThrottlingException", "LimitExceededException":
		return KindThrottled, "Cognito kept refusing " + op + " as too many requests after every retry; the quota is shared by the whole account and region, so wait a minute or lower --rate"
	case "UnknownOperationException", "InvalidAction":
		return KindNotImplemented, "this endpoint does not implement " + op + "; real Amazon Cognito has it"
	case "SoftwareTokenMFANotFoundException":
		return KindNoTOTP, "the user has no authenticator app (TOTP) to reset; nothing was changed"
	}
	if msg == "" {
		msg = code
	}
	return KindService, "Cognito refused " + op + " (" + code + "): " + msg
}

// isIAMDenial tells an IAM refusal ("... is not authorized to perform:
// cognito-idp:...") from Cognito's own NotAuthorizedException.
func isIAMDenial(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "not authorized to perform")
}
