package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
)

// The session clock's story: a warning in words before the
// session ends, back to sign-in with the username kept when it does, and a
// plain word that the secret after it is a new one.
func TestSessionWarningExpiryAndFreshSecret(t *testing.T) {
	now := testNow
	o := testOptions()
	o.Now = func() time.Time { return now }
	a := atSecret(t, o, 120, 40)
	const warning = "Less than 30 seconds left on Cognito's session"
	if strings.Contains(screenWords(a), warning) {
		t.Fatal("the warning shows with minutes left")
	}
	now = testSetup().Expires.Add(-20 * time.Second)
	send(a, clockTickMsg{})
	if !strings.Contains(screenWords(a), warning) {
		t.Fatalf("no warning 20 s before the end:\n%s", screenText(a))
	}

	now = testSetup().Expires.Add(time.Second)
	send(a, clockTickMsg{})
	words := screenWords(a)
	if a.screen != screenSignIn || !strings.Contains(words, "Username: demo-user") || !strings.Contains(words, "you get a new one") {
		t.Fatalf("after the session ended:\n%s", screenText(a))
	}

	press(a, "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: flow.Step{Challenge: flow.ChallengeMFASetup, Session: "session-mfa-setup-second-one",
		Username: "demo-user", Expires: now.Add(3 * time.Minute)}})
	second := testSetup()
	second.Secret, second.Expires = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", now.Add(3*time.Minute)
	second.URI = flow.OTPAuthURI("AWSCognito", "demo-user", second.Secret)
	reply(t, a, setupMsg{setup: second})
	if !strings.Contains(screenWords(a), "This is a new secret") {
		t.Fatalf("the new secret is not said to be new:\n%s", screenText(a))
	}

	// Said once: a later secret in a session that did not die is not "new".
	a.toSignIn("")
	if a.lostSecret != true {
		t.Fatal("leaving a live MFA_SETUP secret also loses it")
	}
}

func TestAccessTokenSecretIsNotLostWithASession(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	a.setup.Session, a.setup.AccessToken = "", "access-token"
	a.toSignIn("Why.")
	if a.lostSecret || strings.Contains(screenWords(a), "new one") {
		t.Fatal("an access-token setup holds no session to lose its secret with")
	}
}

func TestRefusedCodesAreCountedAgainstTheLockout(t *testing.T) {
	a := atSecret(t, testOptions(), 120, 40)
	wrong := &flow.Error{Kind: flow.KindWrongCode, Op: "verify code", Message: "That code was not accepted."}
	press(a, "111111", "enter")
	reply(t, a, failedMsg{op: opConfirmTOTP, err: wrong})
	if strings.Contains(screenWords(a), "refused so far") {
		t.Fatal("one wrong code needs no count yet")
	}
	press(a, "222222", "enter")
	reply(t, a, failedMsg{op: opConfirmTOTP, err: wrong})
	if !strings.Contains(screenWords(a), "2 codes refused so far") {
		t.Fatalf("no count after two wrong codes:\n%s", screenText(a))
	}
	if !strings.Contains(screenWords(a), "04:05:06 UTC") {
		t.Fatal("the clock hint went missing")
	}
}
