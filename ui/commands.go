package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// All I/O of the wizard is here. Each command wraps exactly one flow call in
// its own timeout and returns exactly one message: the result or a failedMsg.
// Every message carries the id of the call, so the App can drop the answer of
// a call it has abandoned (the session ran out, the person started over).

// operation names a call, so a failure can be put on the right screen.
type operation int

const (
	opSignIn          operation = iota // flow.SignInWith
	opNewPassword                      // flow.SetNewPassword
	opBeginTOTP                        // flow.BeginTOTP
	opConfirmTOTP                      // flow.ConfirmTOTP
	opTestSignIn                       // flow.SignInWith again, on the done screen
	opTestCode                         // flow.AnswerTOTP, on the done screen
	opAnswerCode                       // flow.AnswerCode: an MFA code at sign-in
	opChooseMFA                        // flow.ChooseMFA
	opSelectChallenge                  // flow.SelectChallenge
	opReadToken                        // flow.SignedInWithToken

	numOperations // not an operation: how many there are
)

// operationText is what the screens say of an operation: its English words
// for a flow.Error made here (its Op), the failure screen's title, and what
// the spinner says while it runs.
type operationText struct {
	words   string
	failKey i18n.Key
	busyKey i18n.Key
}

// operations holds every operation's text, keyed by the operation itself, so
// adding one cannot shift another's words (TestEveryOperationHasItsText).
var operations = map[operation]operationText{
	opSignIn:          {"sign in", i18n.FailSignIn, i18n.BusySignIn},
	opNewPassword:     {"set the new password", i18n.FailNewPassword, i18n.BusyNewPassword},
	opBeginTOTP:       {"start the authenticator setup", i18n.FailBeginSetup, i18n.BusyBeginSetup},
	opConfirmTOTP:     {"check the code", i18n.FailCheckCode, i18n.BusyCheckCode},
	opTestSignIn:      {"test the sign-in", i18n.FailTestSignIn, i18n.BusyTestSignIn},
	opTestCode:        {"test the code", i18n.FailTestCode, i18n.BusyCheckCode},
	opAnswerCode:      {"check the sign-in code", i18n.FailAnswerCode, i18n.BusyCheckCode},
	opChooseMFA:       {"choose the MFA method", i18n.FailChooseMFA, i18n.BusyChoice},
	opSelectChallenge: {"choose how to sign in", i18n.FailSelectChallenge, i18n.BusySignIn},
	opReadToken:       {"sign in with the access token", i18n.FailReadToken, i18n.BusyReadToken},
}

func (o operation) words() string     { return operations[o].words }
func (o operation) failKey() i18n.Key { return operations[o].failKey }
func (o operation) busyKey() i18n.Key { return operations[o].busyKey }

type (
	// stepMsg is Cognito's answer to a sign-in or a new password.
	stepMsg struct {
		id   int
		step flow.Step
	}
	// setupMsg is a new secret to enroll.
	setupMsg struct {
		id    int
		setup flow.Setup
	}
	// enrolledMsg says the first code was accepted and enrollment is done.
	enrolledMsg struct {
		id       int
		enrolled flow.Enrolled
	}
	// testStepMsg is Cognito's answer during the test sign-in.
	testStepMsg struct {
		id   int
		op   operation
		step flow.Step
	}
	// accountMsg is the signed-in step and account of an access token.
	accountMsg struct {
		id      int
		step    flow.Step
		account flow.Account
	}
	// outboxMsg is the latest code in the demo's local outbox.
	outboxMsg struct{ code DemoCode }
	// failedMsg is a call that failed; err is a *flow.Error. clock is
	// Cognito's clock as its answers measured it.
	failedMsg struct {
		id    int
		op    operation
		err   error
		clock cognitoClock
	}
)

// cognitoClock is Cognito's clock minus this computer's; known is false
// until an answer carried Cognito's time.
type cognitoClock struct {
	offset time.Duration
	known  bool
}

// caller builds the commands for one Client with one timeout per call.
type caller struct {
	client  *flow.Client
	timeout time.Duration
	tr      *i18n.Localizer
}

// signInMethods are the SELECT_CHALLENGE answers this tool can give, best first.
var signInMethods = []string{"PASSWORD_SRP", "PASSWORD"}

