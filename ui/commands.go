package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
)

// All I/O of the wizard is here. Each command wraps exactly one flow call in
// its own timeout and returns exactly one message: the result or a failedMsg.
// Every message carries the id of the call, so the App can drop the answer of
// a call it has abandoned (the session ran out, the person started over).

// operation names a call, so a failure can be put on the right screen.
type operation int

const (
	opSignIn      operation = iota // flow.SignIn
	opNewPassword                  // flow.SetNewPassword
	opBeginTOTP                    // flow.BeginTOTP
	opConfirmTOTP                  // flow.ConfirmTOTP
	opTestSignIn                   // flow.SignIn again, on the done screen
	opTestCode                     // flow.AnswerTOTP, on the done screen
)

// words is the operation as the failure screen names it.
func (o operation) words() string {
	return [...]string{"sign in", "set the new password", "start the authenticator setup",
		"check the code", "test the sign-in", "test the code"}[o]
}

// busyText is what the spinner says while the operation runs.
func (o operation) busyText() string {
	return [...]string{"Signing in…", "Setting the new password…", "Asking Cognito for a new secret…",
		"Checking the code…", "Signing in again to test…", "Checking the code…"}[o]
}

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
	// failedMsg is a call that failed; err is a *flow.Error.
	failedMsg struct {
		id  int
		op  operation
		err error
	}
)

// caller builds the commands for one Client with one timeout per call.
type caller struct {
	client  *flow.Client
	timeout time.Duration
}

func (c caller) run(id int, op operation, call func(context.Context) (tea.Msg, error)) tea.Cmd {
	timeout := c.timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg, err := call(ctx)
		if err != nil {
			return failedMsg{id: id, op: op, err: err}
		}
		return msg
	}
}

func (c caller) signIn(id int, username, password string) tea.Cmd {
	return c.run(id, opSignIn, func(ctx context.Context) (tea.Msg, error) {
		step, err := c.client.SignIn(ctx, username, password)
		return stepMsg{id: id, step: step}, err
	})
}

func (c caller) setNewPassword(id int, step flow.Step, password string) tea.Cmd {
	return c.run(id, opNewPassword, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.SetNewPassword(ctx, step, password, nil)
		return stepMsg{id: id, step: next}, err
	})
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

func (c caller) testSignIn(id int, username, password string) tea.Cmd {
	return c.run(id, opTestSignIn, func(ctx context.Context) (tea.Msg, error) {
		step, err := c.client.SignIn(ctx, username, password)
		return testStepMsg{id: id, op: opTestSignIn, step: step}, err
	})
}

func (c caller) testCode(id int, step flow.Step, code string) tea.Cmd {
	return c.run(id, opTestCode, func(ctx context.Context) (tea.Msg, error) {
		next, err := c.client.AnswerTOTP(ctx, step, code)
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
func (m setupMsg) callID() int    { return m.id }
func (m enrolledMsg) callID() int { return m.id }
func (m testStepMsg) callID() int { return m.id }
func (m failedMsg) callID() int   { return m.id }
