package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

type (
	// challengeCodeSubmitted is a code for the sign-in's MFA challenge, normalised.
	challengeCodeSubmitted struct{ Code string }
	// signInAgainRequested is the person starting over at sign-in (username kept).
	signInAgainRequested struct{}
)

// codeChallengeScreen answers SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP at
// sign-in: the person proves a factor the account already has.
type codeChallengeScreen struct {
	tr                  *i18n.Localizer
	username, challenge string
	medium, to          string // where Cognito sent the code (SMS, EMAIL), masked
	code                codeField
	wrong               string   // Cognito's refusal of the last code
	stopped             bool     // the code expired or the account is locked: only signing in again helps
	outbox              DemoCode // the demo's local outbox: the code it "sent"
}

func newCodeChallengeScreen(styles *Styles, tr *i18n.Localizer, username string, step flow.Step) codeChallengeScreen {
	return codeChallengeScreen{tr: tr, username: username, challenge: step.Challenge,
		medium: step.DeliveryMedium, to: step.DeliveryTo, code: newCodeField(styles, tr)}
}

// rejected says why Cognito refused the code and empties the input. flow's
// sentence for a wrong code speaks of an app; a sent code gets its own.
func (s *codeChallengeScreen) rejected(kind flow.Kind, message string) {
	s.code.clear()
	s.wrong = message
	if kind == flow.KindWrongCode && s.challenge != flow.ChallengeSoftwareToken {
		s.wrong = s.tr.T(i18n.CodeWrongEmail)
		if s.challenge == flow.ChallengeSMS {
			s.wrong = s.tr.T(i18n.CodeWrongSMS)
		}
	}
}

// stop shows why no code can help now (expired, locked out) and offers to sign in again.
func (s *codeChallengeScreen) stop(message string) {
	s.code.clear()
	s.code.input.Blur()
	s.wrong, s.stopped = message, true
}

func (s codeChallengeScreen) Update(msg tea.Msg, keys KeyMap) (codeChallengeScreen, tea.Cmd) {
	if s.stopped {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, keys.Retry) {
			return s, emit(signInAgainRequested{})
		}
		return s, nil
	}
	var code string
	var cmd tea.Cmd
	s.code, code, cmd = s.code.Update(msg, keys)
	if code != "" {
		return s, emit(challengeCodeSubmitted{Code: code})
	}
	return s, cmd
}

// factor names the challenge's factor and says where its code comes from.
func (s codeChallengeScreen) factor() (title, where string) {
	tr := s.tr
	// sent is where's sentence, with the destination when Cognito named one.
	sent := func(without, with i18n.Key) string {
		if s.to == "" {
			return tr.T(without)
		}
		return tr.T(with, "To", s.to)
	}
	switch s.challenge {
	case flow.ChallengeSoftwareToken:
		return tr.T(i18n.CodeTOTPTitle), tr.T(i18n.CodeTOTPWhere, "Username", s.username)
	case flow.ChallengeSMS:
		return tr.T(i18n.CodeSMSTitle), sent(i18n.CodeSMSWhere, i18n.CodeSMSWhereTo)
	case flow.ChallengeEmailOTP:
		return tr.T(i18n.CodeEmailTitle), sent(i18n.CodeEmailWhere, i18n.CodeEmailWhereTo)
	}
	return tr.T(i18n.CodeOtherTitle), tr.T(i18n.CodeOtherWhere, "Challenge", s.challenge)
}

func (s codeChallengeScreen) View(f frame) string {
	st := f.styles
	title, where := s.factor()
	var b strings.Builder
	b.WriteString(f.para(st.Title, title) + "\n")
	b.WriteString(f.para(st.Text, where) + "\n\n")
	if s.outbox.Code != "" {
		outbox := i18n.CodeOutboxSMS
		if strings.EqualFold(s.outbox.Medium, "EMAIL") {
			outbox = i18n.CodeOutboxEmail
		}
		b.WriteString(f.para(st.Notice, f.tr.T(outbox, "To", maskDestination(s.outbox.Destination), "Code", s.outbox.Code)) + "\n\n")
	}
	if !s.stopped {
		b.WriteString("   " + s.code.View(f, f.width-3) + "\n")
	}
	switch {
	case f.status != "":
		b.WriteString("\n" + f.status)
	case s.code.problem != "":
		b.WriteString("\n" + f.para(st.Error, s.code.problem))
	case s.wrong != "":
		b.WriteString("\n" + f.para(st.Error, s.wrong))
	}
	if s.stopped && f.status == "" {
		b.WriteString("\n\n" + f.para(st.Muted, f.tr.T(i18n.CodePressAgain)))
	}
	return strings.TrimRight(b.String(), "\n")
}

// maskDestination hides a phone number or address as Cognito does, so the
// demo shows what a real pool would: +*******0100, d***@e***.
func maskDestination(to string) string {
	switch at := strings.LastIndex(to, "@"); {
	case to == "" || strings.Contains(to, "*"):
		return to
	case at > 0:
		return to[:1] + "***@" + to[at+1:at+2] + "***"
	case len(to) > 4:
		return to[:1] + strings.Repeat("*", len(to)-5) + to[len(to)-4:]
	}
	return to
}
