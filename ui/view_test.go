package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"rsc.io/qr"

	"github.com/cognito-totp/cognito-totp/flow"
)

func TestEveryScreenFitsTheWindow(t *testing.T) {
	for _, sc := range append(goldenScreens, challengeGoldens...) {
		for _, size := range [][2]int{{60, 20}, {61, 21}, {70, 22}, {80, 24}, {81, 25}, {100, 30}, {120, 40}, {200, 60}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				a := sc.build(t, size[0], size[1])
				lines := strings.Split(a.View().Content, "\n")
				if len(lines) != size[1] {
					t.Errorf("%d lines, want %d", len(lines), size[1])
				}
				for i, l := range lines {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("line %d is %d wide, more than %d: %q", i, w, size[0], l)
					}
				}
				words := screenWords(a)
				for _, b := range a.activeKeys().ShortHelp() {
					if b.Help().Key == a.keys.InvertQR.Help().Key {
						continue // listed only where it costs no help line of its own (TestInvertQRIsOffered)
					}
					if h := b.Help(); b.Enabled() && !strings.Contains(words, h.Key+" "+h.Desc) {
						t.Errorf("the help line lost %q:\n%s", h.Key+" "+h.Desc, screenText(a))
					}
				}
				if p := focusedPrompt(a); p != "" && !strings.Contains(screenText(a), p) {
					t.Errorf("the focused input %q is not on screen:\n%s", p, screenText(a))
				}
				if !a.View().AltScreen {
					t.Error("not in the alternate screen: the secret would stay in scrollback")
				}
			})
		}
	}
}

func TestQRShownBesideTheTextAt80x24And120x40(t *testing.T) {
	for _, o := range []Options{testOptions(), {PoolLabel: "label", Now: fixedClock, Demo: testDemo}} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			a := atSecret(t, o, size[0], size[1])
			matrix, ok := qrOnScreen(screenText(a))
			if !ok {
				t.Fatalf("%dx%d demo=%v: no QR on screen:\n%s", size[0], size[1], o.Demo != nil, screenText(a))
			}
			if err := sameCode(matrix, testSetup().URI); err != nil {
				t.Errorf("%dx%d: the QR on screen is not the otpauth URI: %v", size[0], size[1], err)
			}
			if !strings.Contains(besideQR(screenText(a)), "Add this account to your authenticator app: AWSCognito (demo-user)") {
				t.Errorf("%dx%d: issuer and account not named", size[0], size[1])
			}
		}
	}
}

func TestQRFitsAt80x24WithALongerIssuerAndAccount(t *testing.T) {
	setup := testSetup()
	setup.Issuer, setup.Account = "cognito-totp demo", "firstname.lastname@example.com"
	setup.URI = flow.OTPAuthURI(setup.Issuer, setup.Account, setup.Secret)
	o := testOptions()
	o.Demo = testDemo
	a := newTestApp(t, o, 80, 24)
	press(a, "Passw0rd!", "enter")
	reply(t, a, stepMsg{step: mfaSetupStep()})
	reply(t, a, setupMsg{setup: setup})
	matrix, ok := qrOnScreen(screenText(a))
	if !ok {
		t.Fatalf("no QR at 80x24:\n%s", screenText(a))
	}
	if err := sameCode(matrix, setup.URI); err != nil {
		t.Error(err)
	}
}

func TestQRTooBigForTheWindowIsSaidPlainly(t *testing.T) {
	a := atSecret(t, testOptions(), 70, 24)
	out := screenWords(a)
	if _, ok := qrOnScreen(screenText(a)); ok {
		t.Fatal("a QR cut to fit is worse than none")
	}
	for _, want := range []string{"Window too small for the QR code (needs 72x22); type the secret by hand or enlarge the window.",
		flow.GroupSecret(testSecret), "Code:"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, screenText(a))
		}
	}
}

