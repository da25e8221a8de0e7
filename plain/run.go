package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
)

// The sentences a person reads, where the ui package has them too, are its words.
const (
	demoBanner = "Local demo pool, not AWS: it runs on this computer; nothing reaches Amazon."
	ranOut     = "Cognito's session ran out before the setup was finished (it lasts only a few minutes), so sign in again to go on."
)

// replaceWarning says what replacing an authenticator does, as Cognito does
// it; the ui's replace screen says the same.
func replaceWarning(username string) string {
	return "Replacing " + username + "'s authenticator app: the old app's codes keep working while you set up a new one, and if you stop halfway. Once Cognito accepts a code from the new app, only the new app works."
}

// replacedNote tells a person who replaced an authenticator what to do with the old one.
func replacedNote(username string) string {
	return "The old authenticator no longer works for " + username + ". Delete its entry from your authenticator app; if the app lists two entries with the same name, the old one is the one added first."
}

// run is one plain run: what the person typed, what Cognito said last, and
// how far the setup has come.
type run struct {
	ctx     context.Context
	client  *flow.Client
	opts    Options
	now     func() time.Time
	timeout time.Duration
	out     *printer
	lines   *lineReader

	username, password string    // the password stays in memory for the test sign-in only
	expires            time.Time // when the session held runs out; zero: none held
	newPasswordSet     bool      // Cognito took a new password this run
	replacing          bool      // signed in with an authenticator the new one replaces
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
			r.say(ranOut)
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
	if r.opts.Demo != nil {
		r.say(demoBanner)
	}
	header := "cognito-totp"
	if r.opts.PoolLabel != "" {
		header += ": " + r.opts.PoolLabel
	}
	r.say(header)
	r.say("Sign in with your user pool account to add an authenticator app to it.")
	if d := r.opts.Demo; d != nil {
		r.say("Demo account: username " + d.Username + ", password " + d.Password)
	}
}

// stopped ends a run that did not enrol, with a line saying what changed.
func (r *run) stopped(err error) (Outcome, error) {
	changes := "nothing was changed."
	if r.newPasswordSet {
		changes = "the new password is set, but no authenticator app was added."
	}
	switch {
	case r.ctx.Err() != nil:
		r.say("Interrupted before the setup was finished: " + changes)
		return Interrupted, nil
	case errors.Is(err, io.EOF):
		r.say("Input ended before the setup was finished: " + changes)
		return Quit, nil
	case errors.Is(err, errKeptOld):
		r.say("Kept the old authenticator app: " + changes)
		return Quit, nil
	case errors.Is(err, errDeclined), errors.As(err, new(failed)):
		r.say("Setup not finished: " + changes)
		return Failed, nil
	}
	r.say("Input could not be read, so the setup stopped: " + changes)
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
	err = r.call("Signing in...", true, func(ctx context.Context) (err error) {
		step, err = r.client.SignInWith(ctx, r.authFlow(), r.username, password)
		return err
	})
	if err != nil {
		return r.trouble(err, true)
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
			r.say("Cognito asked for " + step.Challenge + ", which this version does not handle yet.")
			return failed{}
		}
	}
}

func (r *run) askUsername() error {
	for {
		prompt := "Username: "
		if r.username != "" {
			prompt = "Username [" + r.username + "]: "
		}
		typed, err := r.ask(prompt, false)
		if err != nil {
			return err
		}
		if name := strings.TrimSpace(typed); name != "" {
			r.username = name
		}
		if r.username != "" {
			return nil
		}
		r.say("Type your username first.")
	}
}

func (r *run) askPassword() (string, error) {
	for {
		password, err := r.askSecret("Password: ", false)
		if err != nil || password != "" {
			return password, err
		}
		r.say("Type your password.")
	}
}

