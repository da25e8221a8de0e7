package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"regexp"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// Goldens with the colour kept, on a light and a dark background, so a change
// to the theme shows. Few on purpose: the plain goldens pin the layout.
func TestGoldenColours(t *testing.T) {
	screens := []struct {
		name  string
		build func(t *testing.T) *App
	}{
		{"signin_error", func(t *testing.T) *App {
			a := newTestApp(t, testOptions(), 80, 24)
			press(a, "demo-user", "enter", "wrong-password", "enter")
			reply(t, a, failedMsg{op: opSignIn, err: &flow.Error{Kind: flow.KindBadCredentials, Op: "sign in",
				Key: i18n.ErrBadCredentials, Message: "The username or password is not right. Check both and try again."}})
			return a
		}},
		{"secret_demo", func(t *testing.T) *App {
			o := testOptions()
			o.Demo = testDemo
			return atSecret(t, o, 80, 24)
		}},
	}
	for _, sc := range screens {
		for _, bg := range []struct {
			name string
			c    color.Color
		}{{"dark", color.Black}, {"light", color.White}} {
			t.Run(fmt.Sprintf("%s/%s", sc.name, bg.name), func(t *testing.T) {
				a := sc.build(t)
				a.Update(tea.BackgroundColorMsg{Color: bg.c})
				golden.RequireEqual(t, []byte(a.View().Content))
			})
		}
	}
}

func TestThemesDifferButTheQRDoesNot(t *testing.T) {
	dark, light := atSecret(t, testOptions(), 80, 24), atSecret(t, testOptions(), 80, 24)
	dark.Update(tea.BackgroundColorMsg{Color: color.Black})
	light.Update(tea.BackgroundColorMsg{Color: color.White})
	if dark.View().Content == light.View().Content {
		t.Fatal("a light and a dark background draw the same screen")
	}
	// The glyphs differ (see qrStyle); the code as painted does not.
	for _, a := range []*App{dark, light} {
		for _, term := range []terminal{lightTerminal, darkTerminal} {
			got, err := decodeQR(paint(a.View().Content, term))
			if err != nil || got != testSetup().URI {
				t.Errorf("the QR in colour does not read back as the URI (%q, %v)", got, err)
			}
		}
	}
}

// sgrColour matches an SGR sequence that sets a foreground or background colour.
var sgrColour = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]`)

// NO_COLOR is honoured by Bubble Tea itself: the program's colour profile
// comes from the environment (colorprofile.Detect, or colorprofile.Env over
// SSH), and its renderer downsamples every frame to that profile. This pins
// that the wizard's frames, written through that profile, keep no colour.
func TestNoColorStripsEveryColour(t *testing.T) {
	env := []string{"TERM=xterm-256color", "NO_COLOR=1"}
	profile := colorprofile.Env(env)
	if profile > colorprofile.Ascii {
		t.Fatalf("NO_COLOR gives the %v profile, want no colours", profile)
	}
	for _, a := range []*App{atSecret(t, testOptions(), 80, 24), newTestApp(t, testOptions(), 80, 24)} {
		if !sgrColour.MatchString(a.View().Content) {
			t.Fatal("the frame has no colour to strip: the test proves nothing")
		}
		var out bytes.Buffer
		w := &colorprofile.Writer{Forward: &out, Profile: profile}
		if _, err := w.WriteString(a.View().Content); err != nil {
			t.Fatal(err)
		}
		if m := sgrColour.FindString(out.String()); m != "" {
			t.Errorf("colour %q left with NO_COLOR", m)
		}
		if ansi.Strip(out.String()) != screenText(a) {
			t.Error("stripping the colour changed the text")
		}
	}
}
