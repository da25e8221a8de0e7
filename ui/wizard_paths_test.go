package ui_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/screentest"
	"github.com/cognito-totp/cognito-totp/ui"
)

// The wizard end to end against cognitolocal on the paths real pools take:
// an SRP-only client with a secret, a user who proves SMS first, and a user
// whose authenticator is replaced.

var testTime = time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)

// wizard runs the App in a 120x40 terminal.
type wizard struct {
	tm     *teatest.TestModel
	app    *ui.App
	screen *screentest.Reader
	clock  *cognitolocal.ManualClock
}

func runWizard(t *testing.T, o ui.Options, clock *cognitolocal.ManualClock) *wizard {
	t.Helper()
	o.Now = clock.Now
	app := ui.New(o)
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { _ = tm.Quit() })
	return &wizard{tm: tm, app: app, screen: screentest.New(tm.Output(), 120, 40), clock: clock}
}

func (w *wizard) typeLine(s string) {
	w.tm.Type(s)
	w.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func (w *wizard) signIn(t *testing.T, username, password string) {
	t.Helper()
	w.screen.WaitFor(t, "Username:")
	w.typeLine(username)
	w.typeLine(password)
}

// enroll reads the secret off the screen, types its code, reads doneSays
// on the done screen, proves it with the test sign-in and quits.
func (w *wizard) enroll(t *testing.T, doneSays ...string) {
	t.Helper()
	w.screen.WaitFor(t, "Add this account to your authenticator app")
	secret := strings.ReplaceAll(w.screen.WaitForMatch(t, groupedSecret), " ", "")
	w.typeLine(w.code(t, secret))
	w.screen.WaitFor(t, "Authenticator app added")
	for _, s := range doneSays {
		w.screen.WaitFor(t, s)
	}
	w.tm.Type("t")
	w.screen.WaitFor(t, "Test sign-in: Cognito asks for a code")
	w.clock.Advance(30 * time.Second) // a code already used is refused
	w.typeLine(w.code(t, secret))
	w.screen.WaitFor(t, "Test sign-in worked")
	w.tm.Type("q")
	w.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if got := w.app.Outcome(); got != ui.Enrolled {
		t.Errorf("Outcome() = %v, want Enrolled", got)
	}
}

func (w *wizard) code(t *testing.T, secret string) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, w.clock.Now())
	if err != nil {
		t.Fatalf("secret (%d chars) is not base32: %v", len(secret), err)
	}
	return code
}

func TestWizardSRPOnlyClientWithSecret(t *testing.T) {
	srv := localtest.New(t, localtest.At(testTime), localtest.InRegion("eu-west-1"))
	pool := srv.Pool(localtest.MFAOn)
	// An Amplify-like client: SRP only, with a secret.
	client := pool.Client(localtest.WithSecret(),
		localtest.WithFlows(types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth))
	alice := pool.NewUser("alice")
	fp := flow.Pool{UserPoolID: pool.ID, ClientID: client.ID, ClientSecret: client.Secret, Region: srv.Region}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := runWizard(t, ui.Options{Client: flow.New(api, fp, flow.WithClock(srv.Clock.Now))}, srv.Clock)
	w.signIn(t, alice.Name, alice.Password)
	w.screen.WaitFor(t, "Choose a new password")
	w.typeLine("Brand-New-Passw0rd!")
	w.typeLine("Brand-New-Passw0rd!")
	w.enroll(t)
}

// localDemo is cognitolocal's demo pool on loopback with a ManualClock at
// testTime, and a flow.Client for it that reads the same clock.
func localDemo(t *testing.T) (*cognitolocal.Server, *cognitolocal.ManualClock, cognitolocal.Demo, *flow.Client) {
	t.Helper()
	srv := localtest.New(t, localtest.At(testTime))
	demo := srv.Demo()
	fp := flow.Pool{UserPoolID: demo.UserPoolID, ClientID: demo.ClientID, Region: demo.Region}
	// No HTTPClient: the SDK refuses a plain *http.Client when AWS_CA_BUNDLE
	// is set, and its own client reaches the loopback server just as well.
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Endpoint, srv.Clock, demo, flow.New(api, fp, flow.WithClock(srv.Clock.Now))
}

// demoWizard runs the wizard on cognitolocal's demo pool, its outbox wired in.
func demoWizard(t *testing.T) (*wizard, cognitolocal.Demo) {
	t.Helper()
	w, demo, _ := demoWizardClient(t)
	return w, demo
}

