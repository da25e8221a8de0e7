package plain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/cognito-totp/cognito-totp/plain"
)

// TestGoldenTranscript pins everything a person reads in one run on the demo
// pool, start to finish: a mismatched new password, a code of 5 digits, a
// wrong code, the right one and the test sign-in. The clock is fixed, and
// the secret (random in cognitolocal) is replaced by a placeholder. What was
// typed does not appear: the input is a pipe, which does not echo.
// Refresh with: go test ./plain -update
func TestGoldenTranscript(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.PoolLabel = "local demo pool us-east-1_demo"
	o.Demo = &plain.Demo{Username: w.demo.Username, Password: w.demo.TemporaryPassword}
	c := start(t, context.Background(), o)

	c.expect("Username [demo]: ")
	c.send("")
	c.expect("Password: ")
	c.send(w.demo.TemporaryPassword)
	c.expect("New password: ")
	c.send(newPassword)
	c.expect("New password again: ")
	c.send("Another-Passw0rd!")
	c.expect("New password: ")
	c.send(newPassword)
	c.expect("New password again: ")
	c.send(newPassword)
	secret := c.expectLine("Secret (no spaces): ")
	c.expect("Code: ")
	c.send("12345")
	c.expect("Code: ")
	c.send(w.wrongCode(t, secret))
	c.expect("Code: ")
	c.send(w.code(t, secret))
	c.expect("[y/N]: ")
	c.send("y")
	c.expect("Code (a new one): ")
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
	c.send("y")
	second := c.expectLine("Secret (no spaces): ")
	c.expect("Code: ")
	w.clock.Advance(30 * time.Second)
	c.send(w.code(t, second))
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
