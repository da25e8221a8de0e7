package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/textwrap"
)

// frame is what a screen needs to draw its body.
type frame struct {
	width, height           int // the room the body has
	extraWidth, extraHeight int // the least room the App's own lines take around the body
	styles                  *Styles
	status                  string // the spinner and what is happening, while a call runs
	now                     time.Time
	tr                      *i18n.Localizer
	glyphs                  glyphs
	qrUnsure                bool // the QR code's glyphs are a guess (App.qrUnsure)
}

// glyphs are the frame's own characters. In wide-script languages they are
// ASCII: terminals set up for Japanese or Chinese may draw East Asian
// Ambiguous characters (• … ·) two cells wide, which would break the layout.
type glyphs struct {
	bullet   rune   // a hidden password's character
	ellipsis string // the end of a cut line
	dot      string // between parts of the header
	helpSep  string // between keys on the help line
}

// ascii replaces, in wide-script languages, the ambiguous characters a label
// from the command line may hold ("pool · client 1a2b…").
func (g glyphs) ascii(s string) string {
	if g.dot == "·" {
		return s
	}
	return strings.NewReplacer("·", g.dot, "…", g.ellipsis, "•", string(g.bullet), "—", "-").Replace(s)
}

func glyphsFor(tr *i18n.Localizer) glyphs {
	if tr.WideScript() {
		return glyphs{bullet: '*', ellipsis: "...", dot: "-", helpSep: " | "}
	}
	return glyphs{bullet: '•', ellipsis: "…", dot: "·", helpSep: " • "}
}

// para wraps plain text to the frame's width and styles each line.
func (f frame) para(style lipgloss.Style, text string) string {
	return f.indented(style, "", text)
}

// item is a numbered step whose wrapped lines hang under its text.
func (f frame) item(style lipgloss.Style, number, text string) string {
	return f.indented(style, number+" ", text)
}

func (f frame) indented(style lipgloss.Style, lead, text string) string {
	leadWidth := ansi.StringWidth(lead) // cells, not bytes: a lead may be wide
	hang := strings.Repeat(" ", leadWidth)
	lines := textwrap.Cut(text, max(1, f.width-leadWidth))
	for i, l := range lines {
		prefix := hang
		if i == 0 {
			prefix = lead
		}
		lines[i] = prefix + style.Render(l)
	}
	return strings.Join(lines, "\n")
}

func (f frame) withWidth(w int) frame {
	f.width = w
	return f
}

const defaultWidth, defaultHeight = 80, 24

// View draws the wizard in the alternate screen, so the secret does not stay
// in the terminal's scrollback after exit.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "cognito-totp"
	return v
}

// render lays out the header, the current screen and the help line on the
// bottom row. It tries the roomiest arrangement first and gives up the demo
// banner's own line and the blank line under the header only when the screen
// needs them (the QR at 80x24).
func (a *App) render() string {
	s, _ := a.renderCounted()
	return s
}

// renderCounted is render, also saying how many lines did not fit: the
// body's lines beyond the window (the last line on screen says how many), and
// lines wider than the window (cut at its edge). A layout that works has none.
func (a *App) renderCounted() (view string, cut int) {
	w, h := a.width, a.height
	if w <= 0 || h <= 0 {
		w, h = defaultWidth, defaultHeight
	}
	inset := a.styles.LeftInset
	inner := max(1, w-inset)
	arrangements := []struct{ banner, gap bool }{{true, true}, {true, false}, {false, false}}
	help := a.helpLines(inner)
	var top []string
	var body string
	for i, arr := range arrangements {
		top = a.header(inner, arr.banner)
		if arr.gap {
			top = append(top, "")
		}
		var ok bool
		body, ok = a.body(a.frame(inner, h-len(top)-len(help)))
		if ok || i == len(arrangements)-1 {
			break
		}
	}
	bodyLines := strings.Split(body, "\n")
	room := max(0, h-len(top)-len(help))
	if len(bodyLines) > room && room > 0 {
		// Never silently: the last line that fits says how much is missing.
		hidden := len(bodyLines) - room + 1
		cut += hidden
		bodyLines = append(bodyLines[:room-1], a.styles.Notice.Render(ansi.Truncate(a.tr.N(i18n.AppCut, hidden), inner, a.glyphs.ellipsis)))
	}
	lines := append(top, bodyLines...)
	for len(lines) < h-len(help) {
		lines = append(lines, "")
	}
	lines = append(lines, help...)
	pad := strings.Repeat(" ", inset)
	for i, l := range lines {
		if l != "" {
			if lipgloss.Width(pad+l) > w {
				cut++
			}
			lines[i] = ansi.Truncate(pad+l, w, "")
		}
	}
	return strings.Join(lines, "\n"), cut
}

