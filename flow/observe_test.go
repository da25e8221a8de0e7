package flow_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/flow"
)

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu     sync.Mutex
	calls  []flow.Call
	clocks []flow.Clock
}

func (r *recorder) Called(_ context.Context, c flow.Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

func (r *recorder) Clocked(_ context.Context, c flow.Clock) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clocks = append(r.clocks, c)
}

// Every observer given is told of every call, with a failure's Kind and
// Cognito's exception name as typed fields (what serve's metrics count), and
// of a refused code's diagnosis; the debug log, one observer among them,
// still writes its lines.
func TestObserversAreToldOfCallsAndRefusedCodes(t *testing.T) {
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{})
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	var first, second recorder
	var log strings.Builder
	c := flow.New(api, fp, flow.WithClock(p.clock.Now), flow.WithObserver(&first),
		flow.WithDebugLog(slog.New(slog.NewTextHandler(&log, nil))), flow.WithObserver(&second))
	p.user("olga", "Temp-Passw0rd!", false)
	ctx := context.Background()
	if _, err := c.SignIn(ctx, "olga", "Wrong-Passw0rd!"); flow.KindOf(err) != flow.KindBadCredentials {
		t.Fatalf("a wrong password: %v", err)
	}
	step, err := c.SignIn(ctx, "olga", "Temp-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if step, err = c.SetNewPassword(ctx, step, "N3w-Passw0rd!", nil); err != nil {
		t.Fatal(err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, p.wrongCode(setup.Secret)); flow.KindOf(err) != flow.KindWrongCode {
		t.Fatalf("a wrong code: %v", err)
	}

	for name, r := range map[string]*recorder{"first": &first, "second": &second} {
		if len(r.calls) != 5 {
			t.Errorf("%s observer: told of %d calls, want 5: %+v", name, len(r.calls), r.calls)
			continue
		}
		if c := r.calls[0]; c.Op != "InitiateAuth" || !c.Failed || c.Kind != flow.KindBadCredentials || c.Exception != "NotAuthorizedException" {
			t.Errorf("%s observer: the wrong password was told as %+v", name, c)
		}
		if c := r.calls[1]; c.Failed || c.Answered != string(flow.ChallengeNewPassword) || c.Sent == "" {
			t.Errorf("%s observer: the sign-in was told as %+v", name, c)
		}
		if c := r.calls[4]; c.Op != "VerifySoftwareToken" || !c.Failed || c.Kind != flow.KindWrongCode || c.Sent != "session" {
			t.Errorf("%s observer: the wrong code was told as %+v", name, c)
		}
		if len(r.clocks) != 1 || !r.clocks[0].Refused || r.clocks[0].Diagnosis.Cause == flow.CauseNone {
			t.Errorf("%s observer: the refused code was told as %+v", name, r.clocks)
		}
	}
	for _, want := range []string{"kind=BadCredentials", "kind=WrongCode", "code refused"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("debug log lacks %q:\n%s", want, log.String())
		}
	}
}