func (c caller) run(id int, op operation, call func(context.Context) (tea.Msg, error)) tea.Cmd {
	timeout, panicked := c.timeout, c.tr.T(i18n.AppPanic)
	return func() (answer tea.Msg) {
		// A panic in a call becomes a failure on screen: the person reads a
		// sentence, never a stack trace, and the wizard goes on.
		defer func() {
			if recover() != nil {
				answer = failedMsg{id: id, op: op, err: &flow.Error{Kind: flow.KindUnexpected, Op: op.words(), Message: panicked}}
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg, err := call(ctx)
		if err != nil {
			var clock cognitoClock
			if c.client != nil {
				clock.offset, clock.known = c.client.CognitoOffset()
			}
			return failedMsg{id: id, op: op, err: err, clock: clock}
		}
		return msg
	}
}

func (c caller) signIn(id int, f flow.AuthFlow, username, password string) tea.Cmd {
	return c.run(id, opSignIn, func(ctx context.Context) (tea.Msg, error) {
		step, err := c.client.SignInWith(ctx, f, username, password)
		return stepMsg{id: id, step: step}, err
	})
}

func (c caller) setNewPassword(id int, step flow.Step, password string, attributes map[string]string) tea.Cmd {
	return c.run(id, opNewPassword, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.SetNewPassword(ctx, step, password, attributes)
		return stepMsg{id: id, step: next}, err
	})
}

func (c caller) answerCode(id int, step flow.Step, code string) tea.Cmd {
	return c.run(id, opAnswerCode, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.AnswerCode(ctx, step, code)
		return stepMsg{id: id, step: next}, err
	})
}

func (c caller) chooseMFA(id int, step flow.Step, factor string) tea.Cmd {
	return c.run(id, opChooseMFA, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.ChooseMFA(ctx, step, factor)
		return stepMsg{id: id, step: next}, err
	})
}

func (c caller) selectChallenge(id int, step flow.Step, choice, password string) tea.Cmd {
	return c.run(id, opSelectChallenge, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.SelectChallenge(ctx, step, choice, password)
		return stepMsg{id: id, step: next}, err
	})
}

func (c caller) readToken(id int, accessToken string) tea.Cmd {
	return c.run(id, opReadToken, func(ctx context.Context) (tea.Msg, error) {
		step, account, err := c.client.SignedInWithToken(ctx, accessToken)
		return accountMsg{id: id, step: step, account: account}, err
	})
}

// latestCode reads the demo's outbox; it is memory, but Update still does not call out.
func latestCode(read func(string) (DemoCode, bool), username string) tea.Cmd {
	return func() tea.Msg {
		code, _ := read(username)
		return outboxMsg{code: code}
	}
}

func (c caller) beginTOTP(id int, step flow.Step) tea.Cmd {
	return c.run(id, opBeginTOTP, func(ctx context.Context) (tea.Msg, error) {
		setup, err := c.client.BeginTOTP(ctx, step)
		return setupMsg{id: id, setup: setup}, err
	})
}

func (c caller) confirmTOTP(id int, setup flow.Setup, code string) tea.Cmd {
	return c.run(id, opConfirmTOTP, func(ctx context.Context) (tea.Msg, error) {
		enrolled, err := c.client.ConfirmTOTP(ctx, setup, code)
		return enrolledMsg{id: id, enrolled: enrolled}, err
	})
}

// testSignIn signs in with the configured flow; a SELECT_CHALLENGE (USER_AUTH)
// is answered at once with the password, as the person did at first.
func (c caller) testSignIn(id int, f flow.AuthFlow, username, password string) tea.Cmd {
	return c.run(id, opTestSignIn, func(ctx context.Context) (tea.Msg, error) {
		step, err := c.client.SignInWith(ctx, f, username, password)
		if err == nil && step.Challenge == flow.ChallengeSelect {
			if usable := usableMethods(step.Available); len(usable) > 0 {
				step, err = c.client.SelectChallenge(ctx, step, usable[0], password)
			}
		}
		return testStepMsg{id: id, op: opTestSignIn, step: step}, err
	})
}

// testCode answers the test sign-in with a code of entry, the authenticator
// just added, against whose secret a refused code is diagnosed.
func (c caller) testCode(id int, step flow.Step, entry flow.Setup, code string) tea.Cmd {
	return c.run(id, opTestCode, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.AnswerNewTOTP(ctx, step, entry, code)
		return testStepMsg{id: id, op: opTestCode, step: next}, err
	})
}

// clockTickMsg advances the session clock once a second.
type clockTickMsg struct{}

func tickEverySecond() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

// answer is any message that ends a call.
type answer interface{ callID() int }

func (m stepMsg) callID() int     { return m.id }
func (m accountMsg) callID() int  { return m.id }
func (m setupMsg) callID() int    { return m.id }
func (m enrolledMsg) callID() int { return m.id }
func (m testStepMsg) callID() int { return m.id }
func (m failedMsg) callID() int   { return m.id }
