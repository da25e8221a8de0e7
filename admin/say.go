package admin

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/textwrap"
)

// text is a sentence of the catalogs, not yet in any language: its key and
// its variables as name, value pairs. A value that is itself a text is said
// in the same language. The English of a text is what logs, Error() and the
// JSON output carry; a person reads it in their own language (In).
type text struct {
	key     i18n.Key
	count   int
	counted bool // count picks the plural form
	vars    []any
	join    []text // several sentences said one after the other (key unset)
}

func say(key i18n.Key, vars ...any) text { return text{key: key, vars: vars} }

func sayN(key i18n.Key, n int, vars ...any) text {
	return text{key: key, count: n, counted: true, vars: vars}
}

// sentences are whole sentences said one after the other, as l joins them.
func sentences(ts ...text) text { return text{join: ts} }

// In says t in l's language.
func (t text) In(l *i18n.Localizer) string {
	if t.join != nil {
		said := make([]string, len(t.join))
		for i, s := range t.join {
			said[i] = s.In(l)
		}
		return l.Sentences(said...)
	}
	vars := make([]any, len(t.vars))
	copy(vars, t.vars)
	for i := 1; i < len(vars); i += 2 {
		if sub, ok := vars[i].(text); ok {
			vars[i] = sub.In(l)
		}
	}
	if t.counted {
		return l.N(t.key, t.count, vars...)
	}
	return l.T(t.key, vars...)
}

func (t text) english() string { return t.In(i18n.English()) }

// whole makes an error's fragment ("there is no user ana in this pool") a
// sentence in l's language: a capital first letter where the script has
// one, and the language's full stop.
func whole(l *i18n.Localizer, fragment string) string {
	s := strings.TrimRight(strings.TrimSpace(fragment), ".。")
	if r, n := utf8.DecodeRuneInString(s); unicode.IsLower(r) {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return l.T(i18n.AdminSentence, "Text", s)
}

// wrap breaks a sentence for a person within 80 columns, the narrowest
// terminal the tool supports.
func wrap(s string) string { return wrapAt(s, 80) }

// wrapAt breaks s into lines of at most width cells, as the screens do
// (internal/textwrap); a flag or a pool ID wider than the line stays whole.
func wrapAt(s string, width int) string { return strings.Join(textwrap.Lines(s, width), "\n") }

// pad is s followed by spaces up to n cells.
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-ansi.StringWidth(s)))
}

// columns lays rows out as a table, columns two cells apart, measured in
// cells so that wide characters line up; the last column is not padded.
func columns(rows [][]string) string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(pad(cell, widths[i]+2))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
