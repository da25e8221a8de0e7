package cognitolocal

import (
	"fmt"
	"net/http"
	"strings"
)

// apiError is an error as Cognito reports it: an exception name (sent as
// "__type" and in the x-amzn-ErrorType header), a message and an HTTP status.
// Messages never carry secret values (passwords, codes, sessions, tokens).
type apiError struct {
	Type    string
	Message string
	Status  int
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func newErr(typ, msg string) *apiError {
	return &apiError{Type: typ, Message: msg, Status: http.StatusBadRequest}
}

// Exception names used by this package, as Cognito spells them.
const (
	excCodeMismatch          = "CodeMismatchException"
	excEnableSoftwareToken   = "EnableSoftwareTokenMFAException"
	excIncompleteSignature   = "IncompleteSignatureException"
	excInternal              = "InternalErrorException"
	excInvalidParameter      = "InvalidParameterException"
	excInvalidPassword       = "InvalidPasswordException"
	excMissingAuthToken      = "MissingAuthenticationTokenException"
	excNotAuthorized         = "NotAuthorizedException"
	excPasswordResetRequired = "PasswordResetRequiredException"
	excUserNotConfirmed      = "UserNotConfirmedException"
	excResourceNotFound      = "ResourceNotFoundException"
	excSerialization         = "SerializationException"
	excSoftwareTokenNotFound = "SoftwareTokenMFANotFoundException"
	excUnknownOperation      = "UnknownOperationException"
	excUserNotFound          = "UserNotFoundException"
	excUsernameExists        = "UsernameExistsException"
)

// Messages that real Cognito sends and that clients branch on; keep them exact.
const (
	msgIncorrectCredentials = "Incorrect username or password."
	msgUserNotFound         = "User does not exist."
	msgUserDisabled         = "User is disabled."
	msgSessionInvalid       = "Invalid session for the user."
	msgSessionExpired       = "Invalid session for the user, session is expired."
	msgSessionUsed          = "Invalid session for the user, session can only be used once."
	msgInvalidAccessToken   = "Invalid Access Token"
	msgAccessTokenExpired   = "Access Token has expired"
	msgAccessTokenRevoked   = "Access Token has been revoked"
	msgInvalidRefreshToken  = "Invalid Refresh Token"
	msgRefreshTokenRevoked  = "Refresh Token has been revoked"
	msgRefreshTokenExpired  = "Refresh Token has expired"
	msgVerifyCodeMismatch   = "Code mismatch and fail enable Software Token MFA"
	msgChallengeCodeInvalid = "Invalid code received for user"
	msgPoolTOTPDisabled     = "Software Token MFA has not been enabled by the userPool."
	msgTOTPNotSetUp         = "User has not set up software token mfa"
	msgTOTPNotAssociated    = "Software Token MFA has not been associated with the user."
	msgPasswordPolicyPrefix = "Password does not conform to policy: "
)

func errInternal() *apiError {
	return &apiError{Type: excInternal, Message: "Internal server error.", Status: http.StatusInternalServerError}
}

func errInvalidParameter(msg string) *apiError { return newErr(excInvalidParameter, msg) }

func errNotAuthorized(msg string) *apiError { return newErr(excNotAuthorized, msg) }

func errPoolNotFound(poolID string) *apiError {
	return newErr(excResourceNotFound, fmt.Sprintf("User pool %s does not exist.", poolID))
}

func errClientNotFound(clientID string) *apiError {
	return newErr(excResourceNotFound, fmt.Sprintf("User pool client %s does not exist.", clientID))
}

func errMissingParameter(name string) *apiError {
	return errInvalidParameter("Missing required parameter " + name)
}

// validation gathers constraint violations of request members and reports them
// the way AWS's request validation does:
//
//	1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+
//
// Values are never echoed except for enum members (shown = true), whose values
// are not secret; they are cut short and only printed when they are plain text.
type validation struct{ problems []string }

func (v *validation) add(field, constraint string) {
	v.problems = append(v.problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, constraint))
}

func (v *validation) addNull(field string) {
	v.problems = append(v.problems, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
}

func (v *validation) addEnum(field, value string, allowed []string) {
	constraint := "Member must satisfy enum value set: [" + strings.Join(allowed, ", ") + "]"
	if printable(value) && len(value) <= 64 {
		v.problems = append(v.problems, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint))
		return
	}
	v.add(field, constraint)
}

func (v *validation) err() *apiError {
	switch len(v.problems) {
	case 0:
		return nil
	case 1:
		return errInvalidParameter("1 validation error detected: " + v.problems[0])
	default:
		return errInvalidParameter(fmt.Sprintf("%d validation errors detected: %s", len(v.problems), strings.Join(v.problems, "; ")))
	}
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\'' {
			return false
		}
	}
	return true
}
