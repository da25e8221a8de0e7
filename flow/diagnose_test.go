package flow_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

// callCounter counts the requests a server receives, by X-Amz-Target.
type callCounter struct {
	next http.Handler
	mu   sync.Mutex
	n    map[string]int
}

func (c *callCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndex(op, ".")+1:]
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[op]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *callCounter) count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[op]
}

// skewed is a pool whose Cognito clock is 7 minutes ahead of this
// computer's (the flow Client's clock), and a user at MFA_SETUP with a
// secret: codes are made by Cognito's clock, so a diagnosis by this
// computer's clock would be 7 minutes wrong.
type skewed struct {
	*pool
	c     *flow.Client
	setup flow.Setup
	log   *bytes.Buffer
}

const computerBehind = 7 * time.Minute

func newSkewed(t *testing.T, name string) skewed {
	t.Helper()
	p := newPool(t, types.UserPoolMfaTypeOn)
	_, fp := p.client(clientOpts{})
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: p.url})
	if err != nil {
		t.Fatal(err)
	}
	log := &bytes.Buffer{}
	computer := cognitolocal.NewManualClock(p.clock.Now().Add(-computerBehind))
	c := flow.New(api, fp, flow.WithClock(computer.Now), flow.WithDebugLog(slog.New(slog.NewTextHandler(log, nil))))
	p.user(name, "Passw0rd!x", true)
	setup, err := c.BeginTOTP(context.Background(), signInToSetup(t, p, c, name, "Passw0rd!x"))
	if err != nil {
		t.Fatal(err)
	}
	return skewed{pool: p, c: c, setup: setup, log: log}
}

// codeAt is the secret's code at Cognito's time moved by d.
func (s skewed) codeAt(t *testing.T, secret string, d time.Duration) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, s.clock.Now().Add(d))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestCognitoOffsetComesFromTheLatestAnswer(t *testing.T) {
	s := newSkewed(t, "oona")
	offset, ok := s.c.CognitoOffset()
	if !ok || (offset-computerBehind).Abs() > time.Second {
		t.Fatalf("offset %v (%v), want about %v", offset, ok, computerBehind)
	}
	s.clock.Advance(-2 * time.Minute) // Cognito's clock set back: the next answer says so
	if _, err := s.c.ConfirmTOTP(context.Background(), s.setup, "000000"); err == nil {
		t.Fatal("000000 was accepted")
	}
	offset, _ = s.c.CognitoOffset()
	if (offset - (computerBehind - 2*time.Minute)).Abs() > time.Second {
		t.Fatalf("offset after a refusal %v, want about %v", offset, computerBehind-2*time.Minute)
	}
	if got, want := s.c.CognitoNow(), s.clock.Now(); got.Sub(want).Abs() > time.Second {
		t.Fatalf("CognitoNow %v, want about %v", got, want)
	}
}

// Each refused code gets its cause, found by Cognito's clock, and the
// diagnosis sends nothing more to Cognito: one VerifySoftwareToken per code.
func TestRefusedCodesAreDiagnosed(t *testing.T) {
	other := "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	for _, c := range []struct {
		name    string
		code    func(s skewed) string
		replace bool
		cause   flow.Cause
		says    string
		offset  time.Duration
	}{
		{"a code 2 minutes old", func(s skewed) string { return s.codeAt(t, s.setup.Secret, -2*time.Minute) }, false,
			flow.CauseClockBehind, "Your phone's clock is about 2 minutes behind. Turn on automatic date and time on the phone, then type the next code.", -2 * time.Minute},
		{"a code 3 minutes ahead", func(s skewed) string { return s.codeAt(t, s.setup.Secret, 3*time.Minute) }, false,
			flow.CauseClockAhead, "Your phone's clock is about 3 minutes ahead. Turn on automatic date and time on the phone, then type the next code.", 3 * time.Minute},
		{"a code a minute old", func(s skewed) string { return s.codeAt(t, s.setup.Secret, -time.Minute) }, false,
			flow.CauseClockBehind, "Your phone's clock is about 60 seconds behind.", -time.Minute},
		{"a code of another secret", func(s skewed) string { return s.codeAt(t, other, 0) }, false,
			flow.CauseOtherEntry, "That code comes from a different entry in your authenticator app. Use the entry Acme Test (ruth), added just now.", 0},
		{"a code of the old entry, replacing", func(s skewed) string { return s.codeAt(t, other, 0) }, true,
			flow.CauseOtherEntry, "added just now; the old entry's codes no longer count here.", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSkewed(t, "ruth")
			s.setup.Replaces = c.replace
			code := c.code(s)
			before := s.calls.count("VerifySoftwareToken")
			_, err := s.c.ConfirmTOTP(context.Background(), s.setup, code)
			fe := wantKind(t, err, flow.KindWrongCode, code, s.setup.Secret)
			if n := s.calls.count("VerifySoftwareToken") - before; n != 1 {
				t.Errorf("%d VerifySoftwareToken calls for one code, want 1", n)
			}
			if fe.Cause != c.cause || !strings.Contains(fe.Message, c.says) {
				t.Errorf("cause %q, %q; want %q, %q", fe.Cause, fe.Message, c.cause, c.says)
			}
			if fe.PhoneOffset != c.offset {
				t.Errorf("phone offset %v, want %v", fe.PhoneOffset, c.offset)
			}
			if fe.Code != "EnableSoftwareTokenMFAException" {
				t.Errorf("Cognito's exception %q lost", fe.Code)
			}
			log := s.log.String()
			if !strings.Contains(log, "cause="+string(c.cause)) || !strings.Contains(log, "phone_offset=") || !strings.Contains(log, "cognito_offset=7m") {
				t.Errorf("debug log lacks the cause and offsets:\n%s", log)
			}
			if strings.Contains(log, code) || strings.Contains(log, s.setup.Secret) {
				t.Error("debug log contains the code or the secret")
			}
		})
	}
}