func TestQRColoursAreFixedWhateverTheTheme(t *testing.T) {
	// Black modules on white on both themes. On a dark one the glyphs draw
	// the light modules (white on black); on a light one the dark modules
	// (black on white), so that with NO_COLOR the terminal's own light
	// background is the light modules (qr_render_test.go reads it back).
	for _, c := range []struct {
		isDark  bool
		sgr     []string
		darkInk bool
	}{
		{true, []string{"38;2;255;255;255", "48;2;0;0;0"}, false},
		{false, []string{"38;2;0;0;0", "48;2;255;255;255"}, true},
	} {
		st := NewStyles(c.isDark).QR
		cell := st.Render("▀")
		for _, sgr := range c.sgr {
			if !strings.Contains(cell, sgr) {
				t.Errorf("dark theme %v: QR cells %q lack %s", c.isDark, cell, sgr)
			}
		}
		if st.darkInk != c.darkInk {
			t.Errorf("dark theme %v: the glyphs draw the dark modules: %v, want %v", c.isDark, st.darkInk, c.darkInk)
		}
	}
}

// qrOnScreen reads the QR code drawn with half blocks off the screen text:
// the rows that start (after the inset) with block characters.
func qrOnScreen(screen string) ([][]bool, bool) {
	var rows [][]bool // true: dark module
	for _, line := range strings.Split(screen, "\n") {
		runes := []rune(strings.TrimPrefix(line, " "))
		n := 0
		for n < len(runes) && strings.ContainsRune("█▀▄ ", runes[n]) {
			n++
		}
		if n < 21 || !strings.ContainsAny(string(runes[:n]), "█▀▄") {
			if len(rows) > 0 {
				break
			}
			continue
		}
		cells := strings.TrimRight(string(runes[:n]), " ")
		top, bottom := []bool{}, []bool{}
		for _, r := range cells {
			top = append(top, r == ' ' || r == '▄')
			bottom = append(bottom, r == ' ' || r == '▀')
		}
		rows = append(rows, top, bottom)
	}
	return rows, len(rows) > 0
}

// sameCode reports whether matrix, quiet zone included, is uri's QR code.
func sameCode(matrix [][]bool, uri string) error {
	code, err := qr.Encode(uri, qr.L)
	if err != nil {
		return err
	}
	// The code sits somewhere inside its quiet zone: try each offset.
	for oy := 0; oy < 6; oy++ {
		for ox := 0; ox < 6; ox++ {
			if matchesAt(matrix, code, ox, oy) {
				return nil
			}
		}
	}
	return fmt.Errorf("no %dx%d code found in the %d rows on screen", code.Size, code.Size, len(matrix))
}

func matchesAt(matrix [][]bool, code *qr.Code, ox, oy int) bool {
	for y := -1; y <= code.Size; y++ {
		for x := -1; x <= code.Size; x++ {
			my, mx := oy+y, ox+x
			if my < 0 || mx < 0 || my >= len(matrix) || mx >= len(matrix[my]) {
				return false
			}
			// x or y of -1 or Size is the quiet zone: light.
			if matrix[my][mx] != code.Black(x, y) {
				return false
			}
		}
	}
	return true
}

// besideQR is the text to the right of the QR, its wrapped lines joined.
func besideQR(screen string) string {
	var words []string
	for _, line := range strings.Split(screen, "\n") {
		if i := strings.LastIndexAny(line, "█▀▄"); i >= 0 {
			line = line[i+len("█"):]
		}
		words = append(words, strings.Fields(line)...)
	}
	return strings.Join(words, " ")
}

func TestLightBackgroundSwitchesTheStyles(t *testing.T) {
	a := newTestApp(t, testOptions(), 80, 24)
	if a.styles.Error.Render("x") != NewStyles(true).Error.Render("x") {
		t.Fatal("the styles before the terminal answers are not the dark ones")
	}
	a.Update(tea.BackgroundColorMsg{Color: color.White})
	if a.styles.Error.Render("x") != NewStyles(false).Error.Render("x") {
		t.Error("a light background did not switch to the light styles")
	}
}

// focusedPrompt is the label of the input typed keys go to now, or "".
func focusedPrompt(a *App) string {
	if a.running || !a.inputFocused() {
		return ""
	}
	switch a.screen {
	case screenSignIn:
		return pick(a.signIn.onPassword, a.signIn.password.Prompt, a.signIn.username.Prompt)
	case screenNewPassword:
		return a.newPassword.fields[a.newPassword.focused].Prompt
	case screenSecret, screenCode, screenDone:
		return "Code: "
	}
	return ""
}
