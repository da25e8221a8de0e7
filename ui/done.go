package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

type (
	// testRequested is the person asking for a test sign-in.
	testRequested struct{}
	// testCodeSubmitted is a new code for the test sign-in, normalised.
	testCodeSubmitted struct{ Code string }
)

// testState is how far the test sign-in on the done screen has come.
type testState int

const (
	testNotRun testState = iota
	testNeedsCode
	testWorked
	testFailed
)

// doneScreen says who is enrolled and offers a test sign-in that proves it.
type doneScreen struct {
	username, account, issuer string
	preferred                 bool
	replaced                  bool // the account had an authenticator, which stopped working just now
	canTest                   bool // a password is known to sign in again with
	test                      testState
	result                    string // why the test failed
	code                      codeField
	phoneOffset               time.Duration // an accepted code was of a step next to Cognito's: the phone's clock is off by about this
}

func newDoneScreen(styles *Styles, tr *i18n.Localizer, username string, setup flow.Setup, preferred, replaced, canTest bool) doneScreen {
	return doneScreen{username: username, account: setup.Account, issuer: setup.Issuer, preferred: preferred, replaced: replaced,
		canTest: canTest, code: newCodeField(styles, tr)}
}

// askCode is the test sign-in reaching SOFTWARE_TOKEN_MFA: a new code is needed.
func (s *doneScreen) askCode() {
	s.test, s.result = testNeedsCode, ""
	s.code.clear()
}

// finished records how the test sign-in ended; why says what failed.
func (s *doneScreen) finished(worked bool, why string) {
	s.test, s.result = testFailed, why
	if worked {
		s.test = testWorked
	}
}

// phoneClockLine says an accepted code showed the phone's clock off by offset.
func phoneClockLine(tr *i18n.Localizer, offset time.Duration) string {
	seconds := int(offset.Abs().Round(time.Second).Seconds())
	if offset < 0 {
		return tr.T(i18n.DoneClockBehind, "Seconds", seconds)
	}
	return tr.T(i18n.DoneClockAhead, "Seconds", seconds)
}

// inputFocused reports whether typed keys go to the code input.
func (s doneScreen) inputFocused() bool { return s.test == testNeedsCode }

func (s doneScreen) Update(msg tea.Msg, keys KeyMap) (doneScreen, tea.Cmd) {
	if s.test == testNeedsCode {
		var code string
		var cmd tea.Cmd
		s.code, code, cmd = s.code.Update(msg, keys)
		if code != "" {
			return s, emit(testCodeSubmitted{Code: code})
		}
		return s, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if key.Matches(k, keys.Test) {
			return s, emit(testRequested{})
		}
	}
	return s, nil
}

func (s doneScreen) View(f frame) string {
	st, tr := f.styles, f.tr
	var b strings.Builder
	b.WriteString(f.para(st.Success, tr.T(i18n.DoneTitle)) + "\n\n")
	b.WriteString(f.para(st.Text, tr.T(i18n.DoneEnrolled, "Username", s.username, "Issuer", s.issuer, "Account", s.account)) + "\n")
	b.WriteString(f.para(st.Text, tr.T(i18n.DoneFromNow)) + "\n")
	if !s.preferred {
		b.WriteString(f.para(st.Notice, tr.T(i18n.DoneNotPreferred)) + "\n")
	}
	if s.replaced {
		b.WriteString(f.para(st.Notice, tr.T(i18n.DoneDeleteOld, "Username", s.username)) + "\n")
	}
	if s.phoneOffset != 0 {
		b.WriteString(f.para(st.Notice, phoneClockLine(tr, s.phoneOffset)) + "\n")
	}
	b.WriteString("\n")
	switch s.test {
	case testNotRun:
		b.WriteString(f.para(st.Muted, pick(s.canTest, tr.T(i18n.DonePressTest), tr.T(i18n.DoneNoPassword))))
	case testNeedsCode:
		b.WriteString(f.para(st.Text, tr.T(i18n.DoneTestAsk)) + "\n")
		b.WriteString("   " + s.code.View(f, f.width-3))
		if s.code.problem != "" && f.status == "" {
			b.WriteString("\n\n" + f.para(st.Error, s.code.problem))
		}
	case testWorked:
		b.WriteString(f.para(st.Success, tr.T(i18n.DoneTestWorked)))
	case testFailed:
		b.WriteString(f.para(st.Error, tr.T(i18n.DoneTestFailed, "Reason", s.result)) + "\n")
		b.WriteString(f.para(st.Muted, tr.T(i18n.DoneTestAgain)))
	}
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}
