package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// afterEnrolled offers the test sign-in, as many times as the person wants
// after one fails. Whatever happens now, the account stays enrolled.
func (r *run) afterEnrolled() (Outcome, error) {
	prompt := r.tr.T(i18n.PlainTestNow) + " "
	for {
		yes, err := r.yesNo(prompt, false)
		if err != nil {
			return r.stoppedEnrolled(err)
		}
		if !yes {
			return Enrolled, nil
		}
		worked, err := r.testSignIn()
		r.expires = time.Time{}
		switch {
		case err != nil:
			return r.stoppedEnrolled(err)
		case worked:
			return Enrolled, nil
		}
		prompt = r.tr.T(i18n.PlainTestAgain) + " "
	}
}

// stoppedEnrolled ends a run after enrolling, when the input ends or ctx
// is cancelled during the test sign-in: the account stays enrolled.
func (r *run) stoppedEnrolled(err error) (Outcome, error) {
	switch {
	case r.ctx.Err() != nil:
		r.say(r.tr.T(i18n.PlainEnrolledInterrupted, "Username", r.username))
	case errors.Is(err, io.EOF):
		r.say(r.tr.T(i18n.PlainEnrolledInputEnded, "Username", r.username))
	default:
		r.say(r.tr.T(i18n.PlainEnrolledInputFailed, "Username", r.username))
		return Enrolled, fmt.Errorf("plain: read input: %w", err)
	}
	return Enrolled, nil
}

// testSignIn signs in again with this run's password and a new code. It
// reports whether Cognito asked for the code and accepted it; err is only the
// input ending or ctx being cancelled.
func (r *run) testSignIn() (worked bool, err error) {
	var step flow.Step
	err = r.call(i18n.BusyTestSignIn, i18n.FailTestSignIn, false, func(ctx context.Context) (err error) {
		step, err = r.client.SignInWith(ctx, r.authFlow(), r.username, r.password)
		return err
	})
	if err != nil {
		return false, r.testFailed(r.message(err))
	}
	switch {
	case step.Challenge == flow.ChallengeSoftwareToken:
	case step.SignedIn():
		return false, r.testFailed(r.tr.T(i18n.DoneTestNoCode))
	default:
		return false, r.testFailed(r.tr.T(i18n.DoneTestOther, "Challenge", step.Challenge))
	}
	r.expires = step.Expires
	r.say(r.tr.T(i18n.DoneTestAsk))
	for {
		typed, err := r.ask(r.tr.T(i18n.PlainCodeNew)+" ", true)
		if errors.Is(err, errRanOut) {
			return false, r.testFailed(r.tr.T(i18n.DoneTestRanOut))
		}
		if err != nil {
			return false, err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(r.message(err))
			continue
		}
		var next flow.Step
		err = r.call(i18n.BusyCheckCode, i18n.FailTestCode, false, func(ctx context.Context) (err error) {
			next, err = r.client.AnswerNewTOTP(ctx, step, r.entry, code)
			return err
		})
		switch {
		case flow.KindOf(err) == flow.KindWrongCode || flow.KindOf(err) == flow.KindBadCode:
			r.say(r.message(err))
		case err != nil:
			return false, r.testFailed(r.message(err))
		case next.SignedIn():
			r.say(r.tr.T(i18n.DoneTestWorked))
			r.sayPhoneClock(next.PhoneOffset)
			return true, nil
		default:
			return false, r.testFailed(r.tr.T(i18n.DoneTestOther, "Challenge", next.Challenge))
		}
	}
}

// testFailed says why the test sign-in failed; it returns ctx's error when
// that is the reason.
func (r *run) testFailed(why string) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	r.say(r.tr.T(i18n.DoneTestFailed, "Reason", why))
	return nil
}
