package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
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

// choiceWords is an answer in words; Cognito's name for one this tool does not know.
func choiceWords(tr *i18n.Localizer, choice string) string {
	key, ok := map[string]i18n.Key{
		flow.ChallengeSoftwareToken: i18n.ChoiceTOTP,
		flow.ChallengeSMS:           i18n.ChoiceSMS,
		flow.ChallengeEmailOTP:      i18n.ChoiceEmail,
		"PASSWORD_SRP":              i18n.ChoiceSRP,
		"PASSWORD":                  i18n.ChoicePassword,
	}[choice]
	if !ok {
		return choice
	}
	return tr.T(key)
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
		b.WriteString(f.para(st.Title, f.tr.T(i18n.ChooseFactorTitle)) + "\n")
		b.WriteString(f.para(st.Text, f.tr.T(i18n.ChooseFactorIntro, "Username", s.username)) + "\n\n")
	} else {
		b.WriteString(f.para(st.Title, f.tr.T(i18n.ChooseMethodTitle)) + "\n")
		b.WriteString(f.para(st.Text, f.tr.T(i18n.ChooseMethodIntro, "Username", s.username)) + "\n\n")
	}
	for i, c := range s.choices {
		lead, style := "  ", st.Text
		if i == s.cursor {
			lead, style = "> ", st.Title
		}
		b.WriteString(f.indented(style, lead, choiceWords(f.tr, c)) + "\n")
	}
	if f.status != "" {
		b.WriteString("\n" + f.status)
	}
	return strings.TrimRight(b.String(), "\n")
}
