package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// wrapText wraps plain text to width cells. It breaks at spaces, and also
// between two characters of a language written without spaces (Japanese,
// Chinese), but never inside a Latin word or name such as demo-user, never
// before closing punctuation (。、」) and never after opening punctuation
// (「). A word wider than the line is cut, by cells.
func wrapText(text string, width int) []string {
	var lines []string
	var line string
	lineWidth := 0
	for _, t := range tokens(text) {
		w := ansi.StringWidth(t.text)
		switch {
		case line == "":
		case lineWidth+t.gap()+w <= width:
			line += strings.Repeat(" ", t.gap()) + t.text
			lineWidth += t.gap() + w
			continue
		default:
			lines = append(lines, line)
		}
		line, lineWidth = t.text, w
		for lineWidth > width {
			head := ansi.Truncate(line, width, "")
			if head == "" { // a character wider than the whole line
				head = string([]rune(line)[:1])
			}
			lines = append(lines, head)
			line = strings.TrimPrefix(line, head)
			lineWidth = ansi.StringWidth(line)
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// token is a piece of text no line break may fall inside.
type token struct {
	text  string
	space bool // a space came before it
}

func (t token) gap() int {
	if t.space {
		return 1
	}
	return 0
}

// tokens splits text into the pieces a line may break between. Each piece
// is a slice of text, so splitting allocates only the list.
func tokens(text string) []token {
	var out []token
	start, end := -1, 0 // the piece being read: text[start:end]
	space := false      // a space came before the piece being read
	spaceNext := false  // a space came before the next piece
	glueNext := false   // the last character was opening punctuation: keep it with what follows
	last := rune(-1)
	flush := func() {
		if start >= 0 {
			out = append(out, token{text: text[start:end], space: space})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsSpace(r) {
			flush()
			spaceNext, glueNext, last = true, false, -1
			continue
		}
		joins := start >= 0 && !spaceNext &&
			(glueNext || noBreakBefore(r) || (!breaksAround(r) && !breaksAround(last)))
		if !joins {
			flush()
			start, space = i, spaceNext
		}
		end = i + utf8.RuneLen(r)
		glueNext, spaceNext, last = noBreakAfter(r), false, r
	}
	flush()
	return out
}

// breaksAround reports whether a line may break before and after r: the
// characters of scripts written without spaces between words.
func breaksAround(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || // CJK punctuation
		(r >= 0xFF00 && r <= 0xFFEF) || // full-width forms
		r == 'ー'
}

// noBreakBefore is punctuation that never starts a line (kinsoku): closing
// marks, small kana and the long-vowel mark, and Latin closing punctuation
// written straight after a CJK character.
func noBreakBefore(r rune) bool {
	return strings.ContainsRune("。、，．・：；？！）」』】〕〉》｝ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々.,:;!?)]}", r)
}

// noBreakAfter is punctuation that never ends a line: opening marks.
func noBreakAfter(r rune) bool {
	return strings.ContainsRune("「『（【〔〈《｛(", r)
}
