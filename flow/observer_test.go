package flow_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

// recorder is an Observer that keeps what it is told.
type recorder struct {
	calls []flow.Call
	codes []flow.CodeCheck
}

func (r *recorder) CognitoCall(_ context.Context, c flow.Call)      { r.calls = append(r.calls, c) }
func (r *recorder) CodeChecked(_ context.Context, c flow.CodeCheck) { r.codes = append(r.codes, c) }

// TestObserversAreToldOfCallsAndCodes: an Observer is told of each Cognito
// call as typed fields (the operation, what it sent and got, whether and
// how it failed) and of each code diagnosed (refused or accepted off-step,
// its cause and the clocks' offsets); the debug log, another observer of
// the same client, writes the same events in the words below, which
// people's log searches depend on.
func TestObserversAreToldOfCallsAndCodes(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{})
	ctx := context.Background()
	api, err := flow.NewAPI(ctx, fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	rec := &recorder{}
	computer := cognitolocal.NewManualClock(p.clock.Now().Add(-computerBehind))
	c := flow.New(api, fp, flow.WithClock(computer.Now), flow.WithDebugLog(slog.New(slog.NewTextHandler(&log, nil))), flow.WithObserver(rec))
	p.user("vera", "Passw0rd!x", true)
	setup, err := c.BeginTOTP(ctx, signInToSetup(t, p, c, "vera", "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	s := skewed{pool: p}
	if _, err := c.ConfirmTOTP(ctx, setup, s.codeAt(t, setup.Secret, -2*time.Minute)); flow.KindOf(err) != flow.KindWrongCode {
		t.Fatalf("a code 2 minutes old: %v, want a WrongCode", err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, s.codeAt(t, setup.Secret, -30*time.Second)); err != nil {
		t.Fatal(err)
	}

	var ops []string
	for i, call := range rec.calls {
		ops = append(ops, call.Operation)
		if call.Took <= 0 {
			t.Errorf("call %d (%s) took %v", i, call.Operation, call.Took)
		}
		failed := i == 2
		if call.Failed != failed {
			t.Errorf("call %d (%s) failed %v, want %v", i, call.Operation, call.Failed, failed)
		}
	}
	if want := []string{"InitiateAuth", "AssociateSoftwareToken", "VerifySoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge"}; !slices.Equal(ops, want) {
		t.Fatalf("calls %v, want %v", ops, want)
	}
	first, refused := rec.calls[0], rec.calls[2]
	if first.Sent != "USER_PASSWORD_AUTH" || first.Answered != "MFA_SETUP" || first.Kind != flow.KindUnknown || first.Exception != "" {
		t.Errorf("sign-in call %+v", first)
	}
	if refused.Sent != "session" || refused.Exception != "EnableSoftwareTokenMFAException" || refused.Kind != flow.KindWrongCode {
		t.Errorf("refused code's call %+v", refused)
	}
	if len(rec.codes) != 2 {
		t.Fatalf("codes checked %+v, want the refused one and the one accepted a step off", rec.codes)
	}
	if r := rec.codes[0]; !r.Refused || r.Cause != flow.CauseClockBehind || r.PhoneOffset != -2*time.Minute {
		t.Errorf("refused code %+v", r)
	}
	if a := rec.codes[1]; a.Refused || a.Cause != flow.CauseNone || a.PhoneOffset != -30*time.Second {
		t.Errorf("accepted code %+v", a)
	}
	for _, check := range rec.codes {
		if (check.CognitoOffset - computerBehind).Abs() > time.Second {
			t.Errorf("Cognito's offset %v, want about %v", check.CognitoOffset, computerBehind)
		}
	}

	got := regexp.MustCompile(`(time|took|cognito_offset)=\S+`).ReplaceAllString(log.String(), "$1=X")
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
