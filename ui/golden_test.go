package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// goldenSizes are the windows every screen is pinned at: the smallest the
// wizard supports, the classic terminal, a roomy one and the largest.
var goldenSizes = [][2]int{{60, 20}, {80, 24}, {120, 40}, {200, 60}}

// Goldens pin what a person sees on each screen at goldenSizes, without
// colour. Refresh them with: go test ./ui -update
func TestGoldenScreens(t *testing.T) {
	for _, sc := range append(goldenScreens, challengeGoldens...) {
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				a := sc.build(t, size[0], size[1])
				golden.RequireEqual(t, []byte(screenText(a)))
			})
		}
	}
}

// translatedSizes are the windows the other languages are pinned at: the
// classic terminal and the smallest the wizard supports.
var translatedSizes = [][2]int{{80, 24}, {60, 20}}

// TestGoldenScreensTranslated pins every screen in each language besides
// English at translatedSizes. The language is passed explicitly; nothing
// depends on the machine's LANG.
func TestGoldenScreensTranslated(t *testing.T) {
	for _, tag := range i18n.Languages()[1:] {
		for _, sc := range append(goldenScreens, challengeGoldens...) {
			for _, size := range translatedSizes {
				t.Run(fmt.Sprintf("%s/%s/%dx%d", tag, sc.name, size[0], size[1]), func(t *testing.T) {
					a := buildIn(t, i18n.For(tag), sc.build, size[0], size[1])
					golden.RequireEqual(t, []byte(screenText(a)))
				})
			}
		}
	}
}

// buildIn builds a screen with the wizard speaking lang.
func buildIn(t *testing.T, lang *i18n.Localizer, build func(t *testing.T, w, h int) *App, w, h int) *App {
	t.Helper()
	screenLang = lang
	defer func() { screenLang = nil }()
	return build(t, w, h)
}

