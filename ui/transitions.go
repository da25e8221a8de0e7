package ui

import (
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// The steps behind App.Update's table: starting calls and placing answers.

// start runs one call, shown on screen `on` with the spinner.
func (a *App) start(op operation, on screen, build func(id int) tea.Cmd) (tea.Model, tea.Cmd) {
	a.calls++
	a.running, a.screen = true, on
	a.last = lastCall{op: op, screen: on, build: build}
	return a, tea.Batch(build(a.calls), a.spinner.Tick)
}

// acting reports whether the person's request from screen on can start a
// call: it is still that screen, and no call is in flight (enter pressed
// twice must not spend a one-use session twice).
func (a *App) acting(on screen) bool { return !a.running && a.screen == on }

func (a *App) startSignIn(username, password string) (tea.Model, tea.Cmd) {
	if !a.acting(screenSignIn) {
		return a, nil
	}
	a.username, a.password = username, password
	authFlow := a.authFlow
	return a.start(opSignIn, screenSignIn, func(id int) tea.Cmd { return a.cognito.signIn(id, authFlow, username, password) })
}

func (a *App) startNewPassword(password string, attributes map[string]string) (tea.Model, tea.Cmd) {
	if !a.acting(screenNewPassword) {
		return a, nil
	}
	step := a.step
	a.password = password // the test sign-in will need the new one
	return a.start(opNewPassword, screenNewPassword, func(id int) tea.Cmd { return a.cognito.setNewPassword(id, step, password, attributes) })
}

func (a *App) startBegin(step flow.Step) (tea.Model, tea.Cmd) {
	return a.start(opBeginTOTP, screenWorking, func(id int) tea.Cmd { return a.cognito.beginTOTP(id, step) })
}

func (a *App) startConfirm(code string) (tea.Model, tea.Cmd) {
	if !a.acting(screenSecret) {
		return a, nil
	}
	setup := a.setup
	return a.start(opConfirmTOTP, screenSecret, func(id int) tea.Cmd { return a.cognito.confirmTOTP(id, setup, code) })
}

func (a *App) startTest() (tea.Model, tea.Cmd) {
	if !a.acting(screenDone) {
		return a, nil
	}
	username, password, authFlow := a.username, a.password, a.authFlow
	return a.start(opTestSignIn, screenDone, func(id int) tea.Cmd { return a.cognito.testSignIn(id, authFlow, username, password) })
}

func (a *App) startTestCode(code string) (tea.Model, tea.Cmd) {
	if !a.acting(screenDone) {
		return a, nil
	}
	step, entry := a.testStep, a.entry
	return a.start(opTestCode, screenDone, func(id int) tea.Cmd { return a.cognito.testCode(id, step, entry, code) })
}

// retry runs the failed call again, or starts over when retrying cannot help.
func (a *App) retry() (tea.Model, tea.Cmd) {
	if !a.acting(screenFailure) {
		return a, nil
	}
	switch a.failure.next {
	case nextRetry:
		return a.start(a.last.op, a.last.screen, a.last.build)
	case nextRestart:
		a.toSignIn("")
	}
	return a, nil
}

func (a *App) showSecret(setup flow.Setup) *App {
	setup.Replaces = a.hasTOTP
	a.setup, a.expires = setup, setup.Expires
	secret := newSecretScreen(a.styles, a.tr, setup)
	a.secret = &secret
	a.secret.fresh, a.lostSecret = a.lostSecret, false
	a.screen = screenSecret
	return a
}

func (a *App) showDone(enrolled flow.Enrolled) *App {
	a.outcome = Enrolled
	done := newDoneScreen(a.styles, a.tr, a.username, a.setup, enrolled.Preferred, a.hasTOTP, a.password != "")
	done.phoneOffset = enrolled.PhoneOffset
	a.done = &done
	// The sessions are of no more use: drop them. The secret stays, without
	// them, to diagnose a code the test sign-in refuses.
	a.entry = flow.Setup{Issuer: a.setup.Issuer, Account: a.setup.Account, Secret: a.setup.Secret, Replaces: a.setup.Replaces}
	a.setup, a.step, a.expires = flow.Setup{}, flow.Step{}, time.Time{}
	a.screen = screenDone
	return a
}

// afterTestStep places Cognito's answer during the test sign-in.
func (a *App) afterTestStep(op operation, step flow.Step) *App {
	switch {
	case op == opTestSignIn && step.Challenge == flow.ChallengeSoftwareToken:
		a.testStep, a.expires = step, step.Expires
		a.done.askCode()
		return a
	case op == opTestCode && step.SignedIn():
		a.done.finished(true, "")
		if step.PhoneOffset != 0 {
			a.done.phoneOffset = step.PhoneOffset
		}
	case step.SignedIn():
		a.done.finished(false, a.tr.T(i18n.DoneTestNoCode))
	default:
		a.done.finished(false, a.tr.T(i18n.DoneTestOther, "Challenge", step.Challenge))
	}
	a.testStep, a.expires = flow.Step{}, time.Time{}
	return a
}

// failed puts an error on the screen where it happened, or on the failure
// screen when the person cannot fix it there. It decides by flow.Kind only.
func (a *App) failed(op operation, err error, clock cognitoClock) *App {
	a.cognitoClock = clock
	kind := flow.KindOf(err)
	message, title := sentenceOf(a.tr, err), a.tr.T(op.failKey())
	switch {
	case op == opReadToken:
		a.showFailure(failureScreen{title: title, message: message, next: pickNext(kind.Retryable(), nextRetry, nextNothing)})
	case op == opSignIn && kind == flow.KindFlowNotEnabled:
		a.screen = screenSignIn
		a.signIn.flowRefused(message, a.authFlow.Other())
	case op == opAnswerCode && (kind == flow.KindWrongCode || kind == flow.KindBadCode):
		a.code.rejected(kind, message)
	case op == opAnswerCode && (kind == flow.KindExpiredCode || kind == flow.KindLockedOut):
		a.code.stop(message)
		a.expires = time.Time{}
	case op == opTestCode && kind == flow.KindWrongCode:
		a.done.code.clear()
		a.done.code.problem = message
	case op == opTestSignIn || op == opTestCode:
		a.done.finished(false, message)
		a.testStep, a.expires = flow.Step{}, time.Time{}
	case kind == flow.KindSessionExpired:
		a.toSignIn(message)
	case op == opConfirmTOTP && (kind == flow.KindWrongCode || kind == flow.KindBadCode):
		a.secret.rejected(message, a.cognitoClock)
	case op == opNewPassword && (kind == flow.KindPasswordPolicy || kind == flow.KindInvalidInput):
		a.newPassword.refused(message, kind == flow.KindInvalidInput)
	case accountProblem(kind), op == opSignIn && kind == flow.KindInvalidInput:
		a.toSignIn("")
		a.signIn.failed(message)
	case kind.Retryable():
		a.showFailure(failureScreen{title: title, message: message, next: nextRetry})
	default:
		a.showFailure(failureScreen{title: title, message: message, next: nextRestart})
	}
	return a
}

// accountProblem is a Kind the person answers at the sign-in screen.
func accountProblem(k flow.Kind) bool {
	switch k {
	case flow.KindBadCredentials, flow.KindUserNotFound, flow.KindUserDisabled, flow.KindLockedOut, flow.KindAccountState:
		return true
	}
	return false
}

func (a *App) showFailure(s failureScreen) {
	if s.next != nextRetry {
		a.expires = time.Time{} // starting over: the session is of no more use
	}
	a.failure = s
	a.screen = screenFailure
}

// toSignIn starts over at sign-in with the username kept; notice says why.
func (a *App) toSignIn(notice string) {
	if a.setup.Secret != "" && a.setup.ViaSession() {
		// On the MFA_SETUP path the secret belongs to the session.
		a.lostSecret = true
		notice = a.tr.Sentences(notice, a.tr.T(i18n.SigninSecretLost))
	}
	a.calls++
	a.running = false
	a.password, a.hasTOTP = "", false
	a.step, a.setup, a.testStep, a.expires = flow.Step{}, flow.Setup{}, flow.Step{}, time.Time{}
	a.signIn = a.newSignInScreen()
	a.signIn.notice = notice
	a.screen = screenSignIn
}

// checkSession ends the session the wizard holds when its time is up.
func (a *App) checkSession() {
	if a.expires.IsZero() || a.now().Before(a.expires) {
		return
	}
	if a.screen == screenDone {
		a.calls++
		a.running = false
		a.testStep, a.expires = flow.Step{}, time.Time{}
		a.done.finished(false, a.tr.T(i18n.DoneTestRanOut))
		return
	}
	a.toSignIn(a.tr.T(i18n.SigninRanOut))
}

// sentenceOf is err as a sentence for a person in tr's language, never a Go
// error string: a flow.Error's Key with its Vars (Cognito's own words stay
// English, quoted), its Message when it has no Key, or a plain "something
// unexpected" for anything else.
func sentenceOf(tr *i18n.Localizer, err error) string {
	var fe *flow.Error
	switch {
	case !errors.As(err, &fe):
		return tr.T(i18n.AppUnexpected)
	case fe.Key != "":
		return tr.Sentence(fe.Key, fe.Vars)
	case fe.Message != "":
		return fe.Message
	}
	return tr.T(i18n.AppUnexpected)
}
