package ui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
)

// Signed-in paths (tokens, an access token, an authenticator to replace)
// and the new password's required attributes.

func TestExistingAuthenticatorCodeThenWarningThenReplace(t *testing.T) {
	a := signedInAt(t, softwareTokenStep(), 120, 40)
	press(a, "123456", "enter")
	if !a.running || a.last.op != opAnswerCode {
		t.Fatalf("running=%v op=%v, want the code sent", a.running, a.last.op)
	}
	reply(t, a, stepMsg{step: signedInStep()})
	if a.screen != screenReplace || a.running {
		t.Fatalf("screen %v running %v, want the warning and no call yet", a.screen, a.running)
	}
	if !strings.Contains(screenWords(a), "Its codes keep working while you set up a new one, and if you stop halfway. Once Cognito accepts a code from the new app, only the new app works.") {
		t.Errorf("no warning:\n%s", screenText(a))
	}
	press(a, "y")
	if !a.running || a.last.op != opBeginTOTP || a.step.Tokens == nil || a.step.Tokens.AccessToken != "access-token" {
		t.Fatalf("after y: running=%v op=%v, want BeginTOTP with the access token", a.running, a.last.op)
	}
	reply(t, a, setupMsg{setup: testSetup()})
	if a.screen != screenSecret {
		t.Errorf("screen %v, want the secret", a.screen)
	}
	press(a, "123456", "enter")
	reply(t, a, enrolledMsg{enrolled: flow.Enrolled{Username: "demo-user", Preferred: true}})
	if a.screen != screenDone || !strings.Contains(screenWords(a), "The old authenticator no longer works for demo-user. Delete its entry from your authenticator app") {
		t.Errorf("the done screen of a replacement does not say to delete the old entry:\n%s", screenText(a))
	}
}

// A first enrollment has no old entry to delete.
func TestFirstEnrollmentDoneSaysNothingOfAnOldApp(t *testing.T) {
	a := atDone(t, 120, 40)
	if w := screenWords(a); a.screen != screenDone || strings.Contains(w, "old authenticator") {
		t.Errorf("screen %v of a first enrollment mentions an old authenticator:\n%s", a.screen, screenText(a))
	}
}

func TestReplaceWarningQuitsWithN(t *testing.T) {
	a := signedInAt(t, softwareTokenStep(), 80, 24)
	press(a, "123456", "enter")
	reply(t, a, stepMsg{step: signedInStep()})
	if _, cmd := a.Update(keyPress("n")); !isQuit(cmd) || a.Outcome() != Quit {
		t.Errorf("n did not quit (outcome %v)", a.Outcome())
	}
}

func TestAccessTokenStartsWithoutSignIn(t *testing.T) {
	o := testOptions()
	o.AccessToken = "token-from-file"
	a := newTestApp(t, o, 80, 24)
	if a.Init() == nil || !a.running || a.last.op != opReadToken || a.screen != screenWorking {
		t.Fatalf("running=%v op=%v screen=%v, want the token read at once", a.running, a.last.op, a.screen)
	}
	step := flow.Step{Username: "token-user", Tokens: &flow.Tokens{AccessToken: "token-from-file"}}
	reply(t, a, accountMsg{step: step, account: flow.Account{Username: "token-user", HasTOTP: true}})
	if a.screen != screenReplace || !strings.Contains(screenWords(a), "token-user already has an authenticator app.") {
		t.Fatalf("screen %v, want the warning for token-user:\n%s", a.screen, screenText(a))
	}
	press(a, "enter")
	if a.last.op != opBeginTOTP || a.step.Tokens.AccessToken != "token-from-file" {
		t.Errorf("op %v, want BeginTOTP with the given token", a.last.op)
	}
	reply(t, a, setupMsg{setup: testSetup()})
	press(a, "123456", "enter")
	reply(t, a, enrolledMsg{enrolled: flow.Enrolled{Username: "token-user", Preferred: true}})
	if k := a.activeKeys(); k.Test.Enabled() || strings.Contains(screenWords(a), "Press t") {
		t.Error("a test sign-in is offered with no password to sign in with")
	}
}

func TestAccessTokenWithoutAuthenticatorGoesStraightToSetup(t *testing.T) {
	o := testOptions()
	o.AccessToken = "token-from-file"
	a := newTestApp(t, o, 80, 24)
	reply(t, a, accountMsg{step: signedInStep(), account: flow.Account{Username: "demo-user"}})
	if a.last.op != opBeginTOTP || !a.running {
		t.Errorf("op %v running %v, want BeginTOTP", a.last.op, a.running)
	}
}

func TestAccessTokenRefusedIsShownOnTheFailureScreen(t *testing.T) {
	o := testOptions()
	o.AccessToken = "old-token"
	a := newTestApp(t, o, 80, 24)
	reply(t, a, failedMsg{op: opReadToken, err: &flow.Error{Kind: flow.KindSessionExpired, Message: "Your sign-in is no longer valid. Sign in again to go on."}})
	if a.screen != screenFailure || !strings.Contains(screenWords(a), "Your sign-in is no longer valid.") {
		t.Errorf("screen %v:\n%s", a.screen, screenText(a))
	}
}

func TestRequiredAttributesGoWithTheNewPassword(t *testing.T) {
	step := newPasswordStep()
	step.RequiredAttributes = []string{"given_name", "family_name", "email"}
	step.UserAttributes = map[string]string{"email": "d@example.com"}
	a := signedInAt(t, step, 120, 40)
	if len(a.newPassword.attrs) != 2 || !strings.Contains(screenWords(a), "Given name:") {
		t.Fatalf("attrs %v:\n%s", a.newPassword.attrs, screenText(a))
	}
	press(a, "Brand-New-1!", "enter", "Brand-New-1!", "enter", "Ada", "enter", "Lovelace", "enter")
	if !a.running || a.last.op != opNewPassword {
		t.Fatalf("running=%v op=%v", a.running, a.last.op)
	}
	reply(t, a, failedMsg{op: opNewPassword, err: &flow.Error{Kind: flow.KindInvalidInput, Message: "Cognito refused a value: family_name is too short."}})
	if a.screen != screenNewPassword || a.newPassword.fields[3].Value() != "Lovelace" || a.newPassword.fields[0].Value() == "" {
		t.Errorf("the form was not kept after a refused value")
	}
	if !strings.Contains(screenWords(a), "family_name is too short.") {
		t.Errorf("no inline error:\n%s", screenText(a))
	}
}

func TestNewPasswordScreenReportsTheAttributes(t *testing.T) {
	s := newNewPasswordScreen(sharedStyles(true), "demo-user", []string{"given_name", "custom:team_id"})
	keys := DefaultKeyMap()
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	var cmd tea.Cmd
	for _, typed := range []string{"Brand-New-1!", "Brand-New-1!", "Ada", "T-7"} {
		for _, r := range typed {
			s, _ = s.Update(tea.KeyPressMsg{Code: r, Text: string(r)}, keys)
		}
		s, cmd = s.Update(enter, keys)
	}
	got, ok := cmd().(newPasswordSubmitted)
	want := newPasswordSubmitted{Password: "Brand-New-1!", Attributes: map[string]string{"given_name": "Ada", "custom:team_id": "T-7"}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("submitted %+v, want %+v", got, want)
	}
	if attributeLabel("custom:team_id") != "Team id" || attributeLabel("given_name") != "Given name" {
		t.Error("labels not readable")
	}
}
