package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// retryRequested is the person pressing r on the failure screen.
type retryRequested struct{}

// next is what r does on the failure screen.
type next int

const (
	nextNothing next = iota // only quitting is left
	nextRetry               // run the failed call again
	nextRestart             // start over at sign-in
)

// failureScreen says what could not be done and why, in Cognito's terms
// turned into a sentence, and offers retry or starting over.
type failureScreen struct {
	title, message string
	next           next
}

func (s failureScreen) Update(msg tea.Msg, keys KeyMap) (failureScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keys.Retry) {
		return s, emit(retryRequested{})
	}
	return s, nil
}

func (s failureScreen) View(f frame) string {
	st := f.styles
	var b strings.Builder
	b.WriteString(f.para(st.Error.Bold(true), s.title) + "\n\n")
	b.WriteString(f.para(st.Text, s.message) + "\n\n")
	switch s.next {
	case nextRetry:
		b.WriteString(f.para(st.Muted, f.tr.T(i18n.FailPressRetry)))
	case nextRestart:
		b.WriteString(f.para(st.Muted, f.tr.T(i18n.FailPressRestart)))
	default:
		b.WriteString(f.para(st.Muted, f.tr.T(i18n.FailPressQuit)))
	}
	if f.status != "" {
		b.WriteString("\n\n" + f.status)
	}
	return b.String()
}
