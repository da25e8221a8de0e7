package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// run is one plain run: what the person typed, what Cognito said last, and
// how far the setup has come.
type run struct {
	tr      *i18n.Localizer // the sentences, shared with the ui package where it says the same
	ctx     context.Context
	client  *flow.Client
	opts    Options
	now     func() time.Time
	timeout time.Duration
	out     *printer
	lines   *lineReader

	username, password string     // the password stays in memory for the test sign-in only
	expires            time.Time  // when the session held runs out; zero: none held
	newPasswordSet     bool       // Cognito took a new password this run
	replacing          bool       // signed in with an authenticator the new one replaces
	entry              flow.Setup // the authenticator just added, without sessions: the test sign-in's codes are diagnosed against it
	saidComputerClock  bool       // this computer's clock was said to be off: a transcript says it once
}

// authFlow is the configured sign-in flow; SRP when unset, as in the wizard.
func (r *run) authFlow() flow.AuthFlow {
	if r.opts.AuthFlow == "" {
		return flow.AuthSRP
	}
	return r.opts.AuthFlow
}

// Why a phase stopped, other than a *flow.Error.
var (
	errRanOut   = errors.New("the session ran out") // noticed on the clock after an answer
	errDeclined = errors.New("declined to try again")
	errKeptOld  = errors.New("kept the old authenticator")
)

// restart is going back to sign-in with the username kept: to the username
// prompt (its default is the name typed) or, when only the session was lost,
// straight to the password prompt.
type restart struct{ askUsername bool }

func (restart) Error() string { return "sign in again" }

// failed is a step that cannot be done; what went wrong has been printed.
type failed struct{}

func (failed) Error() string { return "failed" }

// drive runs sign-in and setup until enrolled or stopped, and prints the last line.
func (r *run) drive() (Outcome, error) {
	r.intro()
	askUsername := true
	for {
		err := r.attempt(askUsername)
		var back restart
		switch {
		case err == nil:
			return r.afterEnrolled()
		case errors.Is(err, errRanOut):
			r.say(r.tr.T(i18n.SigninRanOut))
			askUsername = false
		case errors.As(err, &back):
			askUsername = back.askUsername
		default:
			return r.stopped(err)
		}
		r.password, r.expires, r.replacing = "", time.Time{}, false
	}
}

func (r *run) intro() {
	tr := r.tr
	if r.opts.Demo != nil {
		r.say(tr.T(i18n.AppDemoBanner))
	}
	header, label := "cognito-totp", r.opts.PoolLabel
	switch pool := r.client.Pool(); {
	case r.opts.Demo != nil && r.opts.Demo.PoolID != "":
		label = tr.T(i18n.AppDemoPoolLabel, "PoolID", r.opts.Demo.PoolID)
	case label == "" && pool.UserPoolID != "":
		label = tr.T(i18n.AppPoolLabel, "Pool", pool.UserPoolID, "ClientID", pool.ClientID)
	case label == "":
		label = tr.T(i18n.AppPoolLabel, "Pool", pool.Region, "ClientID", pool.ClientID)
	}
	if label != "" {
		header += ": " + label
	}
	r.say(header)
	r.say(tr.T(i18n.SigninIntro))
	if d := r.opts.Demo; d != nil {
		r.say(tr.T(i18n.DemoAccount, "Username", d.Username, "Password", d.Password))
	}
}

// stopped ends a run that did not enrol, with a line saying what changed.
func (r *run) stopped(err error) (Outcome, error) {
	tr := r.tr
	changes := tr.T(i18n.PlainNothingChanged)
	if r.newPasswordSet {
		changes = tr.T(i18n.PlainPasswordChanged)
	}
	switch {
	case r.ctx.Err() != nil:
		r.say(tr.T(i18n.PlainInterrupted, "Changes", changes))
		return Interrupted, nil
	case errors.Is(err, io.EOF):
		r.say(tr.T(i18n.PlainInputEnded, "Changes", changes))
		return Quit, nil
	case errors.Is(err, errKeptOld):
		r.say(tr.T(i18n.PlainKeptOld, "Changes", changes))
		return Quit, nil
	case errors.Is(err, errDeclined), errors.As(err, new(failed)):
		r.say(tr.T(i18n.PlainNotFinished, "Changes", changes))
		return Failed, nil
	}
	r.say(tr.T(i18n.PlainInputFailed, "Changes", changes))
	return Failed, fmt.Errorf("plain: read input: %w", err)
}

