package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// signInSubmitted is the person asking to sign in with these credentials.
type signInSubmitted struct{ Username, Password string }

// signInScreen asks for the username, then the password.
type signInScreen struct {
	username, password textinput.Model
	onPassword         bool   // the password field has the focus
	problem            string // what went wrong with the last attempt
	notice             string // why the wizard came back here (the session ran out)
	demo               *Demo
}

func newSignInScreen(styles Styles, username string, demo *Demo) signInScreen {
	s := signInScreen{
		username: newInput(styles, "Username: ", 128),
		password: newInput(styles, "Password: ", 256),
		demo:     demo,
	}
	s.password.EchoMode = textinput.EchoPassword
	s.password.EchoCharacter = '•'
	s.username.SetValue(username)
	s.focus(username != "")
	return s
}

// newInput is a text input with the wizard's look; prompt is its label.
func newInput(styles Styles, prompt string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = limit
	in.SetStyles(styles.Input)
	return in
}

func (s *signInScreen) focus(password bool) {
	s.onPassword = password
	if password {
		s.username.Blur()
		s.password.Focus()
	} else {
		s.password.Blur()
		s.username.Focus()
	}
}

// failed shows why the sign-in did not work; the username stays, the password goes.
func (s *signInScreen) failed(problem string) {
	s.problem, s.notice = problem, ""
	s.password.Reset()
	s.focus(true)
}

func (s signInScreen) Update(msg tea.Msg, keys KeyMap) (signInScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keys.Next, keys.Prev):
			s.focus(!s.onPassword)
			return s, nil
		case key.Matches(k, keys.Submit):
			return s.submit()
		}
	}
	var cmd tea.Cmd
	if s.onPassword {
		s.password, cmd = s.password.Update(msg)
	} else {
		s.username, cmd = s.username.Update(msg)
	}
	return s, cmd
}

func (s signInScreen) submit() (signInScreen, tea.Cmd) {
	name := strings.TrimSpace(s.username.Value())
	switch {
	case name == "":
		s.problem = "Type your username first."
		s.focus(false)
	case !s.onPassword:
		s.problem = ""
		s.focus(true)
	case s.password.Value() == "":
		s.problem = "Type your password."
	default:
		s.problem = ""
		return s, emit(signInSubmitted{Username: name, Password: s.password.Value()})
	}
	return s, nil
}

func (s signInScreen) View(f frame) string {
	fitInput(&s.username, f)
	fitInput(&s.password, f)
	var b strings.Builder
	b.WriteString(f.styles.Title.Render("Sign in") + "\n")
	b.WriteString(f.para(f.styles.Text, "Sign in with your user pool account to add an authenticator app to it.") + "\n\n")
	if s.demo != nil {
		b.WriteString(f.para(f.styles.Muted, "Demo account: username "+s.demo.Username+", password "+s.demo.Password) + "\n\n")
	}
	b.WriteString(s.username.View() + "\n")
	b.WriteString(s.password.View() + "\n\n")
	switch {
	case f.status != "":
		b.WriteString(f.status)
	case s.problem != "":
		b.WriteString(f.para(f.styles.Error, s.problem))
	case s.notice != "":
		b.WriteString(f.para(f.styles.Notice, s.notice))
	}
	return b.String()
}

func lenPrompt(in textinput.Model) int { return len([]rune(in.Prompt)) }

// fitInput gives a copy of an input, about to be drawn, the frame's width
// and styles (which change when the terminal reports a light background).
func fitInput(in *textinput.Model, f frame) {
	in.SetStyles(f.styles.Input)
	in.SetWidth(max(8, f.width-lenPrompt(*in)-1))
}

// emit returns a command that reports msg: how a screen tells the App what
// the person did.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
