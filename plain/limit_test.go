package plain_test

import (
	"context"
	"strings"
	"testing"
)

// An answer longer than Cognito takes in its field is refused with a
// sentence naming the limit and asked for again, never cut to fit: a 100 KB
// paste as the username or password, and a 300-character new password, which
// cut to 256 would be set as a password the person never chose.
func TestAnswersOverTheLimitAreRefusedNotCut(t *testing.T) {
	w := newWorld(t)
	c := start(t, context.Background(), w.options())

	c.expect("Username: ")
	c.send(strings.Repeat("u", 100<<10))
	c.expect("The text is longer than 128 characters, the most Cognito takes here; none of it was used.\nUsername: ")
	c.send(w.demo.Username)

	c.expect("Password: ")
	c.send(strings.Repeat("p", 100<<10))
	c.expect("The text is longer than 256 characters, the most Cognito takes here; none of it was used.\nPassword: ")
	if strings.Contains(c.transcript(), "Signing in") {
		t.Fatal("a password longer than Cognito takes was sent to sign in")
	}
	c.send(w.demo.TemporaryPassword)

	long := strings.Repeat("Aa1!", 75) // 300 characters
	c.expect("New password: ")
	c.send(long)
	c.expect("The text is longer than 256 characters, the most Cognito takes here; none of it was used.\n")
	c.expect("New password: ")
	c.send(newPassword)
	c.expect("New password again: ")
	c.send(long)
	c.expect("The text is longer than 256 characters, the most Cognito takes here; none of it was used.\n")
	c.expect("New password again: ")
	c.send(newPassword)
	c.expectLine("Secret (no spaces): ")
	assertClean(t, c.transcript(), long)
}
