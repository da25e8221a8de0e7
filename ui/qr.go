package ui

import (
	"bytes"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"

	"github.com/cognito-totp/cognito-totp/flow"
)

// qrCode is an otpauth URI drawn with half blocks, ready to place on screen.
type qrCode struct {
	lines         []string // uncoloured rows of the code, quiet zone included; glyphs draw light modules
	darkLines     []string // the same rows with glyphs that draw the dark modules
	width, height int
}

// qrStyle paints a QR code: fixed colours, black modules on white whatever
// the theme, and which modules the glyphs draw. The glyphs matter when the
// colours are gone (NO_COLOR): the terminal then draws the glyphs in its own
// foreground and the rest in its own background, and a reader needs the
// light modules light. So on a light terminal the glyphs draw the dark
// modules; on a dark one, or when the terminal never said, the light ones.
type qrStyle struct {
	lipgloss.Style
	darkInk bool // the glyphs draw the dark modules (a light terminal)
}

func newQRStyle(isDark bool) qrStyle {
	if isDark {
		return qrStyle{Style: lipgloss.NewStyle().Foreground(lipgloss.Color("#FFFFFF")).Background(lipgloss.Color("#000000"))}
	}
	return qrStyle{Style: lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFFFFF")), darkInk: true}
}

// newQRCode draws uri at error-correction level L (the smallest code, which
// matters at 80x24) with a quiet zone of quiet modules. It writes to a
// buffer, never to the terminal. A uri too long for any QR code has none
// (height 0): qrterminal does not check its encoder's error and panics on
// one, so the encoder is asked first, and a panic left is taken as no code.
func newQRCode(uri string, quiet int) (q qrCode) {
	if _, err := qr.Encode(uri, qr.L); err != nil {
		return qrCode{}
	}
	defer func() {
		if recover() != nil {
			q = qrCode{}
		}
	}()
	draw := func(c qrterminal.Config) []string {
		var b bytes.Buffer
		c.Level, c.Writer, c.HalfBlocks, c.QuietZone = qrterminal.L, &b, true, quiet
		qrterminal.GenerateWithConfig(uri, c)
		return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	}
	// qrterminal's own glyphs draw the light modules ("▀" is light above,
	// dark below); these draw the dark ones.
	lines := draw(qrterminal.Config{})
	dark := draw(qrterminal.Config{WhiteChar: " ", BlackChar: "█", WhiteBlackChar: "▄", BlackWhiteChar: "▀"})
	// qrterminal closes the quiet zone with a half row outside it, dark (at
	// the top when quiet is odd, at the bottom when even); drawn in ink it
	// would be a line against the quiet zone, so these glyphs leave it light.
	edge := 0
	if quiet%2 == 0 {
		edge = len(dark) - 1
	}
	dark[edge] = strings.Repeat(" ", lipgloss.Width(dark[edge]))
	q = qrCode{lines: lines, darkLines: dark, height: len(lines)}
	for _, l := range lines {
		q.width = max(q.width, lipgloss.Width(l))
	}
	return q
}

// render paints the code in style's fixed colours, with the glyphs it asks for.
func (q qrCode) render(style qrStyle) string {
	lines := q.lines
	if style.darkInk {
		lines = q.darkLines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = style.Render(l)
	}
	return strings.Join(out, "\n")
}

// qrCodes holds the code drawn with a comfortable and with a minimal quiet
// zone; the screen picks the larger one that fits.
type qrCodes struct {
	roomy, tight qrCode
}

func newQRCodes(uri string) qrCodes {
	if uri == "" {
		return qrCodes{}
	}
	return qrCodes{roomy: newQRCode(uri, 2), tight: newQRCode(uri, 1)}
}

// MaxUsernameLength is the longest username Cognito allows, in characters.
const MaxUsernameLength = 128

// qrCapacity is the most bytes a QR code holds at level L (version 40).
const qrCapacity = 2953

// CheckIssuer says, in a sentence, when issuer (flow.DefaultIssuer when
// empty) makes the otpauth URI too long for a QR code at level L with some
// username Cognito allows: up to 128 characters, each as long as a
// character can be once escaped (a 4-byte one, 12 bytes). The issuer is in
// the URI twice, escaped. Checked at start-up, so no one reaches the secret
// screen with a secret that cannot be drawn.
func CheckIssuer(issuer string) error {
	if issuer == "" {
		issuer = flow.DefaultIssuer
	}
	if issuerFits(issuer) {
		return nil
	}
	most := 0 // the longest plain-ASCII issuer that fits, for the sentence
	for lo, hi := 0, qrCapacity; lo <= hi; {
		mid := (lo + hi) / 2
		if issuerFits(strings.Repeat("a", mid)) {
			most, lo = mid, mid+1
		} else {
			hi = mid - 1
		}
	}
	return fmt.Errorf("the issuer is too long for a QR code: it is written twice in the otpauth URI the app scans, which must also hold a username of up to %d characters; choose an issuer of at most %d letters, digits or hyphens (fewer with spaces or other characters)",
		MaxUsernameLength, most)
}

// issuerFits reports whether the URI for issuer, the longest username and a
// secret as long as Cognito's fits a QR code at level L.
func issuerFits(issuer string) bool {
	const longestRune = "\U0001F600" // 4 bytes, 12 once escaped
	uri := flow.OTPAuthURI(issuer, strings.Repeat(longestRune, MaxUsernameLength), strings.Repeat("A", 32))
	// An otpauth URI has lower-case letters, so the QR encoder writes it in
	// byte mode, where version 40 at level L holds qrCapacity bytes: the
	// length alone decides, with no encoding at start-up (TestCheckIssuer
	// draws the URI at the limit and one byte past it).
	return len(uri) <= qrCapacity
}
