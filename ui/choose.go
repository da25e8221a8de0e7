package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
)

// choiceMade is the person picking one of the offered answers (Cognito's name for it).
type choiceMade struct{ Choice string }

// choiceKind is which challenge the list answers.
type choiceKind int

const (
	chooseFactor choiceKind = iota // SELECT_MFA_TYPE: which existing factor to prove
	chooseMethod                   // SELECT_CHALLENGE: how to sign in (USER_AUTH)
)

// chooseScreen answers SELECT_MFA_TYPE or SELECT_CHALLENGE from a list.
type chooseScreen struct {
	kind     choiceKind
	username string
	choices  []string // Cognito's names, in the order shown
	cursor   int
}

func newChooseScreen(kind choiceKind, username string, choices []string) chooseScreen {
	return chooseScreen{kind: kind, username: username, choices: choices}
}

// usableMethods are the SELECT_CHALLENGE answers this tool can give, of
// those Cognito offered, best first.
func usableMethods(available []string) []string {
	var out []string
	for _, m := range signInMethods {
		if slices.Contains(available, m) {
			out = append(out, m)
		}
	}
	return out
}

// choiceWords is an answer in words.
func choiceWords(choice string) string {
	switch choice {
	case flow.ChallengeSoftwareToken:
		return "Authenticator app"
	case flow.ChallengeSMS:
		return "Text message (SMS)"
	case flow.ChallengeEmailOTP:
		return "Email"
	case "PASSWORD_SRP":
		return "Password, proved without sending it (SRP)"
	case "PASSWORD":
		return "Password"
	}
	return choice
}

func (s chooseScreen) Update(msg tea.Msg, keys KeyMap) (chooseScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok || len(s.choices) == 0:
	case key.Matches(k, keys.Up):
		s.cursor = (s.cursor + len(s.choices) - 1) % len(s.choices)
	case key.Matches(k, keys.Down):
		s.cursor = (s.cursor + 1) % len(s.choices)
	case key.Matches(k, keys.Submit):
		return s, emit(choiceMade{Choice: s.choices[s.cursor]})
	}
	return s, nil
}

func (s chooseScreen) View(f frame) string {
	st := f.styles
	var b strings.Builder
	if s.kind == chooseFactor {
		b.WriteString(st.Title.Render("Choose how to prove it is you") + "\n")
		b.WriteString(f.para(st.Text, s.username+" has more than one way to sign in with a second factor. Choose the one to use now; the authenticator setup comes after.") + "\n\n")
	} else {
		b.WriteString(st.Title.Render("Choose how to sign in") + "\n")
		b.WriteString(f.para(st.Text, "Cognito offers these ways to sign in "+s.username+" with the password typed:") + "\n\n")
	}
	for i, c := range s.choices {
		lead, style := "  ", st.Text
		if i == s.cursor {
			lead, style = "> ", st.Title
		}
		b.WriteString(f.indented(style, lead, choiceWords(c)) + "\n")
	}
	if f.status != "" {
		b.WriteString("\n" + f.status)
	}
	return strings.TrimRight(b.String(), "\n")
}