// demoWizardClient is demoWizard with the flow client the wizard uses, to
// check afterwards what Cognito says.
func demoWizardClient(t *testing.T) (*wizard, cognitolocal.Demo, *flow.Client) {
	t.Helper()
	local, clock, demo, client := localDemo(t)
	latest := func(username string) (ui.DemoCode, bool) {
		out := local.Outbox()
		for i := len(out) - 1; i >= 0; i-- {
			if m := out[i]; m.Username == username {
				return ui.DemoCode{Medium: m.Medium, Destination: m.Destination, Code: m.Code}, true
			}
		}
		return ui.DemoCode{}, false
	}
	o := ui.Options{Client: client, PoolLabel: demo.UserPoolID,
		Demo: &ui.Demo{Username: demo.Username, Password: demo.TemporaryPassword, LatestCode: latest}}
	for _, u := range demo.Users {
		o.Demo.Users = append(o.Demo.Users, ui.DemoUser{Username: u.Username, Password: u.Password, Story: i18n.DemoStoryDemo})
	}
	return runWizard(t, o, clock), demo, client
}

func demoPassword(t *testing.T, demo cognitolocal.Demo, username string) string {
	t.Helper()
	for _, u := range demo.Users {
		if u.Username == username {
			return u.Password
		}
	}
	t.Fatalf("the demo has no %s", username)
	return ""
}

var outboxCode = regexp.MustCompile(`Local demo outbox: the code sent by SMS to \S+ is (\d{6})`)

func TestWizardSMSUserProvesSMSThenEnrolls(t *testing.T) {
	w, demo := demoWizard(t)
	w.screen.WaitFor(t, "Username:")
	w.tm.Send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) // to the username, filled with "demo"
	for range demo.Username {
		w.tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	w.typeLine("sms-user")
	w.typeLine(demoPassword(t, demo, "sms-user"))
	w.screen.WaitFor(t, "Code sent by text message (SMS)")
	m := w.screen.WaitForMatch(t, outboxCode)
	w.typeLine(outboxCode.FindStringSubmatch(m)[1])
	w.enroll(t)
}

// toReplaceWarning signs in totp-user with its authenticator's code and
// waits for the warning.
func (w *wizard) toReplaceWarning(t *testing.T, demo cognitolocal.Demo) {
	t.Helper()
	w.screen.WaitFor(t, "Username:")
	w.tm.Send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	for range demo.Username {
		w.tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	w.typeLine("totp-user")
	w.typeLine(demoPassword(t, demo, "totp-user"))
	w.screen.WaitFor(t, "totp-user already has an authenticator app set up")
	w.typeLine(w.code(t, demo.TOTPUserSecret))
	w.screen.WaitFor(t, "Replace the authenticator app?")
	w.screen.WaitFor(t, "Once Cognito accepts a code from the new app, only the new app works.")
}

// oldCodeSignsIn signs totp-user in with a code of its first authenticator
// and reports whether Cognito accepted it.
func oldCodeSignsIn(t *testing.T, w *wizard, client *flow.Client, demo cognitolocal.Demo) bool {
	t.Helper()
	w.clock.Advance(30 * time.Second)
	step, err := client.SignIn(context.Background(), "totp-user", demoPassword(t, demo, "totp-user"))
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("sign-in: challenge %q, error %v; want SOFTWARE_TOKEN_MFA", step.Challenge, err)
	}
	next, err := client.AnswerTOTP(context.Background(), step, w.code(t, demo.TOTPUserSecret))
	if err != nil && flow.KindOf(err) != flow.KindWrongCode {
		t.Fatalf("old code: %v", err)
	}
	return err == nil && next.SignedIn()
}

func TestWizardTOTPUserReplacesTheAuthenticator(t *testing.T) {
	w, demo, client := demoWizardClient(t)
	w.toReplaceWarning(t, demo)
	w.tm.Type("y")
	w.clock.Advance(30 * time.Second) // the new secret's first code must not be the old one's just used
	w.enroll(t, "The old authenticator no longer works for totp-user. Delete its entry from your authenticator app")
	if oldCodeSignsIn(t, w, client, demo) {
		t.Error("after the replacement, the old authenticator's code still signs in")
	}
}

// Walking away from a replacement with the new secret on screen leaves the
// old authenticator working.
func TestWizardReplacementAbandonedKeepsTheOldAuthenticator(t *testing.T) {
	w, demo, client := demoWizardClient(t)
	w.toReplaceWarning(t, demo)
	w.tm.Type("y")
	w.screen.WaitFor(t, "Add this account to your authenticator app")
	w.tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	w.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if got := w.app.Outcome(); got == ui.Enrolled {
		t.Fatalf("Outcome() = %v after ctrl+c on the secret", got)
	}
	if !oldCodeSignsIn(t, w, client, demo) {
		t.Error("after an abandoned replacement, the old authenticator's code is refused")
	}
}
