package plain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/plain"
)

// TestGoldenTranscript pins everything a person reads in one run on the demo
// pool, start to finish: a mismatched new password, a code of 5 digits, a
// wrong code, the right one and the test sign-in. The clock is fixed, and
// the secret (random in cognitolocal) is replaced by a placeholder. What was
// typed does not appear: the input is a pipe, which does not echo.
// Refresh with: go test ./plain -update
func TestGoldenTranscript(t *testing.T) { goldenTranscript(t, i18n.English()) }

// TestGoldenTranscriptTranslated is the same run in each other language,
// chosen explicitly (never from the machine's LANG).
func TestGoldenTranscriptTranslated(t *testing.T) {
	for _, tag := range i18n.Languages()[1:] {
		t.Run(tag.String(), func(t *testing.T) { goldenTranscript(t, i18n.For(tag)) })
	}
}

// demoOptions are o in language tr, with the demo's account offered as the
// wizard offers it on the demo pool.
func (w *world) demoOptions(tr *i18n.Localizer, o plain.Options) plain.Options {
	o.Lang = tr
	o.Demo = &plain.Demo{Username: w.demo.Username, Password: w.demo.TemporaryPassword, PoolID: "us-east-1_demo"}
	return o
}

// promptIn is the prompt of key k in language tr, as plain writes it before
// what is typed.
func promptIn(tr *i18n.Localizer) func(k i18n.Key, vars ...any) string {
	return func(k i18n.Key, vars ...any) string { return tr.T(k, vars...) + " " }
}

// toPasswordAgain signs in as the demo's user, in language tr, with its
// temporary password, types the new password once, and waits for the
// prompt to type it again.
func (c *conversation) toPasswordAgain(w *world, tr *i18n.Localizer) {
	c.t.Helper()
	prompt := promptIn(tr)
	c.expect(prompt(i18n.PlainUsernameDefault, "Username", "demo"))
	c.send("")
	c.expect(prompt(i18n.SigninPassword))
	c.send(w.demo.TemporaryPassword)
	c.expect(prompt(i18n.NewpwPassword))
	c.send(newPassword)
	c.expect(prompt(i18n.PlainPasswordAgain))
}

func goldenTranscript(t *testing.T, tr *i18n.Localizer) {
	w := newWorld(t)
	c := start(t, context.Background(), w.demoOptions(tr, w.options()))
	prompt := promptIn(tr)
	c.toPasswordAgain(w, tr)
	c.send("Another-Passw0rd!")
	c.expect(prompt(i18n.NewpwPassword))
	c.send(newPassword)
	c.expect(prompt(i18n.PlainPasswordAgain))
	c.send(newPassword)
	secret := c.expectLine(strings.TrimSuffix(tr.T(i18n.PlainSecretCompact, "Secret", "\x00"), "\x00"))
	c.expect(prompt(i18n.CodePrompt))
	c.send("12345")
	c.expect(prompt(i18n.CodePrompt))
	c.send(w.wrongCode(t, secret))
	c.expect(prompt(i18n.CodePrompt))
	c.send(w.code(t, secret))
	c.expect(prompt(i18n.PlainTestNow))
	c.send(strings.Fields(tr.T(i18n.PlainYesWords))[0])
	c.expect(prompt(i18n.PlainCodeNew))
	w.clock.Advance(30 * time.Second)
	c.send(w.code(t, secret))
	outcome, err := c.finish()
	if outcome != plain.Enrolled || err != nil {
		t.Fatalf("Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	out := c.transcript()
	assertClean(t, out, newPassword, "Another-Passw0rd!")
	out = strings.ReplaceAll(out, groupOf4(secret), "SECR ET01 SECR ET02 SECR ET03 SECR ET04")
	out = strings.ReplaceAll(out, secret, "SECRET01SECRET02SECRET03SECRET04")
	golden.RequireEqual(t, out)
}

// TestGoldenReplaceTranscript pins what a person reads when replacing an
// authenticator: the second run of an enrolled account, from its sign-in to
// the note about the old entry. Refresh with: go test ./plain -update
func TestGoldenReplaceTranscript(t *testing.T) {
	w := newWorld(t)
	c, _ := enrolledTwice(t, w)
	second := c.replaceWithNew(t, w)
	c.expect("[y/N]: ")
	c.send("")
	if outcome, err := c.finish(); outcome != plain.Enrolled || err != nil {
		t.Fatalf("Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	out := c.transcript()
	assertClean(t, out, newPassword)
	out = strings.ReplaceAll(out, groupOf4(second), "SECR ET01 SECR ET02 SECR ET03 SECR ET04")
	out = strings.ReplaceAll(out, second, "SECRET01SECRET02SECRET03SECRET04")
	golden.RequireEqual(t, out)
}

// TestGoldenCausesTranscript pins what a person reads for each cause of a
// refused code, with this computer's clock 7 minutes behind Cognito's: a
// code of a phone 2 minutes slow, one 3 minutes fast, one of another entry,
// then a code one step old that is accepted (the phone's clock line), and at
// the test sign-in the same code again (reused), then the next one.
// Refresh with: go test ./plain -update
func TestGoldenCausesTranscript(t *testing.T) {
	for _, tag := range i18n.Languages() {
		t.Run(tag.String(), func(t *testing.T) {
			tr := i18n.For(tag)
			w := newWorld(t)
			computer := cognitolocal.NewManualClock(t0.Add(-7 * time.Minute))
			o := w.options()
			o.Client = flow.New(w.api, w.pool, flow.WithClock(computer.Now))
			o.Now = computer.Now
			c := start(t, context.Background(), w.demoOptions(tr, o))
			prompt := promptIn(tr)
			c.toPasswordAgain(w, tr)
			c.send(newPassword)
			secret := c.expectLine(strings.TrimSuffix(tr.T(i18n.PlainSecretCompact, "Secret", "\x00"), "\x00"))
			at := func(secret string, d time.Duration) string {
				code, err := totp.GenerateCode(secret, w.clock.Now().Add(d))
				if err != nil {
					t.Fatal(err)
				}
				return code
			}
			for _, code := range []string{at(secret, -2*time.Minute), at(secret, 3*time.Minute), at("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 0)} {
				c.expect(prompt(i18n.CodePrompt))
				c.send(code)
			}
			c.expect(prompt(i18n.CodePrompt))
			old := at(secret, -30*time.Second)
			c.send(old)
			c.expect(prompt(i18n.PlainTestNow))
			c.send(strings.Fields(tr.T(i18n.PlainYesWords))[0])
			c.expect(prompt(i18n.PlainCodeNew))
			c.send(old)
			c.expect(prompt(i18n.PlainCodeNew))
			w.clock.Advance(30 * time.Second)
			computer.Advance(30 * time.Second)
			c.send(w.code(t, secret))
			if outcome, err := c.finish(); outcome != plain.Enrolled || err != nil {
				t.Fatalf("Run = %v, %v; want Enrolled, nil", outcome, err)
			}
			out := c.transcript()
			assertClean(t, out, newPassword)
			out = strings.ReplaceAll(out, groupOf4(secret), "SECR ET01 SECR ET02 SECR ET03 SECR ET04")
			out = strings.ReplaceAll(out, secret, "SECRET01SECRET02SECRET03SECRET04")
			golden.RequireEqual(t, out)
		})
	}
}