// attempt signs in and follows Cognito's challenges through to enrollment.
func (r *run) attempt(askUsername bool) error {
	if askUsername {
		if err := r.askUsername(); err != nil {
			return err
		}
	}
	password, err := r.askPassword()
	if err != nil {
		return err
	}
	var step flow.Step
	err = r.call(i18n.BusySignIn, i18n.FailSignIn, true, func(ctx context.Context) (err error) {
		step, err = r.client.SignInWith(ctx, r.authFlow(), r.username, password)
		return err
	})
	if err != nil {
		return r.trouble(err, true, i18n.FailSignIn)
	}
	r.password = password
	for {
		r.expires = step.Expires
		switch step.Challenge {
		case flow.ChallengeNewPassword:
			if step, err = r.newPassword(step); err != nil {
				return err
			}
		case "", flow.ChallengeMFASetup: // signed in (access-token path) or MFA_SETUP (session path)
			if r.replacing && step.Challenge == "" {
				if err := r.confirmReplace(); err != nil {
					return err
				}
			}
			return r.enroll(step)
		case flow.ChallengeSoftwareToken:
			if step, err = r.proveAuthenticator(step); err != nil {
				return err
			}
			r.replacing = true
		default:
			r.say(r.tr.T(i18n.FailOtherChallenge, "Challenge", step.Challenge))
			return failed{}
		}
	}
}

func (r *run) askUsername() error {
	for {
		prompt := r.tr.T(i18n.SigninUsername) + " "
		if r.username != "" {
			prompt = r.tr.T(i18n.PlainUsernameDefault, "Username", r.username) + " "
		}
		typed, err := r.askUpTo(prompt, false, false, usernameLimit)
		if err != nil {
			return err
		}
		if name := strings.TrimSpace(typed); name != "" {
			r.username = name
		}
		if r.username != "" {
			return nil
		}
		r.say(r.tr.T(i18n.SigninNeedUsername))
	}
}

func (r *run) askPassword() (string, error) {
	for {
		password, err := r.askUpTo(r.tr.T(i18n.SigninPassword)+" ", false, true, passwordLimit)
		if err != nil || password != "" {
			return password, err
		}
		r.say(r.tr.T(i18n.SigninNeedPassword))
	}
}

