package ui_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/ui"
)

// TestInterruptMidFlow presses ctrl+c on the secret screen, with a session
// held and its clock ticking: the program must end by itself, promptly,
// and say it was interrupted before enrolling.
func TestInterruptMidFlow(t *testing.T) {
	local := cognitolocal.New(cognitolocal.Options{})
	srv := httptest.NewServer(local)
	t.Cleanup(srv.Close)
	demo, err := local.SeedDemo()
	if err != nil {
		t.Fatal(err)
	}
	pool := flow.Pool{UserPoolID: demo.UserPoolID, ClientID: demo.ClientID, Region: demo.Region}
	api, err := flow.NewAPI(context.Background(), pool, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	app := ui.New(ui.Options{Client: flow.New(api, pool), Demo: &ui.Demo{Username: demo.Username, Password: demo.TemporaryPassword}})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	screen := &screenReader{r: tm.Output()}
	screen.waitFor(t, "Password:")
	tm.Type(demo.TemporaryPassword)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.waitFor(t, "Choose a new password")
	tm.Type("Brand-New-Passw0rd!")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type("Brand-New-Passw0rd!")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.waitFor(t, "Session:")
	screen.waitFor(t, "type this secret")

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
