package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// newPasswordSubmitted is the person choosing a new password (typed twice, the same).
type newPasswordSubmitted struct{ Password string }

// newPasswordScreen answers NEW_PASSWORD_REQUIRED: a new password, typed twice.
type newPasswordScreen struct {
	username          string
	password, confirm textinput.Model
	onConfirm         bool
	problem           string // a mismatch, or the pool's password rules
}

func newNewPasswordScreen(styles Styles, username string) newPasswordScreen {
	s := newPasswordScreen{
		username: username,
		password: newInput(styles, "New password: ", 256),
		confirm:  newInput(styles, "Type it again: ", 256),
	}
	for _, in := range []*textinput.Model{&s.password, &s.confirm} {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	s.focus(false)
	return s
}

func (s *newPasswordScreen) focus(confirm bool) {
	s.onConfirm = confirm
	if confirm {
		s.password.Blur()
		s.confirm.Focus()
	} else {
		s.confirm.Blur()
		s.password.Focus()
	}
}

// refused shows why Cognito did not take the password (its policy) and
// empties the form for another one.
func (s *newPasswordScreen) refused(problem string) {
	s.problem = problem
	s.password.Reset()
	s.confirm.Reset()
	s.focus(false)
}

func (s newPasswordScreen) Update(msg tea.Msg, keys KeyMap) (newPasswordScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keys.Next, keys.Prev):
			s.focus(!s.onConfirm)
			return s, nil
		case key.Matches(k, keys.Submit):
			return s.submit()
		}
	}
	var cmd tea.Cmd
	if s.onConfirm {
		s.confirm, cmd = s.confirm.Update(msg)
	} else {
		s.password, cmd = s.password.Update(msg)
	}
	return s, cmd
}

func (s newPasswordScreen) submit() (newPasswordScreen, tea.Cmd) {
	switch {
	case s.password.Value() == "":
		s.problem = "Choose a new password."
		s.focus(false)
	case !s.onConfirm:
		s.problem = ""
		s.focus(true)
	case s.confirm.Value() != s.password.Value():
		s.problem = "The two passwords are not the same. Type the new password again."
		s.confirm.Reset()
	default:
		s.problem = ""
		return s, emit(newPasswordSubmitted{Password: s.password.Value()})
	}
	return s, nil
}

func (s newPasswordScreen) View(f frame) string {
	fitInput(&s.password, f)
	fitInput(&s.confirm, f)
	var b strings.Builder
	b.WriteString(f.styles.Title.Render("Choose a new password") + "\n")
	b.WriteString(f.para(f.styles.Text, "The password "+s.username+" signed in with was temporary: Cognito asks for a new one before going on.") + "\n\n")
	b.WriteString(s.password.View() + "\n")
	b.WriteString(s.confirm.View() + "\n\n")
	switch {
	case f.status != "":
		b.WriteString(f.status)
	case s.problem != "":
		b.WriteString(f.para(f.styles.Error, s.problem))
	}
	return b.String()
}
