package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// What the screens do with what the person types, and where Cognito's
// answers about codes land.

func TestWrongCodeKeepsTheSecretAndClearsTheInput(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	press(a, "123456", "enter")
	reply(t, a, failedMsg{op: opConfirmTOTP, err: wrongCode()})
	if a.screen != screenSecret || a.setup.Secret != testSecret {
		t.Fatalf("screen %v, secret kept %v", a.screen, a.setup.Secret == testSecret)
	}
	if a.secret.code.input.Value() != "" {
		t.Errorf("input = %q, want it cleared", a.secret.code.input.Value())
	}
	out := screenWords(a)
	for _, want := range []string{"That code was not accepted.", "Amazon Cognito's clock says 04:05:06 UTC", flow.GroupSecret(testSecret)} {
		if !strings.Contains(out, want) {
			t.Errorf("screen does not show %q:\n%s", want, out)
		}
	}
	press(a, "654321", "enter")
	if !a.running || a.last.op != opConfirmTOTP {
		t.Error("a second code was not sent")
	}
}

func TestBadCodeIsRefusedWithoutACall(t *testing.T) {
	for _, typed := range []string{"12345", "abcdef", "1234567"} {
		a := atSecret(t, testOptions(), 120, 40)
		calls := a.calls
		press(a, typed, "enter")
		if a.running || a.calls != calls {
			t.Errorf("%q: a call was made", typed)
		}
		_, want := flow.NormalizeCode(typed)
		if !strings.Contains(screenWords(a), sentenceOf(i18n.English(), want)) {
			t.Errorf("%q: the KindBadCode message %q is not on screen", typed, sentenceOf(i18n.English(), want))
		}
	}
}

func TestPastedCodeBecomesSixDigits(t *testing.T) {
	for _, pasted := range []string{"123 456", "Your code is 123456", "123-456\n"} {
		s := newSecretScreen(sharedStyles(true), i18n.English(), testSetup())
		keys := DefaultKeyMap()
		s, _ = s.Update(tea.PasteMsg{Content: pasted}, keys)
		if got := s.code.input.Value(); got != "123456" {
			t.Errorf("%q pasted: the field shows %q, want 123456", pasted, got)
		}
		s, cmd := s.Update(tea.KeyPressMsg{Code: tea.KeyEnter}, keys)
		if cmd == nil {
			t.Errorf("%q: enter after the paste submitted nothing (problem %q)", pasted, s.code.problem)
			continue
		}
		if got, ok := cmd().(codeSubmitted); !ok || got.Code != "123456" {
			t.Errorf("%q: submitted %#v, want 123456", pasted, cmd())
		}
	}
}

func TestPastedTextWithoutACodeIsRefused(t *testing.T) {
	s := newSecretScreen(sharedStyles(true), i18n.English(), testSetup())
	s, _ = s.Update(tea.PasteMsg{Content: "hello world"}, DefaultKeyMap())
	_, want := flow.NormalizeCode("hello world")
	if s.code.input.Value() != "" || s.code.problem != sentenceOf(i18n.English(), want) {
		t.Errorf("field %q, problem %q; want empty and %q", s.code.input.Value(), s.code.problem, sentenceOf(i18n.English(), want))
	}
}

func TestTestSignInOnTheDoneScreen(t *testing.T) {
	a := atDone(t, 120, 40)
	a.password = "New-Passw0rd!"
	press(a, "t")
	if !a.running || a.last.op != opTestSignIn {
		t.Fatalf("t: running=%v op=%v", a.running, a.last.op)
	}
	reply(t, a, testStepMsg{op: opTestSignIn, step: softwareTokenStep()})
	if !a.done.inputFocused() || !strings.Contains(screenWords(a), "Wait for the app to show a new one") {
		t.Fatalf("no request for a new code:\n%s", screenText(a))
	}
	press(a, "12345", "enter")
	if a.running {
		t.Fatal("a 5-digit test code was sent")
	}
	press(a, "backspace", "backspace", "backspace", "backspace", "backspace", "654321", "enter")
	if !a.running || a.last.op != opTestCode {
		t.Fatalf("code: running=%v op=%v", a.running, a.last.op)
	}
	reply(t, a, failedMsg{op: opTestCode, err: wrongCode()})
	if !a.done.inputFocused() || !strings.Contains(screenWords(a), "That code was not accepted.") {
		t.Fatalf("wrong test code:\n%s", screenText(a))
	}
	press(a, "111111", "enter")
	reply(t, a, testStepMsg{op: opTestCode, step: signedInStep()})
	if a.done.test != testWorked || !strings.Contains(screenWords(a), "Test sign-in worked") {
		t.Errorf("after the signed-in answer:\n%s", screenText(a))
	}
}

