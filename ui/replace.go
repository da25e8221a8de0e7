package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// replaceConfirmed is the person agreeing to replace the authenticator.
type replaceConfirmed struct{}

// replaceScreen says, before anything changes, what replacing the
// authenticator does: as in Cognito, the old app keeps working until a code
// from the new one is accepted; from then on only the new one works.
type replaceScreen struct{ username string }

func (s replaceScreen) Update(msg tea.Msg, keys KeyMap) (replaceScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keys.Submit) {
		return s, emit(replaceConfirmed{})
	}
	return s, nil
}

func (s replaceScreen) View(f frame) string {
	st := f.styles
	var b strings.Builder
	b.WriteString(f.para(st.Title, f.tr.T(i18n.ReplaceTitle)) + "\n\n")
	b.WriteString(f.para(st.Notice, f.tr.T(i18n.ReplaceWarning, "Username", s.username)) + "\n\n")
	b.WriteString(f.para(st.Text, f.tr.T(i18n.ReplacePress)))
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}
