package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// codeField takes a 6-digit code, typed or pasted: a pasted "123 456" or
// "Your code is 123456" becomes the digits. It never calls Cognito; a code
// that is not 6 digits is refused here with flow's KindBadCode message.
type codeField struct {
	tr      *i18n.Localizer
	input   textinput.Model
	problem string // why the last entry is not a code
}

func newCodeField(styles *Styles, tr *i18n.Localizer) codeField {
	in := newInput(styles, tr.T(i18n.CodePrompt)+" ", 40)
	in.Placeholder = tr.T(i18n.CodePlaceholder)
	in.Focus()
	return codeField{tr: tr, input: in}
}

// Update returns the normalised code when enter is pressed on a valid one.
func (c codeField) Update(msg tea.Msg, keys KeyMap) (codeField, string, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		code, err := flow.NormalizeCode(msg.Content)
		if err != nil {
			c.problem = sentenceOf(c.tr, err)
			return c, "", nil
		}
		c.problem = ""
		c.input.SetValue(code)
		c.input.CursorEnd()
		return c, "", nil
	case tea.KeyPressMsg:
		if key.Matches(msg, keys.Submit) {
			code, err := flow.NormalizeCode(c.input.Value())
			if err != nil {
				c.problem = sentenceOf(c.tr, err)
				return c, "", nil
			}
			c.problem = ""
			return c, code, nil
		}
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return c, "", cmd
}

// clear empties the input for the next code.
func (c *codeField) clear() {
	c.input.Reset()
	c.problem = ""
}

// View draws the field in at most width columns; a code needs few.
func (c codeField) View(f frame, width int) string {
	fitInput(&c.input, f.withWidth(min(width, lenPrompt(c.input)+13)))
	// The bubble cuts its placeholder by cells but indexes it by runes, so a
	// placeholder with a wide character ("6 桁") ends in a NUL byte
	// (charmbracelet/bubbles#573; pull request #990 fixes it): drop it.
	return strings.ReplaceAll(c.input.View(), "\x00", "")
}
