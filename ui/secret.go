package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// codeSubmitted is the person giving the first code: 6 digits, normalised.
type codeSubmitted struct{ Code string }

// secretScreen shows the secret (QR and text) and takes the first code.
type secretScreen struct {
	issuer, account, secret string
	uri                     string // the otpauth URI the QR encodes
	qr                      qrCodes
	code                    codeField
	wrong                   string       // Cognito did not accept the code
	wrongCodes              int          // how many codes Cognito refused, against its lockout
	clock                   cognitoClock // Cognito's clock when it refused the latest code
	fresh                   bool         // this secret replaces one that died with its session
	expires                 time.Time
	copied                  i18n.Key // the sentence saying what was last sent to the clipboard; "" for nothing
	inverted                bool     // ctrl+r: the QR code's light and dark modules swapped
}

// lockoutAfter is how many wrong codes Cognito takes before it locks the
// account for a while: five failed attempts, as Cognito documents.
const lockoutAfter = 5

// warnBefore is how long before the session ends the screen says so in words.
const warnBefore = 30 * time.Second

const (
	qrGap        = 2  // columns between the QR and the text beside it
	minTextWidth = 30 // the narrowest text column worth putting beside the QR
)

func newSecretScreen(styles *Styles, tr *i18n.Localizer, setup flow.Setup) secretScreen {
	return secretScreen{
		issuer:  setup.Issuer,
		account: setup.Account,
		secret:  setup.Secret,
		uri:     setup.URI,
		qr:      newQRCodes(setup.URI),
		expires: setup.Expires,
		code:    newCodeField(styles, tr),
	}
}

// rejected keeps the secret and says the code was not accepted; the input is
// emptied for the next code.
func (s *secretScreen) rejected(message string, clock cognitoClock) {
	s.wrong, s.clock = message, clock
	s.wrongCodes++
	s.code.clear()
}

func (s secretScreen) Update(msg tea.Msg, keys KeyMap) (secretScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, keys.Copy):
			s.copied = i18n.SecretCopied
			return s, tea.SetClipboard(s.secret)
		case key.Matches(k, keys.CopyURI) && s.uri != "":
			s.copied = i18n.SecretCopiedURI
			return s, tea.SetClipboard(s.uri)
		case key.Matches(k, keys.InvertQR):
			s.inverted = !s.inverted
			return s, nil
		}
	}
	var code string
	var cmd tea.Cmd
	s.code, code, cmd = s.code.Update(msg, keys)
	if code != "" {
		return s, emit(codeSubmitted{Code: code})
	}
	return s, cmd
}

func (s secretScreen) View(f frame) string {
	v, _ := s.layout(f)
	return v
}

// layout puts the QR beside the instructions when the window allows, above
// them when it is tall and narrow, and otherwise says the window is too small.
// withQR reports whether the QR is on screen, with the line under it when its
// glyphs are a guess (false asks the App for more room, if it has any).
func (s secretScreen) layout(f frame) (view string, withQR bool) {
	if s.uri != "" && s.qr.tight.height == 0 { // no QR code holds the URI
		return s.text(f, f.tr.T(i18n.SecretQrTooLong), false), false
	}
	for _, q := range s.qrBlocks(f) {
		tw := f.width - q.width - qrGap
		if q.height == 0 || tw < minTextWidth || q.height > f.height {
			continue
		}
		text := s.text(f.withWidth(tw), "", false)
		if lipgloss.Height(text) <= f.height {
			return lipgloss.JoinHorizontal(lipgloss.Top, q.view, strings.Repeat(" ", qrGap), text), q.hinted || !f.qrUnsure
		}
	}
	for _, q := range s.qrBlocks(f) {
		if q.height == 0 || q.width > f.width {
			continue
		}
		text := s.text(f, "", false)
		if q.height+1+lipgloss.Height(text) <= f.height {
			return q.view + "\n\n" + text, q.hinted || !f.qrUnsure
		}
	}
	// The size named is one the QR and this text would fit in, beside each
	// other: with a long message (or a long language) that is taller than
	// the QR itself, so never a size the window already has.
	q := s.qr.tight
	tw := max(minTextWidth, f.width-q.width-qrGap)
	tall := max(q.height, lipgloss.Height(s.text(f.withWidth(tw), "", false)))
	need := fmt.Sprintf("%dx%d", q.width+qrGap+tw+f.extraWidth, tall+f.extraHeight)
	text := s.text(f, f.tr.T(i18n.SecretQrTooSmall, "Size", need), false)
	if lipgloss.Height(text) > f.height { // a small window with an error to show: keep every line, lose the blanks
		text = s.text(f, f.tr.T(i18n.SecretQrNoRoom, "Size", need), true)
	}
	return text, false
}

// qrBlock is the QR code as drawn on screen, with the line under it.
type qrBlock struct {
	view          string
	width, height int
	hinted        bool // the line saying ctrl+r inverts it is under the code
}

