package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// signInSubmitted is the person asking to sign in with these credentials.
type signInSubmitted struct{ Username, Password string }

// switchFlowRequested is the person asking to sign in again at once with the
// other flow, after the app client refused the first one.
type switchFlowRequested struct{ Username, Password string }

// signInScreen asks for the username, then the password.
type signInScreen struct {
	username, password textinput.Model
	tr                 *i18n.Localizer
	onPassword         bool   // the password field has the focus
	problem            string // what went wrong with the last attempt
	tooLong            string // a paste or key refused: the field would be longer than Cognito takes
	notice             string // why the wizard came back here (the session ran out)
	demo               *Demo
	authFlow           flow.AuthFlow // the flow the next sign-in uses
	switchTo           flow.AuthFlow // offered after the app client refused authFlow; "" when not
}

// newSignInScreen is the sign-in form, with the username kept.
func (a *App) newSignInScreen() signInScreen {
	s := signInScreen{
		tr:       a.tr,
		username: newInput(a.styles, a.tr.T(i18n.SigninUsername)+" ", 128),
		password: newInput(a.styles, a.tr.T(i18n.SigninPassword)+" ", 256),
		demo:     a.demo,
		authFlow: a.authFlow,
	}
	s.password.EchoMode = textinput.EchoPassword
	s.password.EchoCharacter = a.glyphs.bullet
	s.username.SetValue(a.username)
	s.focus(a.username != "")
	return s
}

// newInput is a text input with the wizard's look; prompt is its label.
func newInput(styles *Styles, prompt string, limit int) textinput.Model {
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
	s.problem, s.notice, s.switchTo = problem, "", ""
	s.password.Reset()
	s.focus(true)
}

// flowRefused shows that the app client does not allow the flow (the message
// names the ALLOW_ setting) and offers the other one; the form is kept.
func (s *signInScreen) flowRefused(problem string, other flow.AuthFlow) {
	s.problem, s.notice, s.switchTo = problem, "", other
}

// switched is the sign-in starting again with the other flow.
func (s *signInScreen) switched() {
	s.authFlow, s.switchTo, s.problem = s.switchTo, "", ""
}

func (s signInScreen) Update(msg tea.Msg, keys KeyMap) (signInScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keys.Next, keys.Prev):
			s.tooLong = ""
			s.focus(!s.onPassword)
			return s, nil
		case key.Matches(k, keys.Submit):
			s.tooLong = ""
			return s.submit()
		case key.Matches(k, keys.SwitchFlow):
			return s, emit(switchFlowRequested{Username: strings.TrimSpace(s.username.Value()), Password: s.password.Value()})
		}
	}
	var cmd tea.Cmd
	var tooLong string
	if s.onPassword {
		s.password, cmd, tooLong = updateBounded(s.password, msg, s.tr)
	} else {
		s.username, cmd, tooLong = updateBounded(s.username, msg, s.tr)
	}
	if typed(msg) {
		s.tooLong = tooLong
	}
	return s, cmd
}

func (s signInScreen) submit() (signInScreen, tea.Cmd) {
	name := strings.TrimSpace(s.username.Value())
	switch {
	case name == "":
		s.problem = s.tr.T(i18n.SigninNeedUsername)
		s.focus(false)
	case !s.onPassword:
		s.problem = ""
		s.focus(true)
	case s.password.Value() == "":
		s.problem = s.tr.T(i18n.SigninNeedPassword)
	default:
		s.problem, s.switchTo = "", ""
		return s, emit(signInSubmitted{Username: name, Password: s.password.Value()})
	}
	return s, nil
}

func (s signInScreen) View(f frame) string {
	fitInput(&s.username, f)
	fitInput(&s.password, f)
	var b strings.Builder
	tr := f.tr
	b.WriteString(f.para(f.styles.Title, tr.T(i18n.SigninTitle)) + "\n")
	b.WriteString(f.para(f.styles.Text, tr.T(i18n.SigninIntro)) + "\n")
	b.WriteString(f.para(f.styles.Muted, tr.T(i18n.SigninWith, "Flow", flowWords(tr, s.authFlow))) + "\n\n")
	form := s.username.View() + "\n" + s.password.View() + "\n\n"
	switch {
	case f.status != "":
		form += f.status
	case s.tooLong != "":
		form += f.para(f.styles.Error, s.tooLong)
	case s.problem != "" && s.switchTo != "":
		form += f.para(f.styles.Error, s.problem) + "\n" +
			f.para(f.styles.Muted, tr.T(i18n.SigninSwitch, "Flow", flowWords(tr, s.switchTo)))
	case s.problem != "":
		form += f.para(f.styles.Error, s.problem)
	case s.notice != "":
		form += f.para(f.styles.Notice, s.notice)
	}
	if s.demo == nil {
		return b.String() + form
	}
	top := b.String()
	if full := top + s.demoUsers(f, false) + "\n\n" + form; lipgloss.Height(full) <= f.height {
		return full
	}
	return top + s.demoUsers(f, true) + "\n\n" + form
}

// flowWords names a sign-in flow for a person, with Cognito's name for it.
func flowWords(tr *i18n.Localizer, f flow.AuthFlow) string {
	switch f {
	case flow.AuthPassword:
		return tr.T(i18n.SigninFlowPassword)
	case flow.AuthChoice:
		return tr.T(i18n.SigninFlowChoice)
	}
	return tr.T(i18n.SigninFlowSRP)
}

// demoUsers lists the demo pool's users and what each shows; compact keeps
// to the first and one line naming the others.
func (s signInScreen) demoUsers(f frame, compact bool) string {
	st, tr := f.styles, f.tr
	users := s.demo.Users
	if len(users) == 0 {
		return f.para(st.Muted, tr.T(i18n.DemoAccount, "Username", s.demo.Username, "Password", s.demo.Password))
	}
	line := func(u DemoUser) string {
		text := u.Username + " / " + u.Password
		if u.Story != "" {
			text = tr.T(i18n.DemoUser, "Username", u.Username, "Password", u.Password, "Story", tr.T(u.Story, "Secret", u.Secret))
		}
		return f.indented(st.Muted, "  ", text)
	}
	var lines []string
	if !compact || len(users) == 1 {
		lines = append(lines, f.para(st.Muted, tr.T(i18n.DemoUsers)))
		for _, u := range users {
			lines = append(lines, line(u))
		}
		return strings.Join(lines, "\n")
	}
	lines = append(lines, f.para(st.Muted, tr.T(i18n.DemoUsers)), line(users[0]))
	var names, passwords []string
	for _, u := range users[1:] {
		names = append(names, u.Username)
		if !slices.Contains(passwords, u.Password) {
			passwords = append(passwords, u.Password)
		}
	}
	lines = append(lines, f.indented(st.Muted, "  ", tr.N(i18n.DemoOthers, len(passwords),
		"Names", strings.Join(names, ", "), "Passwords", strings.Join(passwords, ", "))))
	return strings.Join(lines, "\n")
}

// lenPrompt is the prompt's width in cells (a Japanese label takes two a character).
func lenPrompt(in textinput.Model) int { return ansi.StringWidth(in.Prompt) }

// fitInput gives a copy of an input, about to be drawn, the frame's width
// and styles (which change when the terminal reports a light background).
func fitInput(in *textinput.Model, f frame) {
	in.SetStyles(f.styles.Input)
	in.SetWidth(max(8, f.width-lenPrompt(*in)-1))
}

// emit returns a command that reports msg: how a screen tells the App what
// the person did.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
