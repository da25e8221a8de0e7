package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

func keyPress(k string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(k[0]), Text: k} }

// The sign-in's challenges before the setup: a message in, the screen out.

func smsStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeSMS, Session: "session-sms-0123456789", Username: "sms-user",
		Expires: testNow.Add(3 * time.Minute), DeliveryMedium: "SMS", DeliveryTo: "+*******1234"}
}

func emailStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeEmailOTP, Session: "session-email-0123456789", Username: "email-user",
		Expires: testNow.Add(3 * time.Minute), DeliveryMedium: "EMAIL", DeliveryTo: "d***@e***.com"}
}

func selectMFAStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeSelectMFA, Session: "session-select-0123456789", Username: "demo-user",
		Expires: testNow.Add(3 * time.Minute), CanChoose: []string{flow.ChallengeSMS, flow.ChallengeSoftwareToken}}
}

func selectChallengeStep(available ...string) flow.Step {
	return flow.Step{Challenge: flow.ChallengeSelect, Session: "session-select-challenge-0123456789", Username: "demo-user",
		Expires: testNow.Add(3 * time.Minute), Available: available}
}

func flowNotEnabled() *flow.Error {
	return &flow.Error{Kind: flow.KindFlowNotEnabled, Op: "sign in", Key: i18n.ErrFlowNotEnabled, Vars: map[string]string{"Flow": "USER_SRP_AUTH"},
		Message: "This app client does not allow signing in with USER_SRP_AUTH. Turn on ALLOW_USER_SRP_AUTH in the app client's authentication flows, or sign in another way."}
}

// signedInAt signs in demo-user and answers with step.
func signedInAt(t *testing.T, step flow.Step, w, h int) *App {
	t.Helper()
	a := newTestApp(t, testOptions(), w, h)
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: step})
	return a
}

func TestSignInUsesTheConfiguredFlowSRPByDefault(t *testing.T) {
	if a := New(testOptions()); a.authFlow != flow.AuthSRP {
		t.Errorf("default flow = %q, want srp", a.authFlow)
	}
	o := testOptions()
	o.AuthFlow = flow.AuthPassword
	a := newTestApp(t, o, 120, 40)
	if !strings.Contains(screenWords(a), "USER_PASSWORD_AUTH") {
		t.Errorf("the sign-in screen does not say which flow:\n%s", screenText(a))
	}
}

func TestFlowNotEnabledOffersTheOtherFlow(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	press(a, "demo-user", "enter", "Passw0rd!", "enter")
	reply(t, a, failedMsg{op: opSignIn, err: flowNotEnabled()})
	if a.screen != screenSignIn || a.running {
		t.Fatalf("screen %v running %v, want the sign-in screen", a.screen, a.running)
	}
	out := screenWords(a)
	for _, want := range []string{"ALLOW_USER_SRP_AUTH", "Press ctrl+o to sign in with the password (USER_PASSWORD_AUTH) instead.", "ctrl+o sign in with password"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen does not say %q:\n%s", want, screenText(a))
		}
	}
	press(a, "ctrl+o")
	if !a.running || a.last.op != opSignIn || a.authFlow != flow.AuthPassword {
		t.Fatalf("after ctrl+o: running=%v op=%v flow=%q, want a password sign-in", a.running, a.last.op, a.authFlow)
	}
	if a.username != "demo-user" || a.password != "Passw0rd!" {
		t.Errorf("the switch lost the credentials: %q, password kept %v", a.username, a.password != "")
	}
	reply(t, a, stepMsg{step: mfaSetupStep()})
	if a.last.op != opBeginTOTP {
		t.Errorf("op = %v after the other flow signed in, want BeginTOTP", a.last.op)
	}
}

func TestCtrlOOnlyAfterAFlowWasRefused(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	press(a, "demo-user", "enter", "Passw0rd!", "ctrl+o")
	if a.running || a.authFlow != flow.AuthSRP {
		t.Errorf("ctrl+o with nothing refused: running=%v flow=%q", a.running, a.authFlow)
	}
}

func TestSMSCodeWrongThenRight(t *testing.T) {
	a := signedInAt(t, smsStep(), 80, 24)
	press(a, "111111", "enter")
	reply(t, a, failedMsg{op: opAnswerCode, err: wrongCode()})
	if a.screen != screenCode || a.code.code.input.Value() != "" || !strings.Contains(screenWords(a), "That code was not accepted. Check it against the latest text message") {
		t.Fatalf("screen %v input %q:\n%s", a.screen, a.code.code.input.Value(), screenText(a))
	}
	press(a, "222222", "enter")
	if !a.running || a.last.op != opAnswerCode {
		t.Fatal("the second code was not sent")
	}
	reply(t, a, stepMsg{step: signedInStep()})
	if a.screen != screenWorking || a.last.op != opBeginTOTP {
		t.Errorf("screen %v op %v, want the access-token setup (no warning: no authenticator yet)", a.screen, a.last.op)
	}
}