// qrBlocks are the ways to draw the QR code, roomiest first: each size with,
// when its glyphs are a guess, the line saying ctrl+r inverts it, then
// without that line if the window is short of one.
func (s secretScreen) qrBlocks(f frame) []qrBlock {
	style := f.styles.QR
	if s.inverted {
		style.darkInk = !style.darkInk
	}
	var blocks []qrBlock
	for _, hint := range []bool{f.qrUnsure, false} {
		for _, q := range []qrCode{s.qr.roomy, s.qr.tight} {
			b := qrBlock{view: q.render(style), width: q.width, height: q.height}
			if q.height > 0 && hint {
				line := f.withWidth(q.width).para(f.styles.Muted, f.tr.T(i18n.SecretQrInvertHint))
				b.view += "\n" + line
				b.height += lipgloss.Height(line)
				b.hinted = true
			}
			blocks = append(blocks, b)
		}
		if !f.qrUnsure {
			break
		}
	}
	return blocks
}

// text is the column of instructions, wrapped to f.width. tooSmall, when set,
// replaces the QR with a sentence saying why it is missing; compact drops the
// blank lines between the parts.
func (s secretScreen) text(f frame, tooSmall string, compact bool) string {
	st, tr := f.styles, f.tr
	const indent = "   "
	gap := pick(compact, "\n", "\n\n")
	var b strings.Builder
	b.WriteString(f.para(st.Title, tr.T(i18n.SecretTitle, "Issuer", s.issuer, "Account", s.account)) + gap)
	if tooSmall != "" {
		b.WriteString(f.para(st.Notice, tooSmall) + gap)
		b.WriteString(f.item(st.Text, "1.", tr.T(i18n.SecretStepKey)) + "\n")
	} else {
		b.WriteString(f.item(st.Text, "1.", tr.T(i18n.SecretStepScan)) + "\n")
	}
	for _, line := range secretLines(s.secret, f.width-len(indent)) {
		b.WriteString(indent + st.Secret.Render(line) + "\n")
	}
	b.WriteString(pick(compact, "", "\n") + f.item(st.Text, "2.", tr.T(i18n.SecretStepCode)) + "\n")
	b.WriteString(indent + s.code.View(f, f.width-len(indent)) + "\n")
	switch {
	case f.status != "":
		b.WriteString("\n" + f.status)
	case !s.expires.IsZero() && s.expires.Sub(f.now) > 0 && s.expires.Sub(f.now) <= warnBefore:
		b.WriteString("\n" + f.para(st.Error, tr.T(i18n.SecretSessionLow)))
	case s.code.problem != "":
		b.WriteString("\n" + f.para(st.Error, s.code.problem))
	case s.wrong != "":
		b.WriteString(pick(compact, "", "\n") + f.para(st.Error, s.wrong) + "\n")
		b.WriteString(f.para(st.Muted, tr.Sentences(clockHint(tr, f.now, s.clock), s.attempts(tr))))
	case s.fresh:
		b.WriteString("\n" + f.para(st.Notice, tr.T(i18n.SecretFresh)))
	case s.copied != "":
		b.WriteString("\n" + f.para(st.Muted, tr.T(s.copied)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// clockHint says the time by Cognito's clock, which checks the codes, and,
// when this computer's clock is more than 30 s from it, that an
// authenticator on this computer is off by as much.
func clockHint(tr *i18n.Localizer, now time.Time, clock cognitoClock) string {
	hint := tr.T(i18n.SecretCognitoClock, "Time", now.Add(clock.offset).UTC().Format("15:04:05"))
	if !clock.known || clock.offset.Abs() <= 30*time.Second {
		return hint
	}
	n, minutes := flow.Rounded(clock.offset)
	// A positive offset is Cognito ahead: this computer is behind.
	key := map[[2]bool]i18n.Key{
		{true, true}: i18n.SecretComputerBehindMinutes, {true, false}: i18n.SecretComputerBehindSeconds,
		{false, true}: i18n.SecretComputerAheadMinutes, {false, false}: i18n.SecretComputerAheadSeconds,
	}[[2]bool{clock.offset > 0, minutes}]
	return tr.Sentences(hint, tr.T(key, "Minutes", n, "Seconds", n))
}

// attempts counts refused codes against Cognito's lockout, once there are two.
func (s secretScreen) attempts(tr *i18n.Localizer) string {
	if s.wrongCodes < 2 {
		return ""
	}
	return tr.N(i18n.SecretRefused, s.wrongCodes, "Limit", lockoutAfter)
}

// secretLines splits the grouped secret into lines of whole groups of four
// that fit in width, as even as can be (4 and 4, not 7 and 1).
func secretLines(secret string, width int) []string {
	groups := strings.Fields(flow.GroupSecret(secret))
	perLine := max(1, (width+1)/5)
	if n := (len(groups) + perLine - 1) / perLine; n > 0 {
		perLine = (len(groups) + n - 1) / n
	}
	var lines []string
	for len(groups) > 0 {
		n := min(perLine, len(groups))
		lines = append(lines, strings.Join(groups[:n], " "))
		groups = groups[n:]
	}
	return lines
}
