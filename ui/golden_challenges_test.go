package ui

import (
	"testing"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// Goldens of the challenges before the setup (see TestGoldenScreens).
var challengeGoldens = []struct {
	name  string
	build func(t *testing.T, w, h int) *App
}{
	{"code_sms_demo_outbox", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.Demo = &Demo{Username: "sms-user", Password: "Demo-Perm-1234!", LatestCode: func(string) (DemoCode, bool) {
			return DemoCode{Medium: "SMS", Destination: "+*******1234", Code: "123456"}, true
		}}
		a := newTestApp(t, o, w, h)
		press(a, "Demo-Perm-1234!", "enter")
		_, cmd := a.Update(stepMsg{id: a.calls, step: smsStep()})
		a.Update(firstMsg(cmd))
		return a
	}},
	{"code_email", func(t *testing.T, w, h int) *App {
		return signedInAt(t, emailStep(), w, h)
	}},
	{"code_totp", func(t *testing.T, w, h int) *App {
		return signedInAt(t, softwareTokenStep(), w, h)
	}},
	{"code_sms_wrong", func(t *testing.T, w, h int) *App {
		a := signedInAt(t, smsStep(), w, h)
		press(a, "111111", "enter")
		reply(t, a, failedMsg{op: opAnswerCode, err: wrongCode()})
		return a
	}},
	{"code_expired", func(t *testing.T, w, h int) *App {
		a := signedInAt(t, smsStep(), w, h)
		press(a, "111111", "enter")
		reply(t, a, failedMsg{op: opAnswerCode, err: &flow.Error{Kind: flow.KindExpiredCode, Op: "sign in",
			Key: i18n.ErrExpiredCode, Message: "That code has expired. Ask for a new one and use it straight away."}})
		return a
	}},
	{"choose_factor", func(t *testing.T, w, h int) *App {
		s := selectMFAStep()
		s.CanChoose = []string{flow.ChallengeSMS, flow.ChallengeEmailOTP, flow.ChallengeSoftwareToken}
		a := signedInAt(t, s, w, h)
		press(a, "down")
		return a
	}},
	{"select_challenge", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.AuthFlow = flow.AuthChoice
		a := newTestApp(t, o, w, h)
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		reply(t, a, stepMsg{step: selectChallengeStep("WEB_AUTHN", "PASSWORD", "PASSWORD_SRP")})
		return a
	}},
	{"replace_warning", func(t *testing.T, w, h int) *App {
		a := signedInAt(t, softwareTokenStep(), w, h)
		press(a, "123456", "enter")
		reply(t, a, stepMsg{step: signedInStep()})
		return a
	}},
	{"done_replaced", func(t *testing.T, w, h int) *App {
		a := signedInAt(t, softwareTokenStep(), w, h)
		press(a, "123456", "enter")
		reply(t, a, stepMsg{step: signedInStep()})
		press(a, "y")
		reply(t, a, setupMsg{setup: testSetup()})
		press(a, "654321", "enter")
		reply(t, a, enrolledMsg{enrolled: flow.Enrolled{Username: "demo-user", Preferred: true}})
		return a
	}},
	{"newpassword_attributes_refused", func(t *testing.T, w, h int) *App {
		step := newPasswordStep()
		step.RequiredAttributes = []string{"given_name", "phone_number"}
		a := signedInAt(t, step, w, h)
		press(a, "Brand-New-1!", "enter", "Brand-New-1!", "enter", "Ada", "enter", "12345", "enter")
		reply(t, a, failedMsg{op: opNewPassword, err: &flow.Error{Kind: flow.KindInvalidInput, Op: "set new password",
			Key: i18n.ErrInvalidValue, Vars: map[string]string{"Cognito": "Invalid phone number format."}, Message: "Cognito refused a value: Invalid phone number format."}})
		return a
	}},
	{"signin_flow_not_enabled", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		reply(t, a, failedMsg{op: opSignIn, err: flowNotEnabled()})
		return a
	}},
	{"signin_demo_users", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.Demo = &Demo{Username: "demo", Password: "Demo-Temp-1234!", Users: []DemoUser{
			{"demo", "Demo-Temp-1234!", i18n.DemoStoryDemo, ""},
			{"sms-user", "Demo-Perm-1234!", i18n.DemoStorySMS, ""},
			{"email-user", "Demo-Perm-1234!", i18n.DemoStoryEmail, ""},
			{"choose-user", "Demo-Perm-1234!", i18n.DemoStoryChoose, ""},
			{"totp-user", "Demo-Perm-1234!", i18n.DemoStoryTOTP, "JBSWY3DPEHPK3PXP"},
		}}
		return newTestApp(t, o, w, h)
	}},
	{"token_reading", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.AccessToken = "token-from-file"
		return newTestApp(t, o, w, h)
	}},
}
