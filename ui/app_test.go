package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
)

// Transitions of the root model: a message in, the next screen out.

func TestEnterOnUsernameMovesToPasswordAndEnterOnPasswordSubmits(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	press(a, "demo-user", "enter")
	if !a.signIn.onPassword || a.running {
		t.Fatalf("enter on the username: onPassword=%v running=%v, want the password focused and no call", a.signIn.onPassword, a.running)
	}
	press(a, "shift+tab")
	if a.signIn.onPassword {
		t.Fatal("shift+tab did not go back to the username")
	}
	press(a, "tab", "Passw0rd!", "enter")
	if !a.running || a.last.op != opSignIn {
		t.Fatalf("enter on the password: running=%v op=%v, want a sign-in call", a.running, a.last.op)
	}
	if a.username != "demo-user" || a.password != "Passw0rd!" {
		t.Errorf("kept username %q, password set %v", a.username, a.password != "")
	}
}

func TestInputsAreLockedWhileACallRuns(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	calls := a.calls
	press(a, "x", "enter")
	a.Update(tea.PasteMsg{Content: "pasted"})
	if got := a.signIn.password.Value(); got != "Passw0rd!" || a.calls != calls {
		t.Errorf("while signing in: password %q, calls %d->%d; want the form untouched and no new call", got, calls, a.calls)
	}
	if !strings.Contains(screenWords(a), "Signing in…") {
		t.Errorf("no spinner text while signing in:\n%s", screenText(a))
	}
}

func TestASecondSubmitWhileACallRunsIsIgnored(t *testing.T) {
	a := atSecret(t, testOptions(), 80, 24)
	calls := a.calls
	a.Update(codeSubmitted{Code: "123456"})
	a.Update(codeSubmitted{Code: "123456"}) // enter pressed twice: the session is one-use
	if a.calls != calls+1 {
		t.Errorf("%d calls started, want 1", a.calls-calls)
	}
	a = newTestApp(t, testOptions(), 80, 24)
	a.Update(codeSubmitted{Code: "123456"}) // a late report from a screen no longer shown
	if a.running {
		t.Error("a code was sent from the sign-in screen")
	}
}

func TestCognitoAnswerLeadsToItsScreen(t *testing.T) {
	cases := []struct {
		name   string
		step   flow.Step
		screen screen
		call   operation // the call started, when running
		text   string    // on screen
	}{
		{"new password", newPasswordStep(), screenNewPassword, -1, "Choose a new password"},
		{"MFA setup", mfaSetupStep(), screenWorking, opBeginTOTP, "Asking Cognito for a new secret…"},
		{"signed in (MFA optional)", signedInStep(), screenWorking, opBeginTOTP, "Asking Cognito for a new secret…"},
		{"authenticator already set up", softwareTokenStep(), screenCode, -1, "demo-user already has an authenticator app set up."},
		{"SMS code", smsStep(), screenCode, -1, "Cognito sent a code by text message to +*******1234."},
		{"email code", emailStep(), screenCode, -1, "Cognito sent a code by email to d***@e***.com."},
		{"choose a factor", selectMFAStep(), screenChoose, -1, "Text message (SMS)"},
		{"choose a factor, none offered", flow.Step{Challenge: flow.ChallengeSelectMFA, Session: "s", Username: "demo-user"}, screenFailure, -1,
			"offered none"},
		{"choose how to sign in", selectChallengeStep("WEB_AUTHN", "PASSWORD", "PASSWORD_SRP"), screenChoose, -1, "proved without sending it (SRP)"},
		{"no password method offered", selectChallengeStep("WEB_AUTHN", "EMAIL_OTP"), screenFailure, -1,
			"Cognito offered WEB_AUTHN, EMAIL_OTP for demo-user."},
		{"unknown challenge", flow.Step{Challenge: "CUSTOM_CHALLENGE", Session: "s", Username: "demo-user"}, screenFailure, -1,
			"Cognito asked for CUSTOM_CHALLENGE, which this version does not handle yet."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newTestApp(t, testOptions(), 120, 40)
			press(a, "demo-user", "enter", "Passw0rd!", "enter")
			reply(t, a, stepMsg{step: c.step})
			if a.screen != c.screen {
				t.Errorf("screen = %v, want %v", a.screen, c.screen)
			}
			if running := c.call >= 0; a.running != running || (running && a.last.op != c.call) {
				t.Errorf("running=%v op=%v, want running=%v op=%v", a.running, a.last.op, running, c.call)
			}
			if !strings.Contains(screenWords(a), c.text) {
				t.Errorf("screen does not say %q:\n%s", c.text, screenText(a))
			}
		})
	}
}

