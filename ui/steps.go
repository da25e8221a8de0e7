package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// The sign-in's challenges: where each of Cognito's answers leads before the
// authenticator setup, and the calls that answer them.

// afterStep goes where Cognito's answer to a sign-in step leads.
func (a *App) afterStep(step flow.Step) (tea.Model, tea.Cmd) {
	a.step, a.expires = step, step.Expires
	switch ch := step.Challenge; {
	case ch == "" && a.hasTOTP: // signed in by proving the old authenticator
		a.showReplace()
	case ch == "", ch == flow.ChallengeMFASetup: // signed in (access-token path) or MFA_SETUP (session path)
		return a.startBegin(step)
	case ch == flow.ChallengeNewPassword:
		a.newPassword = newNewPasswordScreen(a.styles, a.tr, a.glyphs, a.username, missingAttributes(step))
		a.screen = screenNewPassword
	case flow.AnswersWithCode(ch):
		a.hasTOTP = a.hasTOTP || ch == flow.ChallengeSoftwareToken
		code := newCodeChallengeScreen(a.styles, a.tr, a.username, step)
		a.code = &code
		a.screen = screenCode
		return a, a.pollOutbox()
	case ch == flow.ChallengeSelectMFA && len(step.CanChoose) == 0:
		a.showFailure(failureScreen{
			title:   a.tr.T(i18n.FailNoFactorTitle),
			message: a.tr.T(i18n.FailNoFactor, "Username", a.username),
			next:    nextRestart,
		})
	case ch == flow.ChallengeSelectMFA:
		a.hasTOTP = a.hasTOTP || slices.Contains(step.CanChoose, flow.ChallengeSoftwareToken)
		a.choose = newChooseScreen(chooseFactor, a.username, step.CanChoose)
		a.screen = screenChoose
	case ch == flow.ChallengeSelect && len(usableMethods(step.Available)) == 0:
		a.showFailure(failureScreen{
			title:   a.tr.T(i18n.FailNoMethodTitle),
			message: a.tr.T(i18n.FailNoMethod, "Offered", a.offered(step.Available), "Username", a.username),
			next:    nextRestart,
		})
	case ch == flow.ChallengeSelect:
		a.choose = newChooseScreen(chooseMethod, a.username, usableMethods(step.Available))
		a.screen = screenChoose
	default:
		a.showFailure(failureScreen{
			title:   a.tr.T(i18n.FailOtherChallengeTitle),
			message: a.tr.T(i18n.FailOtherChallenge, "Challenge", ch),
			next:    nextRestart,
		})
	}
	return a, nil
}

func (a *App) offered(names []string) string {
	if len(names) == 0 {
		return a.tr.T(i18n.FailOfferedNothing)
	}
	return strings.Join(names, ", ")
}

func (a *App) showReplace() {
	a.replace = replaceScreen{username: a.username}
	a.screen = screenReplace
}

// startWithToken reads the account of an access token the person already holds.
func (a *App) startWithToken(accessToken string) (tea.Model, tea.Cmd) {
	return a.start(opReadToken, screenWorking, func(id int) tea.Cmd { return a.cognito.readToken(id, accessToken) })
}

// afterAccount goes on with an access token: straight to the setup, or to
// the warning when an authenticator would be replaced.
func (a *App) afterAccount(step flow.Step, account flow.Account) (tea.Model, tea.Cmd) {
	a.step, a.username, a.hasTOTP = step, account.Username, account.HasTOTP
	if a.hasTOTP {
		a.showReplace()
		return a, nil
	}
	return a.startBegin(step)
}

func (a *App) switchFlow(username, password string) (tea.Model, tea.Cmd) {
	if !a.acting(screenSignIn) || a.signIn.switchTo == "" {
		return a, nil
	}
	a.authFlow = a.signIn.switchTo
	a.signIn.switched()
	return a.startSignIn(username, password)
}

func (a *App) startAnswerCode(code string) (tea.Model, tea.Cmd) {
	if !a.acting(screenCode) {
		return a, nil
	}
	step := a.step
	a.code.wrong = ""
	return a.start(opAnswerCode, screenCode, func(id int) tea.Cmd { return a.cognito.answerCode(id, step, code) })
}

func (a *App) startChoice(choice string) (tea.Model, tea.Cmd) {
	if !a.acting(screenChoose) {
		return a, nil
	}
	step, password := a.step, a.password
	if a.choose.kind == chooseFactor {
		return a.start(opChooseMFA, screenChoose, func(id int) tea.Cmd { return a.cognito.chooseMFA(id, step, choice) })
	}
	return a.start(opSelectChallenge, screenChoose, func(id int) tea.Cmd { return a.cognito.selectChallenge(id, step, choice, password) })
}

func (a *App) startReplace() (tea.Model, tea.Cmd) {
	if !a.acting(screenReplace) {
		return a, nil
	}
	return a.startBegin(a.step)
}

// pollOutbox reads the demo's outbox while an SMS or email code is asked for.
func (a *App) pollOutbox() tea.Cmd {
	if a.screen != screenCode || a.demo == nil || a.demo.LatestCode == nil || a.code.challenge == flow.ChallengeSoftwareToken {
		return nil
	}
	return latestCode(a.demo.LatestCode, a.step.Username)
}

func pickNext(cond bool, yes, no next) next {
	if cond {
		return yes
	}
	return no
}
