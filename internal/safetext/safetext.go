// Package safetext makes text from outside the program (a username, an
// attribute, an endpoint's message) safe to print on a terminal as part of
// one line: it can neither move the cursor, change colours or the window
// title, nor break the line or reorder what follows it.
package safetext

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Line is s made safe to print as (part of) one line: escape sequences
// (CSI, OSC, DCS and the like, with their parameters) are removed whole,
// line breaks and tabs become spaces, and every other control character
// (C0, DEL, C1 such as the one-byte CSI) and the bidirectional overrides and
// isolates, which reorder what a terminal shows, are dropped. Printable
// text, in any script, is kept as it is.
func Line(s string) string {
	if s == "" {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r), bidiControl(r):
			return -1
		}
		return r
	}, ansi.Strip(s))
}

// bidiControl reports the explicit directional formatting characters
// (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
func bidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}
