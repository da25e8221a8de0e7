package peers

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/internal/screentest"
	"github.com/cognito-totp/cognito-totp/ui"
)

// The whole wizard, in a 120x40 terminal, against moto: a signed-in user of
// an MFA-optional pool goes down the access-token path (associate, verify,
// SetUserMFAPreference, GetUser), reaches the done screen, and the test
// sign-in there is answered with a code. Same pattern as ui's own
// TestWizardAgainstLocalCognito, with moto's real clock instead of a manual one.
func TestWizardAgainstMoto(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	poolID, c := moto.optionalPoolUser(t, "wiz", password, true)

	// Password flow: moto's SRP is fake (motoDifferences[diffFakeSRP]).
	app := ui.New(ui.Options{Client: c, PoolLabel: "moto " + poolID, AuthFlow: flow.AuthPassword})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	screen := screentest.New(tm.Output(), 120, 40)

	screen.WaitFor(t, "Username:")
	tm.Type("wiz")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Type(password)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})

	screen.WaitFor(t, "Add this account to your authenticator app")
	secret := strings.ReplaceAll(screen.WaitForGroup(t, groupedSecretLine), " ", "")
	checkSecret(t, secret)
	tm.Type(codeNow(t, secret))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Authenticator app added")

	tm.Type("t")
	screen.WaitFor(t, "Test sign-in: Cognito asks for a code")
	tm.Type(codeNow(t, secret))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	screen.WaitFor(t, "Test sign-in worked")

	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if got := app.Outcome(); got != ui.Enrolled {
		t.Errorf("Outcome() = %v, want Enrolled", got)
	}
}

// groupedSecretLine is the secret as the secret screen shows it: indented,
// ending its line, in groups of four (Cognito's are upper case, moto's lower case).
var groupedSecretLine = regexp.MustCompile(`(?m)\s{3,}([A-Za-z2-7]{4}(?: [A-Za-z2-7]{1,4}){2,})[ \t]*$`)
