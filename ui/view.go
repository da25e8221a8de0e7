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
)

// frame is what a screen needs to draw its body.
type frame struct {
	width, height           int // the room the body has
	extraWidth, extraHeight int // the least room the App's own lines take around the body
	styles                  *Styles
	status                  string // the spinner and what is happening, while a call runs
	now                     time.Time
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
	hang := strings.Repeat(" ", len(lead))
	lines := wrapWords(text, max(1, f.width-len(lead)))
	for i, l := range lines {
		prefix := hang
		if i == 0 {
			prefix = lead
		}
		lines[i] = prefix + style.Render(l)
	}
	return strings.Join(lines, "\n")
}

// wrapWords wraps plain text at spaces only (never inside a name such as
// demo-user), cutting a word longer than the width.
func wrapWords(text string, width int) []string {
	var lines []string
	var line string
	for _, word := range strings.Fields(text) {
		for ansi.StringWidth(word) > width {
			if line != "" {
				lines, line = append(lines, line), ""
			}
			lines = append(lines, ansi.Truncate(word, width, ""))
			word = ansi.TruncateLeft(word, width, "")
		}
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

func (f frame) withWidth(w int) frame {
	f.width = w
	return f
}

const (
	defaultWidth, defaultHeight = 80, 24
	demoBanner                  = "Local demo pool, not AWS: it runs on this computer; nothing reaches Amazon."
	demoBannerShort             = "Local demo pool, not AWS: nothing reaches Amazon."
)

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
	if len(bodyLines) > room {
		bodyLines = bodyLines[:room]
	}
	lines := append(top, bodyLines...)
	for len(lines) < h-len(help) {
		lines = append(lines, "")
	}
	lines = append(lines, help...)
	pad := strings.Repeat(" ", inset)
	for i, l := range lines {
		if l != "" {
			lines[i] = ansi.Truncate(pad+l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

func (a *App) frame(width, height int) frame {
	f := frame{width: width, height: height, styles: a.styles, now: a.now(),
		extraWidth: a.styles.LeftInset, extraHeight: 2}
	if a.running {
		f.status = a.spinner.View() + " " + a.styles.Text.Render(a.last.op.busyText())
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
		view = f.styles.Title.Render(pick(a.last.op == opReadToken, "Signing in with the access token", "Setting up the authenticator")) + "\n\n" + f.status
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
		left += " " + st.Demo.Render(" LOCAL DEMO POOL, NOT AWS ")
	}
	if a.poolLabel != "" {
		left += st.Muted.Render(" · " + a.poolLabel)
	}
	right := a.clock()
	room := width
	if right != "" {
		room = width - lipgloss.Width(right) - 2
	}
	left = ansi.Truncate(left, max(0, room), "…")
	line := left
	if right != "" {
		line += strings.Repeat(" ", max(2, width-lipgloss.Width(left)-lipgloss.Width(right))) + right
	}
	lines := []string{line}
	if a.demo != nil && banner {
		text := demoBanner
		if ansi.StringWidth(" "+text+" ") > width {
			text = demoBannerShort
		}
		lines = append(lines, st.Demo.Render(ansi.Truncate(" "+text+" ", width, "…")))
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
	return style.Render(fmt.Sprintf("Session: %d:%02d left", secs/60, secs%60))
}

// helpLines is the help line, wrapped between keys onto a second line when a
// narrow window cannot hold every key that works now.
func (a *App) helpLines(width int) []string {
	// Built here rather than kept in the App: it is the same for every wizard.
	h := help.New()
	h.Styles = a.styles.Help
	var enabled []key.Binding
	for _, b := range a.activeKeys().ShortHelp() {
		if b.Enabled() {
			enabled = append(enabled, b)
		}
	}
	var lines []string
	var group []key.Binding
	for _, b := range enabled {
		if len(group) > 0 && lipgloss.Width(h.ShortHelpView(append(group, b))) > width {
			lines, group = append(lines, h.ShortHelpView(group)), nil
		}
		group = append(group, b)
	}
	return append(lines, h.ShortHelpView(group))
}
