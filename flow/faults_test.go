package flow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

// Every exception Cognito's user-pool API names for the calls this package
// makes reaches the person as the Kind the UI acts on and a sentence that
// says what to do. cognitolocal
// produces those it cannot reach naturally by fault injection.
func TestEveryExceptionMapsToAKindAndASentence(t *testing.T) {
	cases := []struct {
		exception, message string
		kind               flow.Kind
		says               string
	}{
		{"TooManyRequestsException", "Too many requests", flow.KindThrottled, "Wait a moment"},
		{"InternalErrorException", "Internal error", flow.KindServiceError, "Try again"},
		{"ForbiddenException", "Request blocked by AWS WAF", flow.KindForbidden, "administrator"},
		{"ConcurrentModificationException", "Concurrent modification", flow.KindConcurrent, "Try again"},
		{"ResourceNotFoundException", "User pool client x does not exist.", flow.KindMisconfigured, "--client-id"},
		{"PasswordResetRequiredException", "Password reset required for the user", flow.KindAccountState, "reset"},
		{"UserNotConfirmedException", "User is not confirmed.", flow.KindAccountState, "Confirm"},
		{"UserNotFoundException", "User does not exist.", flow.KindUserNotFound, "username"},
		{"ExpiredCodeException", "Invalid code provided, please request a code again.", flow.KindExpiredCode, "new one"},
		{"SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool.", flow.KindTOTPNotEnabled, "administrator"},
		{"PasswordHistoryPolicyViolationException", "Password has previously been used.", flow.KindPasswordPolicy, "rules"},
		{"NotAuthorizedException", "Password attempts exceeded", flow.KindLockedOut, "Wait"},
		{"NotAuthorizedException", "User is disabled.", flow.KindUserDisabled, "administrator"},
	}
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	for _, tc := range cases {
		t.Run(tc.exception, func(t *testing.T) {
			d.local.InjectFault(cognitolocal.Fault{Operation: "InitiateAuth", Exception: tc.exception, Message: tc.message})
			defer d.local.ClearFaults()
			_, err := c.SignInWith(context.Background(), flow.AuthPassword, "demo", d.demo.TemporaryPassword)
			fe := wantKind(t, err, tc.kind, d.demo.TemporaryPassword)
			if fe.Code != tc.exception || !strings.Contains(fe.Message, tc.says) {
				t.Fatalf("code %q message %q, want %s and %q", fe.Code, fe.Message, tc.exception, tc.says)
			}
		})
	}
}

func TestOneThrottleIsAbsorbedByTheRetryer(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	d.local.InjectFault(cognitolocal.Fault{Operation: "InitiateAuth", Times: 1, Exception: "TooManyRequestsException", Message: "Rate exceeded"})
	step, err := c.SignInWith(context.Background(), flow.AuthPassword, "demo", d.demo.TemporaryPassword)
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("one throttle should be retried away: %q %v", step.Challenge, err)
	}
}

func TestDroppedConnectionIsUnreachableAndRetryable(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	d.local.InjectFault(cognitolocal.Fault{Operation: "InitiateAuth", Drop: true})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := c.SignInWith(ctx, flow.AuthPassword, "demo", d.demo.TemporaryPassword)
	if fe := wantKind(t, err, flow.KindUnreachable, d.demo.TemporaryPassword); !fe.Kind.Retryable() {
		t.Fatal("a dropped connection is worth a retry")
	}
}

func TestSlowAnswerHitsTheDeadline(t *testing.T) {
	d := newDemoPool(t)
	c := d.client(t, d.demo.UserPoolID, d.demo.ClientID)
	d.local.InjectFault(cognitolocal.Fault{Operation: "InitiateAuth", Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.SignInWith(ctx, flow.AuthPassword, "demo", d.demo.TemporaryPassword)
	if fe := wantKind(t, err, flow.KindUnreachable); !strings.Contains(fe.Message, "in time") {
		t.Fatalf("message %q", fe.Message)
	}
}
