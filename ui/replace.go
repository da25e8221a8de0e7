package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
	b.WriteString(st.Title.Render("Replace the authenticator app?") + "\n\n")
	b.WriteString(f.para(st.Notice, s.username+" already has an authenticator app. Its codes keep working while you set up a new one, and if you stop halfway. Once Cognito accepts a code from the new app, only the new app works.") + "\n\n")
	b.WriteString(f.para(st.Text, "Press enter or y to set up a new authenticator app, or q or n to quit and keep the old one."))
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}