func TestExpiredOrLockedCodeOffersSignInAgain(t *testing.T) {
	for _, kind := range []flow.Kind{flow.KindExpiredCode, flow.KindLockedOut} {
		a := signedInAt(t, emailStep(), 80, 24)
		press(a, "111111", "enter")
		reply(t, a, failedMsg{op: opAnswerCode, err: &flow.Error{Kind: kind, Message: "Sentence for " + kind.String() + "."}})
		if a.screen != screenCode || !a.code.stopped || !strings.Contains(screenWords(a), "Sentence for "+kind.String()+".") {
			t.Fatalf("%v: screen %v stopped %v:\n%s", kind, a.screen, a.code.stopped, screenText(a))
		}
		press(a, "r")
		if a.screen != screenSignIn || a.signIn.username.Value() != "demo-user" || a.signIn.password.Value() != "" {
			t.Errorf("%v: r: screen %v username %q", kind, a.screen, a.signIn.username.Value())
		}
	}
}

func TestDemoOutboxShowsTheCodeSent(t *testing.T) {
	o := testOptions()
	o.Demo = &Demo{Username: "sms-user", Password: "pw", LatestCode: func(user string) (DemoCode, bool) {
		if user != "sms-user" {
			return DemoCode{}, false
		}
		return DemoCode{Medium: "SMS", Destination: "+*******1234", Code: "123456"}, true
	}}
	a := newTestApp(t, o, 80, 24)
	press(a, "Passw0rd!", "enter")
	_, cmd := a.Update(stepMsg{id: a.calls, step: smsStep()})
	if cmd == nil {
		t.Fatal("no outbox read on the code screen")
	}
	a.Update(firstMsg(cmd))
	if !strings.Contains(screenWords(a), "Local demo outbox: the code sent by SMS to +*******1234 is 123456") {
		t.Errorf("no outbox line:\n%s", screenText(a))
	}
}

func TestChoosingAFactorSendsIt(t *testing.T) {
	a := signedInAt(t, selectMFAStep(), 80, 24)
	press(a, "down", "enter")
	if !a.running || a.last.op != opChooseMFA || a.choose.choices[a.choose.cursor] != flow.ChallengeSoftwareToken {
		t.Fatalf("running=%v op=%v choice=%v", a.running, a.last.op, a.choose.choices[a.choose.cursor])
	}
	if !a.hasTOTP {
		t.Error("an account that can choose TOTP has one: a new one replaces it")
	}
	reply(t, a, stepMsg{step: softwareTokenStep()})
	if a.screen != screenCode {
		t.Errorf("screen %v, want the code", a.screen)
	}
}

func TestSelectChallengeOffersPasswordMethodsSRPFirst(t *testing.T) {
	a := signedInAt(t, selectChallengeStep("WEB_AUTHN", "PASSWORD", "PASSWORD_SRP"), 80, 24)
	if got := strings.Join(a.choose.choices, ","); got != "PASSWORD_SRP,PASSWORD" {
		t.Errorf("choices %s, want PASSWORD_SRP,PASSWORD", got)
	}
	press(a, "enter")
	if !a.running || a.last.op != opSelectChallenge || a.password != "Passw0rd!" {
		t.Errorf("running=%v op=%v password kept %v", a.running, a.last.op, a.password != "")
	}
}

func TestManyDemoUsersFoldIntoOneLineAt80x24(t *testing.T) {
	o := testOptions()
	o.Demo = &Demo{Username: "demo", Password: "Demo-Temp-1234!"}
	for _, name := range []string{"demo", "sms-user", "email-user", "totp-user", "optional-user", "locked-user", "profile-user", "select-user", "choice-user", "x-user", "y-user"} {
		o.Demo.Users = append(o.Demo.Users, DemoUser{name, "Demo-Perm-1234!", i18n.DemoStoryDemo, ""})
	}
	a := newTestApp(t, o, 80, 24)
	out := screenWords(a)
	if !strings.Contains(out, "demo / Demo-Perm-1234! — first sign-in: a new password, then the app") ||
		!strings.Contains(out, "other demo users: sms-user, email-user, totp-user,") || !strings.Contains(out, "(password Demo-Perm-1234!)") ||
		!strings.Contains(out, "Password:") {
		t.Errorf("not folded:\n%s", screenText(a))
	}
	if a = newTestApp(t, o, 120, 40); !strings.Contains(screenWords(a), "y-user / Demo-Perm-1234! — first sign-in: a new password, then the app") {
		t.Errorf("120x40 has room for every user:\n%s", screenText(a))
	}
}

func TestOutboxDestinationIsMaskedAsCognitoDoes(t *testing.T) {
	for in, want := range map[string]string{"+15555550100": "+*******0100", "demo@example.com": "d***@e***", "+*******1234": "+*******1234"} {
		if got := maskDestination(in); got != want {
			t.Errorf("maskDestination(%q) = %q, want %q", in, got, want)
		}
	}
}