func (a *App) frame(width, height int) frame {
	f := frame{width: width, height: height, styles: a.styles, now: a.now(), tr: a.tr, glyphs: a.glyphs,
		extraWidth: a.styles.LeftInset, extraHeight: 2, qrUnsure: a.qrUnsure()}
	if a.running {
		f.status = a.spinner.View() + " " + a.styles.Text.Render(a.tr.T(a.last.op.busyKey()))
	}
	return f
}

// body is the current screen's view; ok is false when the screen would look
// better with more room.
func (a *App) body(f frame) (view string, ok bool) {
	switch a.screen {
	case screenSignIn:
		view = a.signIn.View(f)
	case screenNewPassword:
		view = a.newPassword.View(f)
	case screenWorking:
		title := i18n.AppWorkingSetup
		if a.last.op == opReadToken {
			title = i18n.AppWorkingToken
		}
		view = f.para(f.styles.Title, a.tr.T(title)) + "\n\n" + f.status
	case screenSecret:
		var withQR bool
		view, withQR = a.secret.layout(f)
		if !withQR {
			return view, false
		}
	case screenDone:
		view = a.done.View(f)
	case screenFailure:
		view = a.failure.View(f)
	case screenCode:
		view = a.code.View(f)
	case screenChoose:
		view = a.choose.View(f)
	case screenReplace:
		view = a.replace.View(f)
	}
	return view, lipgloss.Height(view) <= f.height
}

// header is the program and pool on the left, the session's time left on the
// right, and on the demo pool a banner that says so (in the header line
// itself when banner is false).
func (a *App) header(width int, banner bool) []string {
	st := a.styles
	left := st.Header.Render("cognito-totp")
	if a.demo != nil && !banner {
		left += " " + st.Demo.Render(" "+a.tr.T(i18n.AppDemoBadge)+" ")
	}
	right := a.clock()
	room := width
	if right != "" {
		room = width - lipgloss.Width(right) - 2
	}
	// The pool's label gives way first: the badge saying it is not AWS is
	// cut only when the program's name and it alone are too wide.
	if rest := room - lipgloss.Width(left); a.poolLabel != "" && rest >= 12 { // a stub ("· e…") says nothing
		left += ansi.Truncate(st.Muted.Render(" "+a.glyphs.dot+" "+a.poolLabel), rest, a.glyphs.ellipsis)
	}
	left = ansi.Truncate(left, max(0, room), a.glyphs.ellipsis)
	line := left
	if right != "" {
		line += strings.Repeat(" ", max(2, width-lipgloss.Width(left)-lipgloss.Width(right))) + right
	}
	lines := []string{line}
	if a.demo != nil && banner {
		text := a.tr.T(i18n.AppDemoBanner)
		if ansi.StringWidth(" "+text+" ") > width {
			text = a.tr.T(i18n.AppDemoBannerShort)
		}
		for _, l := range textwrap.Cut(text, max(1, width-2)) {
			lines = append(lines, st.Demo.Render(" "+l+" "))
		}
	}
	return lines
}

// clock is the time left on the session the wizard holds ("Session: 2:41
// left"), or "" when it holds none.
func (a *App) clock() string {
	if a.expires.IsZero() {
		return ""
	}
	left := max(0, a.expires.Sub(a.now()))
	secs := int(left / time.Second)
	style := a.styles.Clock
	if left < 30*time.Second {
		style = a.styles.ClockLow
	}
	return style.Render(a.tr.T(i18n.AppClock, "Time", fmt.Sprintf("%d:%02d", secs/60, secs%60)))
}

// helpLines is the help line, wrapped between keys onto a second line when a
// narrow window cannot hold every key that works now.
func (a *App) helpLines(width int) []string {
	// Built here rather than kept in the App: it is the same for every wizard.
	h := help.New()
	h.Styles = a.styles.Help
	h.ShortSeparator = a.glyphs.helpSep
	h.Ellipsis = a.glyphs.ellipsis
	keys := a.activeKeys()
	var enabled, essential []key.Binding
	for _, b := range keys.ShortHelp() {
		if b.Enabled() {
			enabled = append(enabled, b)
			if b.Help().Key != keys.InvertQR.Help().Key {
				essential = append(essential, b)
			}
		}
	}
	wrap := func(bindings []key.Binding) []string {
		var lines []string
		var group []key.Binding
		for _, b := range bindings {
			if len(group) > 0 && lipgloss.Width(h.ShortHelpView(append(group, b))) > width {
				lines, group = append(lines, h.ShortHelpView(group)), nil
			}
			group = append(group, b)
		}
		return append(lines, h.ShortHelpView(group))
	}
	// ctrl+r is listed where it costs no line of its own: at 80 columns a
	// second help line would leave no room for the QR code. Where the
	// code's glyphs are a guess, the line under the code names the key.
	all, fewer := wrap(enabled), wrap(essential)
	if len(all) > len(fewer) {
		return fewer
	}
	return all
}