func TestBeginTOTPUsesTheStepCognitoGave(t *testing.T) {
	a := newTestApp(t, testOptions(), 120, 40)
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: mfaSetupStep()})
	reply(t, a, setupMsg{setup: testSetup()})
	if a.screen != screenSecret || a.setup.Secret != testSecret {
		t.Fatalf("screen %v, setup secret kept %v", a.screen, a.setup.Secret == testSecret)
	}
	if !a.expires.Equal(testSetup().Expires) || !strings.Contains(screenWords(a), "Session: 2:41 left") {
		t.Errorf("session clock not from the setup:\n%s", screenText(a))
	}
}

func TestSessionExpiredErrorReturnsToSignInKeepingTheUsername(t *testing.T) {
	a := atSecret(t, testOptions(), 80, 24)
	press(a, "123456", "enter")
	msg := "The sign-in session ran out of time (Cognito allows only a few minutes). Sign in again to go on."
	reply(t, a, failedMsg{op: opConfirmTOTP, err: &flow.Error{Kind: flow.KindSessionExpired, Op: "verify code", Message: msg}})
	if a.screen != screenSignIn {
		t.Fatalf("screen = %v, want sign-in", a.screen)
	}
	if got := a.signIn.username.Value(); got != "demo-user" {
		t.Errorf("username = %q, want it kept", got)
	}
	if a.signIn.password.Value() != "" || a.password != "" || a.setup.Secret != "" || !a.expires.IsZero() {
		t.Error("the password, secret or session outlived the session")
	}
	if !strings.Contains(screenWords(a), "Sign in again to go on.") {
		t.Errorf("the reason is not on screen:\n%s", screenText(a))
	}
}

func TestSessionClockRunningOutReturnsToSignIn(t *testing.T) {
	now := testNow
	o := testOptions()
	o.Now = func() time.Time { return now }
	a := atSecret(t, o, 80, 24)
	now = testSetup().Expires.Add(-time.Second)
	a.Update(clockTickMsg{})
	if a.screen != screenSecret || !strings.Contains(screenWords(a), "Session: 0:01 left") {
		t.Fatalf("one second before the end: screen %v\n%s", a.screen, screenText(a))
	}
	press(a, "123456", "enter") // a call in flight when time runs out
	now = testSetup().Expires
	_, cmd := a.Update(clockTickMsg{})
	if cmd != nil || a.ticking {
		t.Error("the clock still ticks with no session to count down")
	}
	if a.screen != screenSignIn || a.signIn.username.Value() != "demo-user" {
		t.Fatalf("screen %v username %q, want sign-in with the username", a.screen, a.signIn.username.Value())
	}
	if !strings.Contains(screenWords(a), "session ran out") {
		t.Errorf("no sentence saying why:\n%s", screenText(a))
	}
	// The call that was in flight answers late: it must not move the wizard.
	a.Update(enrolledMsg{id: a.calls - 1, enrolled: flow.Enrolled{Username: "demo-user"}})
	if a.screen != screenSignIn || a.Outcome() == Enrolled {
		t.Error("a late answer to an abandoned call moved the wizard")
	}
}

// The clock ticks only while something moves with time: under serve an idle
// sign-in screen that ticked would draw a frame a second for nothing.
func TestClockTicksOnlyWhileASessionIsHeld(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	if a.ticking || send(a, clockTickMsg{}) != nil {
		t.Fatal("the sign-in screen ticks with no session to count down")
	}
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: flow.Step{Challenge: flow.ChallengeMFASetup, Session: "session-mfa-setup-0123456789",
		Username: "demo-user", Expires: testNow.Add(3 * time.Minute)}})
	if !a.ticking {
		t.Fatal("a session began and the clock did not start")
	}
	if send(a, clockTickMsg{}) == nil || !a.ticking {
		t.Error("the clock stopped while the session is held")
	}
	if send(a, tea.KeyPressMsg{Code: 'x', Text: "x"}); !a.ticking {
		t.Error("the clock stopped")
	}
}