// newPassword answers NEW_PASSWORD_REQUIRED with a new password typed twice.
func (r *run) newPassword(step flow.Step) (flow.Step, error) {
	r.say("The password " + r.username + " signed in with was temporary: Cognito asks for a new one before going on.")
	for {
		password, err := r.askSecret("New password: ", true)
		if err != nil {
			return step, err
		}
		if password == "" {
			r.say("Choose a new password.")
			continue
		}
		again, err := r.askSecret("New password again: ", false)
		if err != nil {
			return step, err
		}
		if again != password {
			r.say("The two passwords are not the same. Type the new password again.")
			continue
		}
		var next flow.Step
		err = r.call("Setting the new password...", true, func(ctx context.Context) (err error) {
			next, err = r.client.SetNewPassword(ctx, step, password, nil)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			r.password, r.newPasswordSet = password, true // the test sign-in needs the new one
			return next, nil
		case k == flow.KindPasswordPolicy || k == flow.KindInvalidInput:
			r.say(message(err))
		default:
			return step, r.trouble(err, false)
		}
	}
}

// proveAuthenticator answers SOFTWARE_TOKEN_MFA with a code from the
// authenticator the account already has: the sign-in that lets it be replaced.
func (r *run) proveAuthenticator(step flow.Step) (flow.Step, error) {
	r.say(r.username + " already has an authenticator app set up. A code from it proves it is you; then you can replace it with a new one.")
	r.say("Type the 6-digit code the app shows, then press enter:")
	for {
		typed, err := r.ask("Code: ", true)
		if err != nil {
			return step, err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(message(err))
			continue
		}
		var next flow.Step
		err = r.call("Checking the code...", true, func(ctx context.Context) (err error) {
			next, err = r.client.AnswerTOTP(ctx, step, code)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			return next, nil
		case k == flow.KindWrongCode || k == flow.KindBadCode:
			r.say(message(err))
		default:
			return step, r.trouble(err, false)
		}
	}
}

// confirmReplace says what replacing does and asks whether to.
func (r *run) confirmReplace() error {
	r.say(replaceWarning(r.username))
	yes, err := r.yesNo("Set up a new authenticator app? [y/N]: ", false)
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
	var setup flow.Setup
	err := r.call("Asking Cognito for a new secret...", true, func(ctx context.Context) (err error) {
		setup, err = r.client.BeginTOTP(ctx, step)
		return err
	})
	if err != nil {
		return r.trouble(err, false)
	}
	r.expires = setup.Expires // zero on the access-token path, which holds no session
	r.say(fmt.Sprintf("Add this account to your authenticator app: %s (%s)", setup.Issuer, setup.Account))
	r.say("In the app, choose to enter a setup key, and type this secret (time-based):")
	r.say("Secret: " + flow.GroupSecret(setup.Secret))
	r.say("Secret (no spaces): " + setup.Secret)
	r.say("otpauth URI: " + setup.URI)
	r.say("Type the 6-digit code the app shows, then press enter:")
	for {
		typed, err := r.ask("Code: ", true)
		if err != nil {
			return err
		}
		code, err := flow.NormalizeCode(typed)
		if err != nil {
			r.say(message(err))
			continue
		}
		var enrolled flow.Enrolled
		err = r.call("Checking the code...", true, func(ctx context.Context) (err error) {
			enrolled, err = r.client.ConfirmTOTP(ctx, setup, code)
			return err
		})
		switch k := flow.KindOf(err); {
		case err == nil:
			r.expires = time.Time{} // the secret and the session are of no more use
			r.say("Done: " + r.username + " is enrolled. The authenticator app lists the account as " + setup.Issuer + " (" + setup.Account + ").")
			r.say("From now on, signing in asks for a 6-digit code from your authenticator app.")
			if !enrolled.Preferred {
				r.say("Cognito has not made the authenticator this account's preferred MFA method.")
			}
			if r.replacing {
				r.say(replacedNote(r.username))
			}
			return nil
		case k == flow.KindWrongCode:
			r.say(message(err))
			r.say("This computer's clock says " + r.now().UTC().Format("15:04:05") + " UTC; compare it with your phone's, then wait for the next code.")
		case k == flow.KindBadCode:
			r.say(message(err))
		default:
			return r.trouble(err, false)
		}
	}
}

// call runs one flow call with its own timeout, saying first what it does.
// When the failure is one that trying again may fix and retry is set, it
// asks whether to, and calls again.
func (r *run) call(busy string, retry bool, f func(context.Context) error) error {
	for {
		r.say(busy)
		ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
		err := f(ctx)
		cancel()
		if r.ctx.Err() != nil {
			return r.ctx.Err()
		}
		if err == nil || !retry || !flow.KindOf(err).Retryable() {
			return err
		}
		fe := asFlowError(err)
		r.say("Could not " + fe.Op + ": " + fe.Message)
		again, err := r.yesNo("Try again? [Y/n]: ", true)
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
// is a failure of the sign-in itself.
func (r *run) trouble(err error, atSignIn bool) error {
	var fe *flow.Error
	if r.ctx.Err() != nil || !errors.As(err, &fe) {
		return err // interrupted, the input ended, or a retry declined
	}
	k := fe.Kind
	switch {
	case k == flow.KindSessionExpired:
		r.say(fe.Message)
		return restart{askUsername: false}
	case accountProblem(k), atSignIn && k == flow.KindInvalidInput:
		r.say(fe.Message)
		return restart{askUsername: true}
	}
	fe = asFlowError(err)
	r.say("Could not " + fe.Op + ": " + fe.Message)
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

// asFlowError makes sure a person reads a sentence, never a Go error string.
func asFlowError(err error) *flow.Error {
	var fe *flow.Error
	if !errors.As(err, &fe) {
		fe = &flow.Error{Kind: flow.KindUnexpected}
	}
	out := *fe
	if out.Op == "" {
		out.Op = "go on"
	}
	if out.Message == "" {
		out.Message = "Something unexpected went wrong."
	}
	return &out
}

// message is the sentence of err for a person.
func message(err error) string { return asFlowError(err).Message }
