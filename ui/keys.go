package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// KeyMap is every key the wizard knows, with its help text. The App enables
// only the bindings that work on the current screen (see App.activeKeys), so
// the help line never offers a key that does nothing.
type KeyMap struct {
	Next   key.Binding // next field
	Prev   key.Binding // previous field
	Submit key.Binding // enter: its help text says what it does here
	Copy   key.Binding // copy the secret to the clipboard (OSC 52, works over SSH)
	// CopyURI copies the otpauth URI; ctrl+l because the code field's text
	// input binds ctrl+u (delete to line start) and most other ctrl letters.
	CopyURI key.Binding
	// InvertQR swaps the QR code's light and dark modules, for a terminal
	// that drew it as a negative (colours off, background never said).
	InvertQR key.Binding
	Test     key.Binding // test sign-in on the done screen
	Retry    key.Binding // retry or start over on the failure screen
	Quit     key.Binding // q, where no text input has the focus
	Abort    key.Binding // ctrl+c, anywhere
	Up       key.Binding // previous choice in a list
	Down     key.Binding // next choice in a list
	// SwitchFlow signs in again with the other flow after the app client
	// refused this one; ctrl+ so it works while typing the password.
	SwitchFlow key.Binding
}

// DefaultKeyMap returns the wizard's keys, all enabled, with English help.
func DefaultKeyMap() KeyMap { return NewKeyMap(i18n.English()) }

// NewKeyMap returns the wizard's keys, all enabled, with help in tr's
// language. The keys themselves are the same in every language.
func NewKeyMap(tr *i18n.Localizer) KeyMap {
	arrows := "↑/↓"
	if tr.WideScript() {
		arrows = "up/down" // ↑ and ↓ are of ambiguous width
	}
	return KeyMap{
		Next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", tr.T(i18n.KeyNextField))),
		Prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", tr.T(i18n.KeyPrevious))),
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", tr.T(i18n.KeySubmit))),
		Copy:    key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", tr.T(i18n.KeyCopySecret))),
		CopyURI: key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", tr.T(i18n.KeyCopyURI))),

		InvertQR: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", tr.T(i18n.KeyInvertQr))),
		Test:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", tr.T(i18n.KeyTest))),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", tr.T(i18n.KeyRetry))),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", tr.T(i18n.KeyQuit))),
		Abort:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", tr.T(i18n.KeyQuit))),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp(arrows, tr.T(i18n.KeyMove))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", tr.T(i18n.KeyNext))),

		SwitchFlow: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", tr.T(i18n.KeyOtherFlow))),
	}
}

// ShortHelp lists the bindings for the help line; the help bubble skips
// disabled ones. ctrl+c is listed only where q does not quit.
func (k KeyMap) ShortHelp() []key.Binding {
	b := []key.Binding{k.Submit, k.SwitchFlow, k.Up, k.Next, k.Prev, k.Copy, k.CopyURI, k.InvertQR, k.Test, k.Retry, k.Quit}
	if !k.Quit.Enabled() {
		b = append(b, k.Abort)
	}
	return b
}

// FullHelp is the same keys in one column.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// enableOnly disables every binding of k except Abort and those listed, which
// must point into k: k.enableOnly(&k.Submit, &k.Next).
func (k *KeyMap) enableOnly(enabled ...*key.Binding) {
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.Submit, &k.Copy, &k.CopyURI, &k.InvertQR, &k.Test, &k.Retry, &k.Quit, &k.Up, &k.Down, &k.SwitchFlow} {
		b.SetEnabled(false)
	}
	for _, b := range enabled {
		b.SetEnabled(true)
	}
}

// activeKeys is the KeyMap with only the keys that work right now enabled.
func (a *App) activeKeys() KeyMap {
	k, tr := a.keys, a.tr
	signIn := tr.T(i18n.KeyNext)
	if a.signIn.onPassword {
		signIn = tr.T(i18n.KeySignIn, "Flow", string(a.authFlow))
	}
	switch {
	case a.running && a.inputFocused():
		k.enableOnly()
	case a.running, a.screen == screenWorking:
		k.enableOnly(&k.Quit)
	case a.screen == screenSignIn && a.signIn.switchTo != "":
		k.enableOnly(&k.Submit, &k.Next, &k.Prev, &k.SwitchFlow)
		k.Submit.SetHelp("enter", signIn)
		k.SwitchFlow.SetHelp("ctrl+o", tr.T(i18n.KeySignInWith, "Flow", string(a.signIn.switchTo)))
	case a.screen == screenSignIn:
		k.enableOnly(&k.Submit, &k.Next, &k.Prev)
		k.Submit.SetHelp("enter", signIn)
	case a.screen == screenNewPassword:
		k.enableOnly(&k.Submit, &k.Next, &k.Prev)
		k.Submit.SetHelp("enter", pick(a.newPassword.onLast(), tr.T(i18n.KeySetPassword), tr.T(i18n.KeyNext)))
	case a.screen == screenCode && a.code.stopped:
		k.enableOnly(&k.Retry, &k.Quit)
		k.Retry.SetHelp("r", tr.T(i18n.KeySignInAgain))
	case a.screen == screenCode:
		k.enableOnly(&k.Submit)
		k.Submit.SetHelp("enter", tr.T(i18n.KeyCheckCode))
	case a.screen == screenChoose:
		k.enableOnly(&k.Submit, &k.Up, &k.Down, &k.Quit)
		k.Submit.SetHelp("enter", tr.T(i18n.KeyChoose))
	case a.screen == screenReplace:
		k.enableOnly(&k.Submit, &k.Quit)
		k.Submit.SetKeys("enter", "y")
		k.Submit.SetHelp("enter/y", tr.T(i18n.KeyReplace))
		k.Quit.SetKeys("q", "n")
		k.Quit.SetHelp("q/n", tr.T(i18n.KeyKeepOld))
	case a.screen == screenSecret:
		k.enableOnly(&k.Submit, &k.Copy, &k.CopyURI, &k.InvertQR)
		k.Submit.SetHelp("enter", tr.T(i18n.KeyCheckCode))
	case a.screen == screenDone && a.done.inputFocused():
		k.enableOnly(&k.Submit)
		k.Submit.SetHelp("enter", tr.T(i18n.KeyCheckCode))
	case a.screen == screenDone && a.password == "": // signed in with a token: no password to test with
		k.enableOnly(&k.Quit)
		k.Quit.SetKeys("q", "enter")
		k.Quit.SetHelp("q/enter", tr.T(i18n.KeyQuit))
	case a.screen == screenDone:
		k.enableOnly(&k.Test, &k.Quit)
		k.Quit.SetKeys("q", "enter")
		k.Quit.SetHelp("q/enter", tr.T(i18n.KeyQuit))
	case a.screen == screenFailure && a.failure.next == nextNothing:
		k.enableOnly(&k.Quit)
	case a.screen == screenFailure:
		k.enableOnly(&k.Retry, &k.Quit)
		k.Retry.SetHelp("r", pick(a.failure.next == nextRetry, tr.T(i18n.KeyRetry), tr.T(i18n.KeyStartOver)))
	}
	return k
}

// inputFocused reports whether typed keys go to a text input now.
func (a *App) inputFocused() bool {
	switch a.screen {
	case screenSignIn, screenNewPassword, screenSecret:
		return true
	case screenCode:
		return !a.code.stopped
	case screenDone:
		return a.done.inputFocused()
	}
	return false
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
