//go:build cognitototp_testpanic

package main

import (
	"os"

	tea "charm.land/bubbletea/v2"
)

// Built only with -tags cognitototp_testpanic, for the tests of what a bug
// leaves behind: the wizard panics at the first "!" typed, with a string
// that stands for a secret, or, when COGNITO_TOTP_TEST_PANIC=runtime, with
// the runtime's index-out-of-range error.
func init() {
	testWrap = func(m tea.Model) tea.Model { return panicOnBang{m} }
}

type panicOnBang struct{ tea.Model }

func (p panicOnBang) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Text == "!" {
		if os.Getenv("COGNITO_TOTP_TEST_PANIC") == "runtime" {
			i := len(k.Text) + 4
			_ = []byte(k.Text)[i]
		}
		panic("test panic holding s3cr3t-p4ss")
	}
	var cmd tea.Cmd
	p.Model, cmd = p.Model.Update(msg)
	return p, cmd
}