var goldenScreens = []struct {
	name  string
	build func(t *testing.T, w, h int) *App
}{
	{"signin_empty", func(t *testing.T, w, h int) *App {
		return newTestApp(t, testOptions(), w, h)
	}},
	{"signin_demo", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.Demo = testDemo
		return newTestApp(t, o, w, h)
	}},
	{"signin_error", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter", "wrong-password", "enter")
		reply(t, a, failedMsg{op: opSignIn, err: &flow.Error{Kind: flow.KindBadCredentials, Op: "sign in",
			Key: i18n.ErrBadCredentials, Message: "The username or password is not right. Check both and try again."}})
		return a
	}},
	{"signin_spinner", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		return a
	}},
	{"newpassword_policy", func(t *testing.T, w, h int) *App {
		a := atNewPassword(t, w, h)
		press(a, "short", "enter", "short", "enter")
		reply(t, a, failedMsg{op: opNewPassword, err: &flow.Error{Kind: flow.KindPasswordPolicy, Op: "set new password",
			Key: i18n.ErrPasswordPolicy, Vars: map[string]string{"Cognito": "Password not long enough."}, Message: "The new password does not meet the pool's rules: Password not long enough."}})
		return a
	}},
	{"newpassword_mismatch", func(t *testing.T, w, h int) *App {
		a := atNewPassword(t, w, h)
		press(a, "Brand-New-1!", "enter", "Brand-New-2!", "enter")
		return a
	}},
	{"working_spinner", func(t *testing.T, w, h int) *App {
		a := atNewPassword(t, w, h)
		press(a, "Brand-New-1!", "enter", "Brand-New-1!", "enter")
		reply(t, a, stepMsg{step: mfaSetupStep()})
		return a
	}},
	{"secret", func(t *testing.T, w, h int) *App {
		return atSecret(t, testOptions(), w, h)
	}},
	{"secret_demo", func(t *testing.T, w, h int) *App {
		o := testOptions()
		o.Demo = testDemo
		return atSecret(t, o, w, h)
	}},
	{"secret_wrong_code", func(t *testing.T, w, h int) *App {
		a := atSecret(t, testOptions(), w, h)
		press(a, "123456", "enter")
		reply(t, a, failedMsg{op: opConfirmTOTP, err: wrongCode()})
		return a
	}},
	{"secret_clock_behind", func(t *testing.T, w, h int) *App {
		return atSecretRefused(t, w, h, causeError(flow.CauseClockBehind, i18n.ErrClockBehindMinutes, "Minutes", "2"), 0)
	}},
	{"secret_clock_ahead", func(t *testing.T, w, h int) *App {
		return atSecretRefused(t, w, h, causeError(flow.CauseClockAhead, i18n.ErrClockAheadSeconds, "Seconds", "60"), 0)
	}},
	{"secret_computer_clock", func(t *testing.T, w, h int) *App { // an authenticator on this computer, 7 minutes slow
		return atSecretRefused(t, w, h, causeError(flow.CauseClockBehind, i18n.ErrClockBehindMinutes, "Minutes", "7"), 7*time.Minute)
	}},
	{"secret_reused", func(t *testing.T, w, h int) *App {
		return atSecretRefused(t, w, h, causeError(flow.CauseReused, i18n.ErrCodeReused), 0)
	}},
	{"secret_other_entry", func(t *testing.T, w, h int) *App {
		return atSecretRefused(t, w, h, causeError(flow.CauseOtherEntry, i18n.ErrOtherEntry, "Entry", "AWSCognito (demo-user)"), 0)
	}},
	{"secret_other_entry_replaced", func(t *testing.T, w, h int) *App {
		return atSecretRefused(t, w, h, causeError(flow.CauseOtherEntry, i18n.ErrOtherEntryReplaced, "Entry", "AWSCognito (demo-user)"), 0)
	}},
	{"secret_bad_code", func(t *testing.T, w, h int) *App {
		a := atSecret(t, testOptions(), w, h)
		press(a, "12345", "enter")
		return a
	}},
	{"secret_checking", func(t *testing.T, w, h int) *App {
		a := atSecret(t, testOptions(), w, h)
		press(a, "123456", "enter")
		return a
	}},
	{"secret_qr_unsure", func(t *testing.T, w, h int) *App { // colours off, background never said
		a := atSecret(t, testOptions(), w, h)
		a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
		return a
	}},
	{"secret_qr_inverted", func(t *testing.T, w, h int) *App {
		a := atSecret(t, testOptions(), w, h)
		a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
		press(a, "ctrl+r")
		return a
	}},
	{"signin_paste_too_long", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter")
		a.Update(tea.PasteMsg{Content: strings.Repeat("x", 300)})
		return a
	}},
	{"done", func(t *testing.T, w, h int) *App {
		return atDone(t, w, h)
	}},
	{"done_test_code", func(t *testing.T, w, h int) *App {
		a := atDone(t, w, h)
		press(a, "t")
		reply(t, a, testStepMsg{op: opTestSignIn, step: softwareTokenStep()})
		return a
	}},
	{"done_test_worked", func(t *testing.T, w, h int) *App {
		a := atDone(t, w, h)
		press(a, "t")
		reply(t, a, testStepMsg{op: opTestSignIn, step: softwareTokenStep()})
		press(a, "654321", "enter")
		reply(t, a, testStepMsg{op: opTestCode, step: signedInStep()})
		return a
	}},
	{"done_test_reused", func(t *testing.T, w, h int) *App {
		a := atDone(t, w, h)
		press(a, "t")
		reply(t, a, testStepMsg{op: opTestSignIn, step: softwareTokenStep()})
		press(a, "123456", "enter")
		reply(t, a, failedMsg{op: opTestCode, err: causeError(flow.CauseReused, i18n.ErrCodeReused), clock: cognitoClock{known: true}})
		return a
	}},
	{"done_phone_behind", func(t *testing.T, w, h int) *App {
		a := atSecret(t, testOptions(), w, h)
		press(a, "123456", "enter")
		reply(t, a, enrolledMsg{enrolled: flow.Enrolled{Username: "demo-user", Preferred: true, PhoneOffset: -30 * time.Second}})
		return a
	}},
	{"done_test_worked_phone_ahead", func(t *testing.T, w, h int) *App {
		a := atDone(t, w, h)
		press(a, "t")
		reply(t, a, testStepMsg{op: opTestSignIn, step: softwareTokenStep()})
		press(a, "654321", "enter")
		step := signedInStep()
		step.PhoneOffset = 30 * time.Second
		reply(t, a, testStepMsg{op: opTestCode, step: step})
		return a
	}},
	{"failure_retryable", func(t *testing.T, w, h int) *App {
		a := atNewPassword(t, w, h)
		press(a, "Brand-New-1!", "enter", "Brand-New-1!", "enter")
		reply(t, a, stepMsg{step: mfaSetupStep()})
		reply(t, a, failedMsg{op: opBeginTOTP, err: &flow.Error{Kind: flow.KindUnreachable, Op: "start authenticator setup",
			Key: i18n.ErrUnreachable, Message: "Could not reach Cognito. Check the network and --endpoint-url, then try again.", Err: errors.New("dial tcp: connection refused")}})
		return a
	}},
	{"failure_configuration", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		reply(t, a, failedMsg{op: opSignIn, err: &flow.Error{Kind: flow.KindClientSecret, Op: "sign in",
			Key: i18n.ErrSecretMissing, Message: "This app client has a client secret. Give it with --client-secret."}})
		return a
	}},
	{"failure_other_challenge", func(t *testing.T, w, h int) *App {
		a := newTestApp(t, testOptions(), w, h)
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		reply(t, a, stepMsg{step: flow.Step{Challenge: "CUSTOM_CHALLENGE", Session: "session-custom-0123456789", Username: "demo-user", Expires: testNow.Add(3 * time.Minute)}})
		return a
	}},
	{"session_expired", func(t *testing.T, w, h int) *App {
		now := testNow
		o := testOptions()
		o.Now = func() time.Time { return now }
		a := atSecret(t, o, w, h)
		now = now.Add(3 * time.Minute)
		a.Update(clockTickMsg{})
		return a
	}},
}

