package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// The wizard against cognitolocal through the real SDK: a code 2 minutes
// old and a code of another entry are refused with their causes, a code one
// step old is accepted with a line about the phone's clock, and that same
// code at the test sign-in is refused as used already.
func TestWizardSaysWhyACodeIsRefused(t *testing.T) {
	w, demo := demoWizard(t)
	w.screen.WaitFor(t, "Username:") // filled with the demo's user; the password has the focus
	w.typeLine(demo.TemporaryPassword)
	w.screen.WaitFor(t, "Choose a new password")
	w.typeLine("Brand-New-Passw0rd!")
	w.typeLine("Brand-New-Passw0rd!")
	w.screen.WaitFor(t, "Add this account to your authenticator app")
	secret := strings.ReplaceAll(w.screen.WaitForMatch(t, groupedSecret), " ", "")
	at := func(secret string, d time.Duration) string {
		code, err := totp.GenerateCode(secret, w.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	w.typeLine(at(secret, -2*time.Minute))
	w.screen.WaitFor(t, "Your phone's clock is about 2 minutes behind.")
	w.screen.WaitFor(t, "Amazon Cognito's clock says 04:05:06 UTC.")
	w.typeLine(at("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 0))
	w.screen.WaitFor(t, "That code comes from a different entry in your authenticator app.")
	old := at(secret, -30*time.Second)
	w.typeLine(old)
	w.screen.WaitFor(t, "It worked, but your phone's clock is about 30 seconds behind Cognito's")
	w.tm.Type("t")
	w.screen.WaitFor(t, "Test sign-in: Cognito asks for a code")
	w.typeLine(old)
	w.screen.WaitFor(t, "That code is right, yet Cognito refused it")
	w.clock.Advance(30 * time.Second)
	w.typeLine(at(secret, 0))
	w.screen.WaitFor(t, "Test sign-in worked")
}
