package ui

import (
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles is how every screen looks. It is a value built once for a light or a
// dark background; the App swaps it whole when the terminal reports its colour.
type Styles struct {
	Header    lipgloss.Style // the top line: program and pool
	Clock     lipgloss.Style // the session's time left
	ClockLow  lipgloss.Style // the session's time left when it is nearly gone
	Demo      lipgloss.Style // the "local demo pool, not AWS" banner
	Title     lipgloss.Style
	Text      lipgloss.Style
	Muted     lipgloss.Style
	Error     lipgloss.Style
	Notice    lipgloss.Style // why the wizard came back here
	Success   lipgloss.Style
	Secret    lipgloss.Style // the grouped secret, to be typed by hand
	Spinner   lipgloss.Style
	QR        qrStyle // fixed colours: black modules on white, whatever the theme (qr.go)
	Help      help.Styles
	Input     textinput.Styles
	LeftInset int // columns left blank on the left of the body
}

// NewStyles builds the styles for a dark (isDark) or light terminal background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A78BFA"))
	muted := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	input := textinput.DefaultStyles(isDark)
	// A steady cursor: a blinking one repaints twice a second over slow links.
	input.Cursor.Blink = false
	input.Focused.Prompt = lipgloss.NewStyle().Foreground(accent)
	// The bubble's default prompt and cursor are ANSI 7, light grey: nearly
	// invisible on a light background. The terminal's own text colour suits both.
	input.Blurred.Prompt = lipgloss.NewStyle()
	input.Cursor.Color = accent
	return Styles{
		Header:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Clock:    lipgloss.NewStyle().Foreground(muted),
		ClockLow: lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#B45309"), lipgloss.Color("#FBBF24"))),
		Demo: lipgloss.NewStyle().Bold(true).
			Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FBBF24")),
		Title:     lipgloss.NewStyle().Bold(true),
		Text:      lipgloss.NewStyle(),
		Muted:     lipgloss.NewStyle().Foreground(muted),
		Error:     lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#B91C1C"), lipgloss.Color("#F87171"))),
		Notice:    lipgloss.NewStyle().Foreground(ld(lipgloss.Color("#B45309"), lipgloss.Color("#FBBF24"))),
		Success:   lipgloss.NewStyle().Bold(true).Foreground(ld(lipgloss.Color("#15803D"), lipgloss.Color("#4ADE80"))),
		Secret:    lipgloss.NewStyle().Bold(true),
		Spinner:   lipgloss.NewStyle().Foreground(accent),
		QR:        newQRStyle(isDark),
		Help:      help.DefaultStyles(isDark),
		Input:     input,
		LeftInset: 1,
	}
}

// DefaultStyles are the styles for a dark background, used until the
// terminal says otherwise.
func DefaultStyles() Styles { return NewStyles(true) }

// The two themes are the same for every wizard, so one copy of each serves
// every session (18 KB each); they are built on first use and never changed.
var (
	darkStyles  = sync.OnceValue(func() *Styles { s := NewStyles(true); return &s })
	lightStyles = sync.OnceValue(func() *Styles { s := NewStyles(false); return &s })
)

// sharedStyles is the shared, read-only Styles for a dark (isDark) or light
// background. Nothing may write through the pointer.
func sharedStyles(isDark bool) *Styles {
	if isDark {
		return darkStyles()
	}
	return lightStyles()
}
