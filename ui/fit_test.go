package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"
	"golang.org/x/text/width"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// fitSizes are the windows every screen must fit in every language.
var fitSizes = [][2]int{{60, 20}, {80, 24}, {120, 40}}

// TestEveryScreenFits draws every screen in every language at fitSizes: no
// line is wider than the window and no line is cut, neither at the bottom
// nor at the right edge. In wide-script languages the frame's own
// characters avoid East Asian Ambiguous width, the QR code apart.
func TestEveryScreenFits(t *testing.T) {
	for _, tag := range i18n.Languages() {
		lang := i18n.For(tag)
		for _, sc := range append(goldenScreens, challengeGoldens...) {
			for _, size := range fitSizes {
				t.Run(fmt.Sprintf("%s/%s/%dx%d", tag, sc.name, size[0], size[1]), func(t *testing.T) {
					a := buildIn(t, lang, sc.build, size[0], size[1])
					view, cut := a.renderCounted()
					lines := strings.Split(ansi.Strip(view), "\n")
					if cut > 0 {
						t.Errorf("%d lines cut:\n%s", cut, strings.Join(lines, "\n"))
					}
					if len(lines) != size[1] {
						t.Errorf("%d lines, want %d", len(lines), size[1])
					}
					for i, l := range lines {
						if w := ansi.StringWidth(l); w > size[0] {
							t.Errorf("line %d is %d cells wide: %q", i, w, l)
						}
						if lang.WideScript() && !isQRLine(l) {
							for _, r := range l {
								if width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
									t.Errorf("line %d has %q, of ambiguous width: %q", i, r, l)
									break
								}
							}
						}
					}
				})
			}
		}
	}
}

// isQRLine reports whether l holds the QR code's half blocks, which have no
// ASCII stand-in (the README says what the QR needs of a terminal).
func isQRLine(l string) bool { return strings.ContainsAny(l, "▀▄█") }

// TestTooSmallSaysSo: a window too small for a screen's text shows, on its
// last body line, how many lines are missing, rather than dropping them.
func TestTooSmallSaysSo(t *testing.T) {
	for _, c := range []struct {
		lang *i18n.Localizer
		want string
	}{
		{i18n.English(), "lines do not fit: enlarge the window"},
		{i18n.For(language.Japanese), "行が表示しきれません"},
	} {
		a := buildIn(t, c.lang, screenNamed(t, "signin_error"), 60, 9)
		view, cut := a.renderCounted()
		if cut == 0 || !strings.Contains(ansi.Strip(view), c.want) {
			t.Errorf("%s at 60x9: %d cut, want a line saying %q:\n%s", c.lang.Tag(), cut, c.want, ansi.Strip(view))
		}
	}
}

// TestCodeFieldHasNoControlCharacters: the Japanese placeholder ("6 桁")
// reaches the terminal without the NUL byte the text input leaves after a
// wide character (charmbracelet/bubbles#573).
func TestCodeFieldHasNoControlCharacters(t *testing.T) {
	for _, tag := range i18n.Languages() {
		a := buildIn(t, i18n.For(tag), func(t *testing.T, w, h int) *App { return atSecret(t, testOptions(), w, h) }, 80, 24)
		for _, r := range a.View().Content {
			if r < 0x20 && r != '\n' && r != 0x1b { // ESC starts the colours
				t.Errorf("%s: the secret screen has control character %U", tag, r)
			}
		}
		for _, r := range ansi.Strip(a.View().Content) {
			if r < 0x20 && r != '\n' {
				t.Errorf("%s: the secret screen has control character %U", tag, r)
			}
		}
	}
}

// TestQRIsTheSameInEveryLanguage: the otpauth URI, its label and issuer, and
// so the QR code, do not change with the language.
func TestQRIsTheSameInEveryLanguage(t *testing.T) {
	en := buildIn(t, i18n.English(), func(t *testing.T, w, h int) *App { return atSecret(t, testOptions(), w, h) }, 120, 40)
	for _, tag := range i18n.Languages()[1:] {
		a := buildIn(t, i18n.For(tag), func(t *testing.T, w, h int) *App { return atSecret(t, testOptions(), w, h) }, 120, 40)
		if a.secret.uri != en.secret.uri || a.secret.issuer != en.secret.issuer || a.secret.account != en.secret.account ||
			strings.Join(a.secret.qr.roomy.lines, "\n") != strings.Join(en.secret.qr.roomy.lines, "\n") {
			t.Errorf("%s: URI %q, issuer %q, account %q; want those of English: %q, %q, %q",
				tag, a.secret.uri, a.secret.issuer, a.secret.account, en.secret.uri, en.secret.issuer, en.secret.account)
		}
		if !strings.Contains(screenText(a), "▄▄▄") {
			t.Errorf("%s: no QR on a 120x40 screen:\n%s", tag, screenText(a))
		}
	}
}

// TestPoolLabelInTheLanguage: with no label given, the header names the
// pool and its app client in the wizard's language.
func TestPoolLabelInTheLanguage(t *testing.T) {
	pool := flow.Pool{UserPoolID: "eu-west-1_AbC123", ClientID: "1example"}
	for _, c := range []struct {
		lang *i18n.Localizer
		want string
	}{
		{i18n.English(), "eu-west-1_AbC123 · client 1example"},
		{i18n.For(language.Spanish), "eu-west-1_AbC123 · cliente 1example"},
		{i18n.For(language.Japanese), "eu-west-1_AbC123 - クライアント 1example"},
	} {
		a := newTestApp(t, Options{Client: flow.New(nil, pool), Lang: c.lang, Now: fixedClock}, 80, 24)
		if got := strings.Split(screenText(a), "\n")[0]; !strings.Contains(got, c.want) {
			t.Errorf("%s: header %q, want %q in it", c.lang.Tag(), got, c.want)
		}
	}
}

// TestDemoPoolIsAlwaysSaid: on the demo pool every screen says it is a local
// demo and not AWS, in full: in the banner line or, when the screen needs
// that line, in the header's badge, never cut.
func TestDemoPoolIsAlwaysSaid(t *testing.T) {
	for _, tag := range i18n.Languages() {
		tr := i18n.For(tag)
		for _, size := range fitSizes {
			a := buildIn(t, tr, screenNamed(t, "secret_demo"), size[0], size[1])
			screen := screenText(a)
			if !strings.Contains(screen, tr.T(i18n.AppDemoBanner)) && !strings.Contains(screen, tr.T(i18n.AppDemoBannerShort)) &&
				!strings.Contains(strings.Split(screen, "\n")[0], tr.T(i18n.AppDemoBadge)) {
				t.Errorf("%s at %dx%d: the demo pool is not said in full:\n%s", tag, size[0], size[1], screen)
			}
		}
	}
}

func screenNamed(t *testing.T, name string) func(t *testing.T, w, h int) *App {
	t.Helper()
	for _, sc := range append(goldenScreens, challengeGoldens...) {
		if sc.name == name {
			return sc.build
		}
	}
	t.Fatalf("no screen %q", name)
	return nil
}
