package ui

import (
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// updateBounded hands msg to in, an input whose CharLimit is what Cognito
// takes in that field (a password 256 characters, a username 128). The
// input alone would cut a longer paste to fit, without a word, and a
// password manager's password would then be taken, or set, in a form it
// did not store. So a paste that would not fit is refused whole and a
// character typed at the limit is dropped, each with a sentence saying why
// (tooLong); tooLong is "" when msg fitted or was no text.
func updateBounded(in textinput.Model, msg tea.Msg, tr *i18n.Localizer) (_ textinput.Model, cmd tea.Cmd, tooLong string) {
	limit, have := in.CharLimit, utf8.RuneCountInString(in.Value())
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if limit > 0 && have+utf8.RuneCountInString(msg.Content) > limit {
			return in, nil, tr.T(i18n.InputTooLong, "Limit", limit)
		}
	case tea.KeyPressMsg:
		if limit > 0 && msg.Text != "" && have >= limit {
			return in, nil, tr.T(i18n.InputFull, "Limit", limit)
		}
	}
	in, cmd = in.Update(msg)
	return in, cmd, ""
}

// typed reports whether msg is the person typing or pasting.
func typed(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		return true
	}
	return false
}
