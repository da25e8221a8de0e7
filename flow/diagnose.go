package flow

import (
	"context"
	"crypto/sha256"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Cause is why Cognito refused a code, as far as the secret just shown can
// tell: the wizard holds the secret, so it can find which 30 s step, if
// any, the typed code belongs to.
type Cause string

const (
	CauseNone        Cause = ""             // not diagnosed (not a refused authenticator code)
	CauseClockBehind Cause = "clock_behind" // a code of a step before Cognito's tolerance: the phone's clock is slow
	CauseClockAhead  Cause = "clock_ahead"  // a code of a step after it: the phone's clock is fast
	CauseReused      Cause = "reused"       // a right code, refused anyway: most likely used once already
	CauseOtherEntry  Cause = "other_entry"  // matches no step near Cognito's time: another entry in the app
)

// Causes is every Cause a refused code can have, in a fixed order.
var Causes = []Cause{CauseClockBehind, CauseClockAhead, CauseReused, CauseOtherEntry}

const (
	stepLength = 30 * time.Second
	// searchSteps is how far from Cognito's step a code is looked for: ±10
	// minutes, which covers a phone's clock set by hand or a wrong time zone's
	// minutes, and no more, so a code of another entry is rarely taken for a
	// far step of this one (41 steps: about 4 in 100 000).
	searchSteps = 20
	// toleranceSteps is the steps either side of its own that Cognito accepts.
	toleranceSteps = 1
)

var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// codeStep finds the step, counted from the one at `at`, whose code for
// secret is code, looking nearest first; ok is false when none within
// searchSteps matches.
func codeStep(secret, code string, at time.Time) (steps int, ok bool) {
	for d := 0; d <= searchSteps; d++ {
		for _, s := range []int{-d, d} {
			if want, err := totp.GenerateCodeCustom(secret, at.Add(time.Duration(s)*stepLength), totpOpts); err == nil && want == code {
				return s, true
			}
			if d == 0 {
				break
			}
		}
	}
	return 0, false
}

// phoneOffset estimates the authenticator's clock minus Cognito's from the
// step a code belongs to: 30 s per step away from Cognito's, to within 30 s.
func phoneOffset(steps int) time.Duration {
	return time.Duration(steps) * stepLength
}

// Diagnosis is what the typed code says about the authenticator.
type Diagnosis struct {
	Cause Cause
	// PhoneOffset is the authenticator's clock minus Cognito's, estimated to
	// within 30 s from the step the code belongs to; zero when it matches none.
	PhoneOffset time.Duration
}

// spentCode remembers, as a hash, the latest code Cognito accepted for a
// secret: typed again, it is reused whatever step Cognito's clock is at.
type spentCode struct {
	mu   sync.Mutex
	hash [sha256.Size]byte
}

func codeHash(secret, code string) [sha256.Size]byte {
	return sha256.Sum256([]byte(secret + ":" + code))
}

func (s *spentCode) set(secret, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hash = codeHash(secret, code)
}

func (s *spentCode) is(secret, code string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hash == codeHash(secret, code)
}

// Diagnose tells why Cognito, at its time `at`, refused code for secret.
func Diagnose(secret, code string, at time.Time) Diagnosis {
	steps, ok := codeStep(secret, code, at)
	switch {
	case !ok:
		return Diagnosis{Cause: CauseOtherEntry}
	case steps < -toleranceSteps:
		return Diagnosis{Cause: CauseClockBehind, PhoneOffset: phoneOffset(steps)}
	case steps > toleranceSteps:
		return Diagnosis{Cause: CauseClockAhead, PhoneOffset: phoneOffset(steps)}
	}
	return Diagnosis{Cause: CauseReused, PhoneOffset: phoneOffset(steps)}
}

// AcceptedOffset is, for a code Cognito accepted at its time `at`, the
// authenticator's estimated clock offset when the code belonged to a step
// next to Cognito's (the phone is 30 s or more off); zero when it was
// Cognito's own step.
func AcceptedOffset(secret, code string, at time.Time) time.Duration {
	steps, ok := codeStep(secret, code, at)
	if !ok || steps == 0 || steps < -toleranceSteps || steps > toleranceSteps {
		return 0
	}
	return phoneOffset(steps)
}

// Rounded is an offset as a person is told it: whole minutes from 90 s on,
// else seconds to the nearest 10 (at least 10). minutes says which.
func Rounded(offset time.Duration) (n int, minutes bool) {
	a := offset.Abs()
	if a >= 90*time.Second {
		return max(2, int(math.Round(a.Minutes()))), true
	}
	return max(10, int(math.Round(a.Seconds()/10))*10), false
}

// refusedCode replaces a wrong-code error's sentence by the diagnosis of
// code against setup's secret at Cognito's time, and logs the cause and the
// offsets (never the code or the secret). Other errors pass unchanged.
func (c *Client) refusedCode(ctx context.Context, err error, setup Setup, code string) error {
	fe, ok := err.(*Error)
	if !ok || fe.Kind != KindWrongCode || setup.Secret == "" || fe.Key == i18n.ErrCodeStatus {
		return err
	}
	d := Diagnose(setup.Secret, code, c.CognitoNow())
	if c.spent.is(setup.Secret, code) {
		d.Cause = CauseReused // the very code accepted before, now out of Cognito's window or not
	}
	fe.Cause, fe.PhoneOffset = d.Cause, d.PhoneOffset
	s := causeSentence(d, setup)
	fe.Message, fe.Key, fe.Vars = s.text, s.key, s.vars
	c.clocked(ctx, true, d)
	return fe
}

// acceptedCode is AcceptedOffset for a code Cognito just accepted, told to
// the observers when it is not zero.
func (c *Client) acceptedCode(ctx context.Context, setup Setup, code string) time.Duration {
	c.spent.set(setup.Secret, code)
	offset := AcceptedOffset(setup.Secret, code, c.CognitoNow())
	if offset != 0 {
		c.clocked(ctx, false, Diagnosis{PhoneOffset: offset})
	}
	return offset
}

func causeSentence(d Diagnosis, setup Setup) sentence {
	n, minutes := Rounded(d.PhoneOffset)
	num := strconv.Itoa(n)
	switch {
	case d.Cause == CauseClockBehind && minutes:
		return say(i18n.ErrClockBehindMinutes, "Minutes", num)
	case d.Cause == CauseClockBehind:
		return say(i18n.ErrClockBehindSeconds, "Seconds", num)
	case d.Cause == CauseClockAhead && minutes:
		return say(i18n.ErrClockAheadMinutes, "Minutes", num)
	case d.Cause == CauseClockAhead:
		return say(i18n.ErrClockAheadSeconds, "Seconds", num)
	case d.Cause == CauseReused:
		return say(i18n.ErrCodeReused)
	}
	entry := setup.Issuer + " (" + setup.Account + ")"
	if setup.Replaces {
		return say(i18n.ErrOtherEntryReplaced, "Entry", entry)
	}
	return say(i18n.ErrOtherEntry, "Entry", entry)
}
