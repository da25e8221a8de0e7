package ui_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/internal/screentest"
	"github.com/cognito-totp/cognito-totp/ui"
)

// groupedSecret is the secret as the secret screen shows it: groups of four.
var groupedSecret = regexp.MustCompile(`[A-Z2-7]{4}(?: [A-Z2-7]{1,4}){3,}`)

// TestWizardAgainstLocalCognito runs the whole wizard in a terminal of
// 120x40 against cognitolocal over loopback, as a person would: sign in with
// the demo user's temporary password, choose a new one, read the secret off
// the screen, type the code an authenticator app would show, and prove it
// with the test sign-in.
func TestWizardAgainstLocalCognito(t *testing.T) {
	_, clock, demo, client := localDemo(t)
	app := ui.New(ui.Options{Client: client, PoolLabel: demo.UserPoolID, Now: clock.Now})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	screen := screentest.New(tm.Output(), 120, 40)

	screen.WaitFor(t, "Username:")
	screen.WaitFor(t, "Signs in with SRP") // the default flow: USER_SRP_AUTH
	tm.Type(demo.Username)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type(demo.TemporaryPassword)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})

	screen.WaitFor(t, "Choose a new password")
	const newPassword = "Brand-New-Passw0rd!"
	tm.Type(newPassword)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type(newPassword)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})

	screen.WaitFor(t, "Add this account to your authenticator app")
	secret := screen.WaitForMatch(t, groupedSecret)
	secret = strings.ReplaceAll(secret, " ", "")
	code, err := totp.GenerateCode(secret, clock.Now())
	if err != nil {
		t.Fatalf("the secret on screen (%d chars) is not base32: %v", len(secret), err)
	}
	tm.Type(code)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Authenticator app added")
	screen.WaitFor(t, "From now on, signing in asks for a 6-digit code")

	// The test sign-in wants a code the app shows later, not the one just used.
	tm.Type("t")
	screen.WaitFor(t, "Test sign-in: Cognito asks for a code")
	clock.Advance(30 * time.Second)
	code, err = totp.GenerateCode(secret, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	tm.Type(code)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Test sign-in worked")

	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if got := app.Outcome(); got != ui.Enrolled {
		t.Errorf("Outcome() = %v, want Enrolled", got)
	}
}
