package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// bgSource is where the wizard learnt the terminal's background colour,
// which decides the QR code's glyphs when colours are off (see qrStyle).
type bgSource int

const (
	bgGuessed  bgSource = iota // nothing said: dark is assumed
	bgFromEnv                  // COLORFGBG, which the terminal set when it started
	bgAnswered                 // the terminal answered the background query: this wins
)

// colourFGBG reads COLORFGBG as rxvt sets it (and Konsole and others after
// it): "fg;bg", or "fg;xpm;bg", the last field the background's colour
// index. Indexes 0-6 and 8 are dark colours, 7 and 9-15 light. ok is false
// when it is unset or says nothing usable ("default").
func colourFGBG(v string) (isDark, ok bool) {
	if v == "" {
		return false, false
	}
	fields := strings.Split(v, ";")
	n, err := strconv.Atoi(strings.TrimSpace(fields[len(fields)-1]))
	if err != nil || n < 0 || n > 15 {
		return false, false
	}
	return n <= 6 || n == 8, true
}

// setBackground takes the terminal's background as dark or light, from src;
// what the terminal itself answered is never overridden by the environment.
func (a *App) setBackground(isDark bool, src bgSource) {
	if src < a.bg {
		return
	}
	a.bg = src
	a.styles = sharedStyles(isDark)
	a.spinner.Style = a.styles.Spinner
}

// terminalSaid handles what Bubble Tea reports about the terminal: its
// background colour, its colour profile, its environment.
func (a *App) terminalSaid(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		a.setBackground(msg.IsDark(), bgAnswered)
	case tea.ColorProfileMsg:
		a.colourless = msg.Profile <= colorprofile.ASCII
	case tea.EnvMsg:
		if isDark, ok := colourFGBG(msg.Getenv("COLORFGBG")); ok {
			a.setBackground(isDark, bgFromEnv)
		}
	}
}

// qrUnsure reports whether the QR code's glyphs are a guess: colours are off,
// so the glyphs alone draw the code, and the terminal never said its
// background. The secret screen then says ctrl+r inverts the code.
func (a *App) qrUnsure() bool { return a.colourless && a.bg == bgGuessed }

// replyTail puts back together a background answer that reached the
// wizard in pieces. Bubble Tea's input reader gives an escape sequence 50 ms
// to complete; an answer split across reads further apart than that (a slow
// link) arrives as an unknown sequence ("\x1b]11;rgb:ff") and then as keys
// ("ff/ffff/ffff" and ctrl+g for its BEL, or alt+\ for its ST), which would
// be typed into the focused field while the answer is lost. The keys that can
// continue such an answer are taken here, and the whole is read as the
// answer; any other key ends it and goes on as typed. handled reports
// whether msg was taken.
func (a *App) replyTail(msg tea.Msg) (handled bool) {
	if u, ok := msg.(uv.UnknownEvent); ok {
		if s := string(u); strings.HasPrefix(s, "\x1b]") && len(s) < maxReply {
			a.partialReply = s
			return true
		}
		return false
	}
	if a.partialReply == "" {
		return false
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	switch {
	case k.Mod == tea.ModCtrl && k.Code == 'g', k.Mod == tea.ModAlt && k.Code == '\\': // BEL, ST: the answer is whole
		reply := strings.TrimPrefix(a.partialReply, "\x1b]")
		a.partialReply = ""
		if spec, ok := strings.CutPrefix(reply, "11;"); ok {
			if c := ansi.XParseColor(spec); c != nil {
				a.terminalSaid(tea.BackgroundColorMsg{Color: c})
			}
		}
		return true
	case k.Mod == 0 && len(k.Text) == 1 && strings.Contains(replyChars, k.Text) && len(a.partialReply) < maxReply:
		a.partialReply += k.Text
		return true
	}
	a.partialReply = "" // a key no answer has: the person typing
	return false
}

// replyChars are the characters of an OSC 11 answer after its introducer
// ("11;rgb:ffff/ffff/ffff"); maxReply bounds one.
const (
	replyChars = "0123456789abcdefABCDEF;:/rgb#"
	maxReply   = 64
)