func TestTestSignInSaysWhatFailed(t *testing.T) {
	cases := []struct {
		name   string
		answer tea.Msg
		want   string
	}{
		{"no code asked", testStepMsg{op: opTestSignIn, step: signedInStep()}, "signed in without asking for a code"},
		{"other challenge", testStepMsg{op: opTestSignIn, step: flow.Step{Challenge: flow.ChallengeSMS, Session: "s"}}, "Cognito asked for SMS_MFA instead"},
		{"error", failedMsg{op: opTestSignIn, err: &flow.Error{Kind: flow.KindBadCredentials, Message: "The username or password is not right."}},
			"Test sign-in failed. The username or password is not right."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := atDone(t, 120, 40)
			press(a, "t")
			reply(t, a, c.answer)
			if a.screen != screenDone || a.done.test != testFailed || !strings.Contains(screenWords(a), c.want) {
				t.Errorf("screen %v test %v:\n%s", a.screen, a.done.test, screenText(a))
			}
		})
	}
}

func TestPasswordNeverOnScreen(t *testing.T) {
	o := testOptions()
	a := newTestApp(t, o, 120, 40)
	press(a, "demo-user", "enter", "Sup3r-Secret!")
	if strings.Contains(screenWords(a), "Sup3r-Secret!") || !strings.Contains(screenWords(a), "•••••••••••••") {
		t.Errorf("password not masked:\n%s", screenText(a))
	}
}

func TestCopyKeySendsTheSecretToTheClipboard(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'y', Mod: tea.ModCtrl})
	if cmd == nil || a.secret.code.input.Value() != "" {
		t.Fatal("ctrl+y did not copy, or typed into the code field")
	}
	if got, want := cmd(), tea.SetClipboard(testSecret)(); got != want {
		t.Errorf("ctrl+y sent %#v, want the secret to the clipboard", got)
	}
	if !strings.Contains(screenWords(a), "Secret sent to your clipboard") {
		t.Errorf("nothing says the secret was copied:\n%s", screenText(a))
	}
}

func TestCopyURIKeySendsTheOtpauthURIToTheClipboard(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	if !strings.Contains(screenWords(a), "ctrl+l copy URI") {
		t.Errorf("the help line does not offer ctrl+l:\n%s", screenText(a))
	}
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl})
	if cmd == nil || a.secret.code.input.Value() != "" {
		t.Fatal("ctrl+l did not copy, or typed into the code field")
	}
	// tea's clipboard message is unexported: compare with the one SetClipboard makes.
	got, want := cmd(), tea.SetClipboard(testSetup().URI)()
	if got != want || fmt.Sprint(got) != testSetup().URI {
		t.Errorf("ctrl+l sent %T %#v, want the otpauth URI to the clipboard", got, got)
	}
	if !strings.Contains(screenWords(a), "otpauth URI sent to your clipboard (if the terminal allows it).") {
		t.Errorf("nothing says the URI was copied:\n%s", screenText(a))
	}
}

func TestCopyURIKeyLeavesTheCodeFieldsEditingKeysAlone(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	press(a, "123")
	a.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	if a.secret.code.input.Value() != "" || a.secret.copied != "" {
		t.Errorf("ctrl+u should still delete to the line start and copy nothing: value %q, copied %q",
			a.secret.code.input.Value(), a.secret.copied)
	}
}

// The hint after a refused code shows Cognito's time, and says this
// computer's clock is off only when it is more than 30 s from Cognito's.
func TestClockHintIsCognitosTime(t *testing.T) {
	for _, c := range []struct {
		offset time.Duration
		time   string
		off    bool
	}{{0, "04:05:06", false}, {30 * time.Second, "04:05:36", false}, {-31 * time.Second, "04:04:35", true}, {7 * time.Minute, "04:12:06", true}} {
		a := atSecretRefused(t, 120, 40, causeError(flow.CauseReused, i18n.ErrCodeReused), c.offset)
		out := screenWords(a)
		if !strings.Contains(out, "Amazon Cognito's clock says "+c.time+" UTC.") {
			t.Errorf("offset %v: no Cognito time %s:\n%s", c.offset, c.time, out)
		}
		if got := strings.Contains(out, "This computer's clock is about"); got != c.off {
			t.Errorf("offset %v: this computer's clock said off: %v, want %v", c.offset, got, c.off)
		}
	}
}
