package ui

import (
	"bytes"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/mdp/qrterminal/v3"
)

// qrCode is an otpauth URI drawn with half blocks, ready to place on screen.
type qrCode struct {
	lines         []string // uncoloured rows of the code, quiet zone included
	width, height int
}

// newQRCode draws uri at error-correction level L (the smallest code, which
// matters at 80x24) with a quiet zone of quiet modules. It writes to a
// buffer, never to the terminal.
func newQRCode(uri string, quiet int) qrCode {
	var b bytes.Buffer
	qrterminal.GenerateWithConfig(uri, qrterminal.Config{
		Level:      qrterminal.L,
		Writer:     &b,
		HalfBlocks: true,
		QuietZone:  quiet,
	})
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	q := qrCode{lines: lines, height: len(lines)}
	for _, l := range lines {
		q.width = max(q.width, lipgloss.Width(l))
	}
	return q
}

// render paints the code in fixed colours (style): the half-block characters
// draw light modules with the foreground and dark ones with the background.
func (q qrCode) render(style lipgloss.Style) string {
	out := make([]string, len(q.lines))
	for i, l := range q.lines {
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
