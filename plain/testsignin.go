package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
)

// afterEnrolled offers the test sign-in, as many times as the person wants
// after one fails. Whatever happens now, the account stays enrolled.
func (r *run) afterEnrolled() (Outcome, error) {
	prompt := "Test sign-in now with a new code? [y/N]: "
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
		prompt = "Try the test again? [y/N]: "
	}
}

// stoppedEnrolled ends a run after enrolling, when the input ends or ctx
// is cancelled during the test sign-in: the account stays enrolled.
func (r *run) stoppedEnrolled(err error) (Outcome, error) {
	switch {
	case r.ctx.Err() != nil:
		r.say("Interrupted; " + r.username + " stays enrolled.")
	case errors.Is(err, io.EOF):
		r.say("Input ended; " + r.username + " stays enrolled.")
	default:
		r.say("Input could not be read; " + r.username + " stays enrolled.")
		return Enrolled, fmt.Errorf("plain: read input: %w", err)
	}
	return Enrolled, nil
}

// testSignIn signs in again with this run's password and a new code. It
// reports whether Cognito asked for the code and accepted it; err is only the
// input ending or ctx being cancelled.
func (r *run) testSignIn() (worked bool, err error) {
	var step flow.Step
	err = r.call("Signing in again to test...", false, func(ctx context.Context) (err error) {
		step, err = r.client.SignInWith(ctx, r.authFlow(), r.username, r.password)
		return err
	})
	if err != nil {
		return false, r.testFailed(message(err))
	}
	switch {
	case step.Challenge == flow.ChallengeSoftwareToken:
	case step.SignedIn():
		return false, r.testFailed("Cognito signed in without asking for a code, so this account does not require the authenticator yet.")
	default:
		return false, r.testFailed("Cognito asked for " + step.Challenge + " instead of a code from the authenticator app.")
	}
	r.expires = step.Expires
	r.say("Test sign-in: Cognito asks for a code. Wait for the app to show a new one (not the one you just used), type it, then press enter:")
	for {
		typed, err := r.ask("Code (a new one): ", true)
		if errors.Is(err, errRanOut) {
			return false, r.testFailed("Its Cognito session ran out before a code was typed.")
		}
		if err != nil {
			return false, err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(message(err))
			continue
		}
		var next flow.Step
		err = r.call("Checking the code...", false, func(ctx context.Context) (err error) {
			next, err = r.client.AnswerTOTP(ctx, step, code)
			return err
		})
		switch {
		case flow.KindOf(err) == flow.KindWrongCode || flow.KindOf(err) == flow.KindBadCode:
			r.say(message(err))
		case err != nil:
			return false, r.testFailed(message(err))
		case next.SignedIn():
			r.say("Test sign-in worked: Cognito asked for a code from the app and accepted it.")
			return true, nil
		default:
			return false, r.testFailed("Cognito asked for " + next.Challenge + " instead of a code from the authenticator app.")
		}
	}
}

// testFailed says why the test sign-in failed; it returns ctx's error when
// that is the reason.
func (r *run) testFailed(why string) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	r.say("Test sign-in failed. " + why)
	return nil
}