func TestFailuresLandWhereThePersonCanActOnThem(t *testing.T) {
	cases := []struct {
		name   string
		at     func(t *testing.T) *App
		op     operation
		kind   flow.Kind
		screen screen
		next   next // on the failure screen
	}{
		{"wrong password", atSignInCall, opSignIn, flow.KindBadCredentials, screenSignIn, 0},
		{"unknown user", atSignInCall, opSignIn, flow.KindUserNotFound, screenSignIn, 0},
		{"locked out", atSignInCall, opSignIn, flow.KindLockedOut, screenSignIn, 0},
		{"throttled", atSignInCall, opSignIn, flow.KindThrottled, screenFailure, nextRetry},
		{"unreachable", atSignInCall, opSignIn, flow.KindUnreachable, screenFailure, nextRetry},
		{"client secret", atSignInCall, opSignIn, flow.KindClientSecret, screenFailure, nextRestart},
		{"misconfigured", atSignInCall, opSignIn, flow.KindMisconfigured, screenFailure, nextRestart},
		{"password policy", atNewPasswordCall, opNewPassword, flow.KindPasswordPolicy, screenNewPassword, 0},
		{"TOTP not enabled", atBeginCall, opBeginTOTP, flow.KindTOTPNotEnabled, screenFailure, nextRestart},
		{"service error", atBeginCall, opBeginTOTP, flow.KindServiceError, screenFailure, nextRetry},
		{"forbidden", atConfirmCall, opConfirmTOTP, flow.KindForbidden, screenFailure, nextRestart},
		{"locked out by codes", atConfirmCall, opConfirmTOTP, flow.KindLockedOut, screenSignIn, 0},
		{"unexpected", atConfirmCall, opConfirmTOTP, flow.KindUnexpected, screenFailure, nextRestart},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.at(t)
			const sentence = "A sentence for a person."
			reply(t, a, failedMsg{op: c.op, err: &flow.Error{Kind: c.kind, Op: "do it", Message: sentence,
				Err: errors.New("raw cause with session abc123")}})
			if a.screen != c.screen || (c.screen == screenFailure && a.failure.next != c.next) {
				t.Errorf("screen %v next %v, want %v next %v", a.screen, a.failure.next, c.screen, c.next)
			}
			out := screenWords(a)
			if !strings.Contains(out, sentence) || strings.Contains(out, "raw cause") {
				t.Errorf("want the Message and never the cause on screen:\n%s", out)
			}
			if c.screen == screenSignIn && (a.signIn.username.Value() != "demo-user" || a.signIn.password.Value() != "") {
				t.Errorf("sign-in: username %q, password cleared %v", a.signIn.username.Value(), a.signIn.password.Value() == "")
			}
		})
	}
}

func TestNonFlowErrorNeverShowsItsText(t *testing.T) {
	a := atSignInCall(t)
	reply(t, a, failedMsg{op: opSignIn, err: errors.New("internal: panic at 0xdeadbeef")})
	out := screenWords(a)
	if a.screen != screenFailure || strings.Contains(out, "0xdeadbeef") || !strings.Contains(out, "Could not sign in") {
		t.Errorf("screen %v:\n%s", a.screen, out)
	}
}

func TestRetryRerunsTheFailedCall(t *testing.T) {
	a := atBeginCall(t)
	reply(t, a, failedMsg{op: opBeginTOTP, err: &flow.Error{Kind: flow.KindUnreachable, Message: "No network."}})
	calls := a.calls
	press(a, "r")
	if !a.running || a.last.op != opBeginTOTP || a.calls != calls+1 || a.screen != screenWorking {
		t.Errorf("after r: running=%v op=%v screen=%v", a.running, a.last.op, a.screen)
	}
}

func TestRetryAfterConfigurationErrorStartsOver(t *testing.T) {
	a := atBeginCall(t)
	reply(t, a, failedMsg{op: opBeginTOTP, err: &flow.Error{Kind: flow.KindMisconfigured, Message: "No such pool."}})
	press(a, "r")
	if a.running || a.screen != screenSignIn || a.signIn.username.Value() != "demo-user" {
		t.Errorf("after r: running=%v screen=%v username=%q", a.running, a.screen, a.signIn.username.Value())
	}
}

