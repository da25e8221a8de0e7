package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// replaceConfirmed is the person agreeing to replace the authenticator.
type replaceConfirmed struct{}

// replaceScreen warns, before anything changes, that a new authenticator
// replaces the old one the moment its secret is issued.
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
	b.WriteString(f.para(st.Notice, s.username+" already has an authenticator app. Setting up a new one removes the old one the moment the new secret is shown: codes from the old app stop working, even if you stop halfway.") + "\n\n")
	b.WriteString(f.para(st.Text, "Press enter or y to set up a new authenticator app, or q or n to quit and keep the old one."))
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}
