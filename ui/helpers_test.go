package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// The fixed world the screen tests render in.
var (
	testNow    = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
	testDemo   = &Demo{Username: "demo-user", Password: "Temp-Passw0rd!"}
)

func fixedClock() time.Time { return testNow }

func testOptions() Options {
	return Options{PoolLabel: "eu-west-1_AbC123 · client 1a2b3c4d…", Now: fixedClock}
}

// screenLang is the language the screen tests draw in; nil is English. Only
// the golden and fit tests set it, around each screen they build, and
// they do not run in parallel.
var screenLang *i18n.Localizer

func newTestApp(t *testing.T, o Options, w, h int) *App {
	t.Helper()
	if o.Lang == nil {
		o.Lang = screenLang
	}
	a := New(o)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

// send gives msg to the App and returns the message its command reports,
// when that command reports one at once (a screen's typed message).
func send(a *App, msg tea.Msg) tea.Cmd {
	_, cmd := a.Update(msg)
	return cmd
}

// firstMsg runs cmd as the program would and returns the first message it
// reports; commands batched with the clock's tick report before it.
func firstMsg(cmd tea.Cmd) tea.Msg {
	msg := cmd()
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return msg
	}
	msgs := make(chan tea.Msg, len(batch))
	for _, c := range batch {
		if c != nil {
			go func() { msgs <- firstMsg(c) }()
		}
	}
	return <-msgs
}

// reply answers the call in flight with msg, as the command would have.
func reply(t *testing.T, a *App, msg tea.Msg) {
	t.Helper()
	if !a.running {
		t.Fatalf("no call in flight to answer with %T", msg)
	}
	id := a.calls
	switch m := msg.(type) {
	case stepMsg:
		m.id = id
		msg = m
	case setupMsg:
		m.id = id
		msg = m
	case enrolledMsg:
		m.id = id
		msg = m
	case testStepMsg:
		m.id = id
		msg = m
	case failedMsg:
		m.id = id
		msg = m
	case accountMsg:
		m.id = id
		msg = m
	default:
		t.Fatalf("%T is not an answer", msg)
	}
	a.Update(msg)
}

func press(a *App, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		case "shift+tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
		case "ctrl+c":
			msg = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "ctrl+o":
			msg = tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
		case "ctrl+r":
			msg = tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
		default:
			for _, r := range k {
				deliver(a, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		deliver(a, msg)
	}
}

// deliver sends msg and then every message its command reports at once
// (screens report what the person did through a command). Commands that
// wait (ticks) or call Cognito are not run.
func deliver(a *App, msg tea.Msg) {
	_, cmd := a.Update(msg)
	for _, m := range immediate(cmd) {
		a.Update(m)
	}
}

// immediate runs cmd when it is a screen's report (emit) and returns its
// message; other commands are left alone.
func immediate(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case m := <-done:
		switch m := m.(type) {
		case signInSubmitted, newPasswordSubmitted, codeSubmitted, testRequested, testCodeSubmitted, retryRequested,
			switchFlowRequested, challengeCodeSubmitted, choiceMade, replaceConfirmed, signInAgainRequested:
			return []tea.Msg{m}
		case tea.BatchMsg:
			var out []tea.Msg
			for _, c := range m {
				out = append(out, immediate(c)...)
			}
			return out
		}
	case <-time.After(50 * time.Millisecond):
	}
	return nil
}

func screenText(a *App) string { return ansi.Strip(a.View().Content) }

func testSetup() flow.Setup {
	return flow.Setup{
		Secret:   testSecret,
		URI:      flow.OTPAuthURI("AWSCognito", "demo-user", testSecret),
		Issuer:   "AWSCognito",
		Account:  "demo-user",
		Username: "demo-user",
		Session:  "session-from-associate-software-token",
		Expires:  testNow.Add(2*time.Minute + 41*time.Second),
	}
}

func mfaSetupStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeMFASetup, Session: "session-mfa-setup-0123456789",
		Username: "demo-user", Expires: testNow.Add(3 * time.Minute), CanSetup: []string{flow.ChallengeSoftwareToken}}
}

func newPasswordStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeNewPassword, Session: "session-new-password-0123456789",
		Username: "demo-user", Expires: testNow.Add(2*time.Minute + 41*time.Second)}
}

// screenWords is the screen's text with every run of spaces and line breaks
// made one space, so a check does not depend on where a sentence wraps.
func screenWords(a *App) string { return strings.Join(strings.Fields(screenText(a)), " ") }
