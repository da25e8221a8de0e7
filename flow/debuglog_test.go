package flow_test

import (
	"context"
	"regexp"
	"testing"
	"time"
)

// The debug log's lines are what support reads and searches, so their
// words and fields are pinned whole (times, durations and the measured
// offset of Cognito's clock aside): a call, a failed call with its
// exception and Kind, a refused code with its cause, and a code accepted
// from the step next to Cognito's.
func TestDebugLogLines(t *testing.T) {
	s := newSkewed(t, "vera")
	ctx := context.Background()
	if _, err := s.c.ConfirmTOTP(ctx, s.setup, s.codeAt(t, s.setup.Secret, -2*time.Minute)); err == nil {
		t.Fatal("a code 2 minutes old was accepted")
	}
	if _, err := s.c.ConfirmTOTP(ctx, s.setup, s.codeAt(t, s.setup.Secret, -30*time.Second)); err != nil {
		t.Fatal(err)
	}
	got := regexp.MustCompile(`(time|took|cognito_offset)=\S+`).ReplaceAllString(s.log.String(), "$1=X")
	want := `time=X level=INFO msg="cognito call" op=InitiateAuth took=X sent=USER_PASSWORD_AUTH challenge=MFA_SETUP
time=X level=INFO msg="cognito call" op=AssociateSoftwareToken took=X sent=session
time=X level=WARN msg="cognito call failed" op=VerifySoftwareToken took=X sent=session exception=EnableSoftwareTokenMFAException kind=WrongCode
time=X level=WARN msg="code refused" cause=clock_behind phone_offset=-2m0s cognito_offset=X
time=X level=INFO msg="cognito call" op=VerifySoftwareToken took=X sent=session challenge=SUCCESS
time=X level=WARN msg="code accepted from a step next to Cognito's" phone_offset=-30s cognito_offset=X
time=X level=INFO msg="cognito call" op=RespondToAuthChallenge took=X sent=MFA_SETUP
`
	if got != want {
		t.Errorf("debug log:\n%s\nwant:\n%s", got, want)
	}
}