// The code that verified the app, typed again at the test sign-in, is right
// but refused: reused. A code one step old is accepted, and says how far
// the phone is off.
func TestReusedCodeAndAcceptedOldStep(t *testing.T) {
	s := newSkewed(t, "sara")
	ctx := context.Background()
	code := s.codeAt(t, s.setup.Secret, -30*time.Second)
	done, err := s.c.ConfirmTOTP(ctx, s.setup, code)
	if err != nil {
		t.Fatal(err)
	}
	if n, minutes := flow.Rounded(done.PhoneOffset); done.PhoneOffset >= 0 || minutes || n != 30 {
		t.Errorf("accepted a code one step old: phone offset %v, want about -30s", done.PhoneOffset)
	}
	if !strings.Contains(s.log.String(), "code accepted from a step next to Cognito's") {
		t.Errorf("debug log lacks the accepted code's offset:\n%s", s.log.String())
	}

	step, err := s.c.SignIn(ctx, "sara", "Passw0rd!x")
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("test sign-in: %q, %v", step.Challenge, err)
	}
	before := s.calls.count("RespondToAuthChallenge")
	_, err = s.c.AnswerNewTOTP(ctx, step, s.setup, code)
	fe := wantKind(t, err, flow.KindWrongCode, code, s.setup.Secret)
	if fe.Cause != flow.CauseReused || !strings.Contains(fe.Message, "most likely it was used once already") {
		t.Errorf("the same code twice: cause %q, %q", fe.Cause, fe.Message)
	}
	if n := s.calls.count("RespondToAuthChallenge") - before; n != 1 {
		t.Errorf("%d RespondToAuthChallenge calls for one code, want 1", n)
	}
	if fe.Code != "CodeMismatchException" {
		t.Errorf("Cognito's exception %q lost", fe.Code)
	}

	s.clock.Advance(30 * time.Second)
	signedIn, err := s.c.AnswerNewTOTP(ctx, step, s.setup, s.codeAt(t, s.setup.Secret, 30*time.Second))
	if err != nil || !signedIn.SignedIn() {
		t.Fatalf("a code one step ahead: %v", err)
	}
	if signedIn.PhoneOffset != 30*time.Second {
		t.Errorf("accepted a code one step ahead: phone offset %v, want 30s", signedIn.PhoneOffset)
	}
}

func TestRoundedOffsets(t *testing.T) {
	for _, c := range []struct {
		d       time.Duration
		n       int
		minutes bool
	}{
		{-2 * time.Minute, 2, true}, {90 * time.Second, 2, true}, {89 * time.Second, 90, false},
		{44 * time.Second, 40, false}, {-3 * time.Second, 10, false}, {-10*time.Minute + 5*time.Second, 10, true},
	} {
		if n, m := flow.Rounded(c.d); n != c.n || m != c.minutes {
			t.Errorf("Rounded(%v) = %d, %v; want %d, %v", c.d, n, m, c.n, c.minutes)
		}
	}
}

// The code that verified the app, typed again a minute later at the test
// sign-in, is out of Cognito's window by then, yet it is the code already
// used, not a slow phone.
func TestSpentCodeIsReusedLater(t *testing.T) {
	s := newSkewed(t, "tess")
	ctx := context.Background()
	code := s.codeAt(t, s.setup.Secret, 0)
	if _, err := s.c.ConfirmTOTP(ctx, s.setup, code); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(time.Minute)
	step, err := s.c.SignIn(ctx, "tess", "Passw0rd!x")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.c.AnswerNewTOTP(ctx, step, s.setup, code)
	if fe := wantKind(t, err, flow.KindWrongCode, code, s.setup.Secret); fe.Cause != flow.CauseReused {
		t.Errorf("the spent code a minute later: cause %q, %q", fe.Cause, fe.Message)
	}
}