func TestQuitKeysAndOutcome(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	press(a, "q")
	if a.signIn.username.Value() != "q" {
		t.Error("q did not go into the focused username field")
	}
	if _, cmd := a.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}); !isQuit(cmd) || a.Outcome() != Interrupted {
		t.Errorf("ctrl+c: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}

	a = atBeginCall(t)
	reply(t, a, failedMsg{op: opBeginTOTP, err: &flow.Error{Kind: flow.KindForbidden, Message: "Blocked."}})
	if _, cmd := a.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}); !isQuit(cmd) || a.Outcome() != Failed {
		t.Errorf("q on the failure screen: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}

	a = atBeginCall(t)
	reply(t, a, failedMsg{op: opBeginTOTP, err: &flow.Error{Kind: flow.KindUnreachable, Message: "No network."}})
	if _, cmd := a.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}); !isQuit(cmd) || a.Outcome() != Interrupted {
		t.Errorf("ctrl+c on the failure screen: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}

	a = atDone(t, 80, 24)
	if _, cmd := a.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); !isQuit(cmd) || a.Outcome() != Enrolled {
		t.Errorf("enter on the done screen: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}
	a = atDone(t, 80, 24)
	if _, cmd := a.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}); !isQuit(cmd) || a.Outcome() != Enrolled {
		t.Errorf("ctrl+c after enrolling: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}

	a = newTestApp(t, testOptions(), 80, 24)
	press(a, "demo-user", "enter", "pw", "enter")
	reply(t, a, stepMsg{step: mfaSetupStep()})
	if _, cmd := a.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}); !isQuit(cmd) || a.Outcome() != Quit {
		t.Errorf("q while the setup starts: quit=%v outcome=%v", isQuit(cmd), a.Outcome())
	}
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestHelpLineShowsOnlyKeysThatWork(t *testing.T) {
	helpLine := func(a *App) string {
		lines := strings.Split(screenText(a), "\n")
		return lines[len(lines)-1]
	}
	a := atSecret(t, testOptions(), 120, 40)
	if got := helpLine(a); !strings.Contains(got, "enter check code") || !strings.Contains(got, "ctrl+c quit") ||
		strings.Contains(got, "q quit") || strings.Contains(got, "retry") || strings.Contains(got, "tab") {
		t.Errorf("secret screen help: %q", got)
	}
	reply2 := func() { press(a, "123456", "enter") }
	reply2()
	if got := helpLine(a); got != " ctrl+c quit" {
		t.Errorf("help while checking the code: %q", got)
	}
	reply(t, a, failedMsg{op: opConfirmTOTP, err: &flow.Error{Kind: flow.KindThrottled, Message: "Slow down."}})
	if got := helpLine(a); !strings.Contains(got, "r retry") || !strings.Contains(got, "q quit") || strings.Contains(got, "enter") {
		t.Errorf("failure screen help: %q", got)
	}
}

func atSignInCall(t *testing.T) *App {
	a := newTestApp(t, testOptions(), 120, 40)
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	return a
}

func atNewPasswordCall(t *testing.T) *App {
	a := atNewPassword(t, 120, 40)
	press(a, "short", "enter", "short", "enter")
	return a
}

func atBeginCall(t *testing.T) *App {
	a := atSignInCall(t)
	reply(t, a, stepMsg{step: mfaSetupStep()})
	return a
}

func atConfirmCall(t *testing.T) *App {
	a := atSecret(t, testOptions(), 120, 40)
	press(a, "123456", "enter")
	return a
}

func TestAPanicInACallIsAFailureOnScreen(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	cmd := a.cognito.run(7, opSignIn, func(context.Context) (tea.Msg, error) { panic("boom with a secret s3cr3t") })
	msg := cmd()
	f, ok := msg.(failedMsg)
	if !ok || f.id != 7 || flow.KindOf(f.err) != flow.KindUnexpected {
		t.Fatalf("got %#v", msg)
	}
	if strings.Contains(f.err.Error(), "s3cr3t") || strings.Contains(f.err.Error(), "boom") {
		t.Fatalf("the panic's value reached the message: %v", f.err)
	}
}