// newPassword answers NEW_PASSWORD_REQUIRED with a new password typed twice.
func (r *run) newPassword(step flow.Step) (flow.Step, error) {
	tr := r.tr
	r.say(tr.T(i18n.NewpwIntro, "Username", r.username))
	for {
		password, err := r.askUpTo(tr.T(i18n.NewpwPassword)+" ", true, true, passwordLimit)
		if err != nil {
			return step, err
		}
		if password == "" {
			r.say(tr.T(i18n.NewpwNeedPassword))
			continue
		}
		again, err := r.askUpTo(tr.T(i18n.PlainPasswordAgain)+" ", false, true, passwordLimit)
		if err != nil {
			return step, err
		}
		if again != password {
			r.say(tr.T(i18n.NewpwMismatch))
			continue
		}
		var next flow.Step
		err = r.call(i18n.BusyNewPassword, i18n.FailNewPassword, true, func(ctx context.Context) (err error) {
			next, err = r.client.SetNewPassword(ctx, step, password, nil)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			r.password, r.newPasswordSet = password, true // the test sign-in needs the new one
			return next, nil
		case k == flow.KindPasswordPolicy || k == flow.KindInvalidInput:
			r.say(r.message(err))
		default:
			return step, r.trouble(err, false, i18n.FailNewPassword)
		}
	}
}

// proveAuthenticator answers SOFTWARE_TOKEN_MFA with a code from the
// authenticator the account already has: the sign-in that lets it be replaced.
func (r *run) proveAuthenticator(step flow.Step) (flow.Step, error) {
	r.say(r.tr.T(i18n.CodeTOTPWhere, "Username", r.username))
	r.say(r.tr.T(i18n.SecretStepCode))
	for {
		typed, err := r.ask(r.tr.T(i18n.CodePrompt)+" ", true)
		if err != nil {
			return step, err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(r.message(err))
			continue
		}
		var next flow.Step
		err = r.call(i18n.BusyCheckCode, i18n.FailAnswerCode, true, func(ctx context.Context) (err error) {
			next, err = r.client.AnswerTOTP(ctx, step, code)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			return next, nil
		case k == flow.KindWrongCode || k == flow.KindBadCode:
			r.say(r.message(err))
		default:
			return step, r.trouble(err, false, i18n.FailAnswerCode)
		}
	}
}

// confirmReplace says what replacing does and asks whether to.
func (r *run) confirmReplace() error {
	r.say(r.tr.T(i18n.ReplaceWarning, "Username", r.username))
	yes, err := r.yesNo(r.tr.T(i18n.PlainReplaceAsk)+" ", false)
	switch {
	case err != nil:
		return err
	case !yes:
		return errKeptOld
	}
	return nil
}

// enroll gets a secret, prints it, and takes codes until one is accepted.
func (r *run) enroll(step flow.Step) error {
	tr := r.tr
	var setup flow.Setup
	err := r.call(i18n.BusyBeginSetup, i18n.FailBeginSetup, true, func(ctx context.Context) (err error) {
		setup, err = r.client.BeginTOTP(ctx, step)
		return err
	})
	if err != nil {
		return r.trouble(err, false, i18n.FailBeginSetup)
	}
	r.expires = setup.Expires // zero on the access-token path, which holds no session
	setup.Replaces = r.replacing
	r.say(tr.T(i18n.SecretTitle, "Issuer", setup.Issuer, "Account", setup.Account))
	r.say(tr.T(i18n.SecretStepKey))
	r.say(tr.T(i18n.PlainSecret, "Secret", flow.GroupSecret(setup.Secret)))
	r.say(tr.T(i18n.PlainSecretCompact, "Secret", setup.Secret))
	r.say(tr.T(i18n.PlainURI, "URI", setup.URI))
	r.say(tr.T(i18n.SecretStepCode))
	for {
		typed, err := r.ask(tr.T(i18n.CodePrompt)+" ", true)
		if err != nil {
			return err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(r.message(err))
			continue
		}
		var enrolled flow.Enrolled
		err = r.call(i18n.BusyCheckCode, i18n.FailCheckCode, true, func(ctx context.Context) (err error) {
			enrolled, err = r.client.ConfirmTOTP(ctx, setup, code)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			r.expires = time.Time{} // the session is of no more use; the secret diagnoses the test sign-in's codes
			r.entry = flow.Setup{Issuer: setup.Issuer, Account: setup.Account, Secret: setup.Secret, Replaces: setup.Replaces}
			r.say(tr.T(i18n.PlainDone, "Username", r.username, "Issuer", setup.Issuer, "Account", setup.Account))
			r.say(tr.T(i18n.DoneFromNow))
			r.sayPhoneClock(enrolled.PhoneOffset)
			if !enrolled.Preferred {
				r.say(tr.T(i18n.DoneNotPreferred))
			}
			if r.replacing {
				r.say(tr.T(i18n.DoneDeleteOld, "Username", r.username))
			}
			return nil
		case k == flow.KindWrongCode:
			r.say(r.message(err))
			r.say(r.clockHint())
		case k == flow.KindBadCode:
			r.say(r.message(err))
		default:
			return r.trouble(err, false, i18n.FailCheckCode)
		}
	}
}

// clockHint says the time by Cognito's clock, which checks the codes, and,
// when this computer's clock is more than 30 s from it, that an
// authenticator on this computer is off by as much (once in a run): the
// wizard's words.
func (r *run) clockHint() string {
	offset, known := r.client.CognitoOffset()
	hint := r.tr.T(i18n.SecretCognitoClock, "Time", r.now().Add(offset).UTC().Format("15:04:05"))
	if !known || offset.Abs() <= 30*time.Second || r.saidComputerClock {
		return hint
	}
	r.saidComputerClock = true
	n, minutes := flow.Rounded(offset)
	key := map[[2]bool]i18n.Key{ // a positive offset is Cognito ahead: this computer is behind
		{true, true}: i18n.SecretComputerBehindMinutes, {true, false}: i18n.SecretComputerBehindSeconds,
		{false, true}: i18n.SecretComputerAheadMinutes, {false, false}: i18n.SecretComputerAheadSeconds,
	}[[2]bool{offset > 0, minutes}]
	return r.tr.Sentences(hint, r.tr.T(key, "Minutes", n, "Seconds", n))
}

// sayPhoneClock says, for an accepted code of a step next to Cognito's, how
// far the phone's clock is off; nothing for a code of Cognito's own step.
func (r *run) sayPhoneClock(offset time.Duration) {
	seconds := int(offset.Abs().Round(time.Second).Seconds())
	switch {
	case offset < 0:
		r.say(r.tr.T(i18n.DoneClockBehind, "Seconds", seconds))
	case offset > 0:
		r.say(r.tr.T(i18n.DoneClockAhead, "Seconds", seconds))
	}
}

// call runs one flow call with its own timeout, saying first what it does
// (busy). When the failure is one that trying again may fix and retry is set,
// it says so (fail is the step's failure title), asks whether to, and calls again.
func (r *run) call(busy, fail i18n.Key, retry bool, f func(context.Context) error) error {
	for {
		r.say(r.tr.T(busy))
		ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
		err := f(ctx)
		cancel()
		if r.ctx.Err() != nil {
			return r.ctx.Err()
		}
		if err == nil || !retry || !flow.KindOf(err).Retryable() {
			return err
		}
		r.say(r.tr.T(i18n.PlainFailure, "Title", r.tr.T(fail), "Reason", r.message(err)))
		again, err := r.yesNo(r.tr.T(i18n.PlainTryAgain)+" ", true)
		if err != nil {
			return err
		}
		if !again {
			return errDeclined
		}
	}
}

// trouble decides by Kind where a failed call leaves the person, once the
// step's own cases (a wrong code, a refused password) are handled; atSignIn
// is a failure of the sign-in itself; fail is the step's failure title.
func (r *run) trouble(err error, atSignIn bool, fail i18n.Key) error {
	var fe *flow.Error
	if r.ctx.Err() != nil || !errors.As(err, &fe) {
		return err // interrupted, the input ended, or a retry declined
	}
	k := fe.Kind
	switch {
	case k == flow.KindSessionExpired:
		r.say(r.message(err))
		return restart{askUsername: false}
	case accountProblem(k), atSignIn && k == flow.KindInvalidInput:
		r.say(r.message(err))
		return restart{askUsername: true}
	}
	r.say(r.tr.T(i18n.PlainFailure, "Title", r.tr.T(fail), "Reason", r.message(err)))
	return failed{}
}

// accountProblem is a Kind the person answers by signing in again, perhaps as someone else.
func accountProblem(k flow.Kind) bool {
	switch k {
	case flow.KindBadCredentials, flow.KindUserNotFound, flow.KindUserDisabled, flow.KindLockedOut, flow.KindAccountState:
		return true
	}
	return false
}

// message is err as a sentence in the run's language, never a Go error
// string: a flow.Error's Key with its Vars (Cognito's own words stay
// English), its Message when it has no Key, or "something unexpected".
func (r *run) message(err error) string {
	var fe *flow.Error
	switch {
	case !errors.As(err, &fe):
		return r.tr.T(i18n.AppUnexpected)
	case fe.Key != "":
		return r.tr.Sentence(fe.Key, fe.Vars)
	case fe.Message != "":
		return fe.Message
	}
	return r.tr.T(i18n.AppUnexpected)
}
