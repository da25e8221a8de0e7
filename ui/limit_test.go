package ui

import (
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A paste longer than Cognito takes in a field is refused whole with a
// sentence naming the limit, never cut to fit: a password manager's password
// cut to 256 characters would sign in, or be set, as something it did not store.
func TestAPasteOverTheLimitIsRefusedWithASentence(t *testing.T) {
	for _, tc := range []struct {
		name  string
		at    func(t *testing.T) *App
		limit int
		value func(a *App) string
	}{
		{"sign-in password", func(t *testing.T) *App {
			a := newTestApp(t, testOptions(), 100, 30)
			press(a, "demo-user", "enter")
			return a
		}, 256, func(a *App) string { return a.signIn.password.Value() }},
		{"sign-in username", func(t *testing.T) *App { return newTestApp(t, testOptions(), 100, 30) },
			128, func(a *App) string { return a.signIn.username.Value() }},
		{"new password", func(t *testing.T) *App { return atNewPassword(t, 100, 30) },
			256, func(a *App) string { return a.newPassword.fields[0].Value() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.at(t)
			send(a, tea.PasteMsg{Content: strings.Repeat("x", 100*1024)})
			if got := tc.value(a); got != "" {
				t.Errorf("a 100 KB paste left %d characters in the field, want none", len(got))
			}
			want := "longer than " + itoa(tc.limit) + " characters"
			if !strings.Contains(screenWords(a), want) {
				t.Errorf("the screen does not say %q:\n%s", want, screenText(a))
			}
			// One character over, after some typed: still refused whole.
			press(a, "ab")
			send(a, tea.PasteMsg{Content: strings.Repeat("y", tc.limit-1)})
			if got := tc.value(a); got != "ab" {
				t.Errorf("a paste one character too long changed the field to %d characters, want it kept as typed", len(got))
			}
			// What fits is pasted whole, and the sentence goes.
			send(a, tea.PasteMsg{Content: strings.Repeat("y", tc.limit-2)})
			if got := tc.value(a); got != "ab"+strings.Repeat("y", tc.limit-2) {
				t.Errorf("a paste that fits left %d characters, want %d", len(got), tc.limit)
			}
			if strings.Contains(screenWords(a), "longer than") {
				t.Errorf("the sentence stayed after a paste that fitted:\n%s", screenText(a))
			}
			// Typed at the limit: the key is dropped and the screen says why.
			press(a, "z")
			if got := tc.value(a); len(got) != tc.limit {
				t.Errorf("typing at the limit left %d characters", len(got))
			}
			if want := itoa(tc.limit) + " characters is the most"; !strings.Contains(screenWords(a), want) {
				t.Errorf("typing at the limit: the screen does not say %q:\n%s", want, screenText(a))
			}
		})
	}
}

// A new password pasted too long is never submitted in a cut form.
func TestATooLongNewPasswordIsNeverSet(t *testing.T) {
	a := atNewPassword(t, 100, 30)
	long := strings.Repeat("Aa1!", 100) // 400 characters
	send(a, tea.PasteMsg{Content: long})
	press(a, "enter")
	send(a, tea.PasteMsg{Content: long})
	press(a, "enter")
	if a.running {
		t.Fatal("a new password longer than 256 characters was sent to Cognito")
	}
}

// A code pasted with spaces, or inside a sentence, is still a code.
func TestACodePastedWithSpacesIsTaken(t *testing.T) {
	a := atSecret(t, testOptions(), 100, 30)
	send(a, tea.PasteMsg{Content: "123 456"})
	press(a, "enter")
	if !a.running {
		t.Fatalf("a code pasted with a space was not sent:\n%s", screenText(a))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