func wrongCode() *flow.Error {
	return &flow.Error{Kind: flow.KindWrongCode, Op: "verify code",
		Key: i18n.ErrWrongCode, Message: "That code was not accepted. Use the next code your app shows, for this account, and check the phone sets its clock automatically."}
}

// causeError is a refused code as flow diagnoses it: its cause, and the
// sentence's key with its variables (name, value pairs).
func causeError(cause flow.Cause, key i18n.Key, vars ...string) *flow.Error {
	e := &flow.Error{Kind: flow.KindWrongCode, Op: "verify code", Key: key, Cause: cause, Code: "EnableSoftwareTokenMFAException"}
	if len(vars) > 0 {
		e.Vars = map[string]string{vars[0]: vars[1]}
	}
	e.Message = i18n.English().Sentence(i18n.Key(key), e.Vars)
	return e
}

// atSecretRefused is the secret screen after Cognito refused a code with
// err, this computer's clock being behind Cognito's by offset.
func atSecretRefused(t *testing.T, w, h int, err *flow.Error, offset time.Duration) *App {
	t.Helper()
	a := atSecret(t, testOptions(), w, h)
	press(a, "123456", "enter")
	reply(t, a, failedMsg{op: opConfirmTOTP, err: err, clock: cognitoClock{offset: offset, known: true}})
	return a
}

func softwareTokenStep() flow.Step {
	return flow.Step{Challenge: flow.ChallengeSoftwareToken, Session: "session-software-token-0123456789",
		Username: "demo-user", Expires: testNow.Add(3 * time.Minute)}
}

func signedInStep() flow.Step {
	return flow.Step{Username: "demo-user", Tokens: &flow.Tokens{AccessToken: "access-token", ExpiresIn: time.Hour}}
}

func atNewPassword(t *testing.T, w, h int) *App {
	t.Helper()
	a := newTestApp(t, testOptions(), w, h)
	press(a, "demo-user", "enter", "Temp-Passw0rd!", "enter")
	reply(t, a, stepMsg{step: newPasswordStep()})
	return a
}

func atSecret(t *testing.T, o Options, w, h int) *App {
	t.Helper()
	a := newTestApp(t, o, w, h)
	if o.Demo == nil {
		press(a, "demo-user", "enter")
	}
	press(a, "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: mfaSetupStep()})
	reply(t, a, setupMsg{setup: testSetup()})
	return a
}

func atDone(t *testing.T, w, h int) *App {
	t.Helper()
	a := atSecret(t, testOptions(), w, h)
	press(a, "123456", "enter")
	reply(t, a, enrolledMsg{enrolled: flow.Enrolled{Username: "demo-user", Preferred: true}})
	return a
}
