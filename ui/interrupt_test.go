package ui_test

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/cognito-totp/cognito-totp/demo"
	"github.com/cognito-totp/cognito-totp/internal/screentest"
	"github.com/cognito-totp/cognito-totp/ui"
)

// TestInterruptMidFlow presses ctrl+c on the secret screen, with a session
// held and its clock ticking: the program must end by itself, promptly,
// and say it was interrupted before enrolling.
func TestInterruptMidFlow(t *testing.T) {
	opts, shutdown, err := demo.Start(context.Background(), "", ui.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shutdown)
	app := ui.New(opts)
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	screen := screentest.New(tm.Output(), 120, 40)
	screen.WaitFor(t, "Password:")
	tm.Type(opts.Demo.Password)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Choose a new password")
	tm.Type("Brand-New-Passw0rd!")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("Brand-New-Passw0rd!")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Session:")
	screen.WaitFor(t, "type this secret")

	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final, ok := tm.FinalModel(t).(*ui.App)
	if !ok {
		t.Fatalf("final model %T", tm.FinalModel(t))
	}
	if final.Outcome() != ui.Interrupted {
		t.Fatalf("outcome %v, want Interrupted", final.Outcome())
	}
}
