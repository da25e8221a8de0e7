package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
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
}

func newDoneScreen(styles *Styles, username string, setup flow.Setup, preferred, replaced, canTest bool) doneScreen {
	return doneScreen{username: username, account: setup.Account, issuer: setup.Issuer, preferred: preferred, replaced: replaced,
		canTest: canTest, code: newCodeField(styles)}
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
	st := f.styles
	var b strings.Builder
	b.WriteString(st.Success.Render("✓ Authenticator app added") + "\n\n")
	b.WriteString(f.para(st.Text, s.username+" is enrolled. The authenticator app lists the account as "+s.issuer+" ("+s.account+").") + "\n")
	b.WriteString(f.para(st.Text, "From now on, signing in asks for a 6-digit code from your authenticator app.") + "\n")
	if !s.preferred {
		b.WriteString(f.para(st.Notice, "Cognito has not made the authenticator this account's preferred MFA method.") + "\n")
	}
	if s.replaced {
		b.WriteString(f.para(st.Notice, replacedNote(s.username)) + "\n")
	}
	b.WriteString("\n")
	switch s.test {
	case testNotRun:
		b.WriteString(f.para(st.Muted, pick(s.canTest, "Press t to prove it: sign in again with a new code from the app.",
			"The wizard was given an access token, not a password, so it cannot test a sign-in; the next sign-in will ask for a code.")))
	case testNeedsCode:
		b.WriteString(f.para(st.Text, "Test sign-in: Cognito asks for a code. Wait for the app to show a new one (not the one you just used), type it, then press enter:") + "\n")
		b.WriteString("   " + s.code.View(f, f.width-3))
		if s.code.problem != "" && f.status == "" {
			b.WriteString("\n\n" + f.para(st.Error, s.code.problem))
		}
	case testWorked:
		b.WriteString(f.para(st.Success, "Test sign-in worked: Cognito asked for a code from the app and accepted it."))
	case testFailed:
		b.WriteString(f.para(st.Error, "Test sign-in failed. "+s.result) + "\n")
		b.WriteString(f.para(st.Muted, "Press t to try the test again."))
	}
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}

// replacedNote tells a person who replaced an authenticator what to do with
// the old one; plain mode prints the same sentence.
func replacedNote(username string) string {
	return "The old authenticator no longer works for " + username + ". Delete its entry from your authenticator app; if the app lists two entries with the same name, the old one is the one added first."
}
