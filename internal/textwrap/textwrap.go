// Package textwrap breaks text for a person into lines of at most a given
// number of terminal cells, the one way the wizard's screens and the admin
// commands wrap their sentences.
//
// Lines break at spaces, and between the characters of a script written
// without spaces (Japanese, Chinese) where Unicode's line breaking rules
// (UAX #14, through uniseg) allow it: so never before 。 or 、 nor after 「.
// A Latin word, a flag, a user name or a pool ID such as demo-user is never
// split at its hyphen. Widths are cells, not bytes: a Japanese character
// takes two.
package textwrap

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
	"golang.org/x/text/width"
)

// Lines breaks text into lines of at most width cells. A piece that no rule
// lets break and that is wider than the line stays whole, on a line of its
// own: right for output a person copies from (a flag must not be cut), wrong
// for a screen of fixed size, which wants Cut. A newline in text always
// breaks.
func Lines(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line, lineWidth := "", 0
		for _, w := range pieces(para) {
			ww := ansi.StringWidth(strings.TrimRight(w, " "))
			if line != "" && lineWidth+ww > width {
				lines = append(lines, strings.TrimRight(line, " "))
				line, lineWidth = "", 0
			}
			line += w
			lineWidth += ansi.StringWidth(w)
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// Cut is Lines for a screen: a line still wider than width (one long word)
// is cut into pieces of width cells, so nothing is drawn past the edge.
func Cut(text string, width int) []string {
	width = max(1, width)
	var out []string
	for _, line := range Lines(text, width) {
		cut := false
		for ansi.StringWidth(line) > width {
			cut = true
			head := ansi.Truncate(line, width, "")
			if head == "" { // one character wider than the whole line
				_, n := utf8.DecodeRuneInString(line)
				head = line[:n]
			}
			out = append(out, head)
			line = line[len(head):]
		}
		if line != "" || !cut {
			out = append(out, line)
		}
	}
	return out
}

// pieces splits s into the runs a line may break between, each with the
// spaces that follow it.
func pieces(s string) []string {
	var out []string
	start, state := 0, -1
	rest := s
	for rest != "" {
		var seg string
		seg, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
		end := len(s) - len(rest)
		if rest == "" || strings.HasSuffix(seg, " ") || wide(lastRune(seg)) || wide(firstRune(rest)) {
			out = append(out, s[start:end])
			start = end
		}
	}
	return out
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// wide reports whether r takes two cells (East Asian Wide or Fullwidth).
func wide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}
