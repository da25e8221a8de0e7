package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// newPasswordSubmitted is the person choosing a new password (typed twice,
// the same) and giving the attributes the pool requires.
type newPasswordSubmitted struct {
	Password   string
	Attributes map[string]string // nil when the pool requires none
}

// newPasswordScreen answers NEW_PASSWORD_REQUIRED: a new password, typed
// twice, then one input per required attribute the user does not have yet.
type newPasswordScreen struct {
	tr       *i18n.Localizer
	username string
	fields   []textinput.Model // password, confirmation, then the attributes
	attrs    []string          // the attribute name of fields[2+i]
	focused  int
	problem  string // a mismatch, the pool's password rules, or a refused value
	tooLong  string // a paste or key refused: the field would be longer than Cognito takes
}

func newNewPasswordScreen(styles *Styles, tr *i18n.Localizer, g glyphs, username string, attrs []string) newPasswordScreen {
	s := newPasswordScreen{tr: tr, username: username, attrs: attrs}
	for _, prompt := range []i18n.Key{i18n.NewpwPassword, i18n.NewpwAgain} {
		in := newInput(styles, tr.T(prompt)+" ", 256)
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = g.bullet
		s.fields = append(s.fields, in)
	}
	for _, name := range attrs {
		s.fields = append(s.fields, newInput(styles, attributeLabel(tr, name)+": ", 2048))
	}
	s.focus(0)
	return s
}

// missingAttributes are the step's required attributes the user has no value for.
func missingAttributes(step flow.Step) []string {
	var missing []string
	for _, name := range step.RequiredAttributes {
		if step.UserAttributes[name] == "" {
			missing = append(missing, name)
		}
	}
	return missing
}

// attributeLabel names an attribute for a person: Cognito's standard ones
// in tr's language ("given_name" is "Given name", "Nombre de pila", "名 (下の名前)"); a
// custom one from its own name ("custom:team_id" is "Team id"), which the
// pool's owner chose and no catalog knows.
func attributeLabel(tr *i18n.Localizer, name string) string {
	if key, ok := standardAttributes[name]; ok {
		return tr.T(key)
	}
	name = strings.TrimPrefix(name, "custom:")
	name = strings.ReplaceAll(name, "_", " ")
	if name == "" {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// standardAttributes are Cognito's standard attributes a pool may require.
var standardAttributes = map[string]i18n.Key{
	"name": i18n.AttrName, "given_name": i18n.AttrGivenName, "family_name": i18n.AttrFamilyName,
	"middle_name": i18n.AttrMiddleName, "nickname": i18n.AttrNickname, "preferred_username": i18n.AttrPreferredUsername,
	"email": i18n.AttrEmail, "phone_number": i18n.AttrPhoneNumber, "address": i18n.AttrAddress,
	"birthdate": i18n.AttrBirthdate, "gender": i18n.AttrGender, "locale": i18n.AttrLocale,
	"picture": i18n.AttrPicture, "profile": i18n.AttrProfile, "website": i18n.AttrWebsite, "zoneinfo": i18n.AttrZoneinfo,
}

func (s *newPasswordScreen) focus(i int) {
	s.focused = (i + len(s.fields)) % len(s.fields)
	for j := range s.fields {
		if j == s.focused {
			s.fields[j].Focus()
		} else {
			s.fields[j].Blur()
		}
	}
}

// onLast reports whether enter submits (the last field has the focus).
func (s newPasswordScreen) onLast() bool { return s.focused == len(s.fields)-1 }

// refused shows why Cognito did not take the form. A password the pool's
// rules refuse is emptied for another one; a refused attribute value keeps
// the whole form, to be corrected.
func (s *newPasswordScreen) refused(problem string, keepForm bool) {
	s.problem = problem
	if keepForm {
		s.focus(min(2, len(s.fields)-1))
		return
	}
	s.fields[0].Reset()
	s.fields[1].Reset()
	s.focus(0)
}

func (s newPasswordScreen) Update(msg tea.Msg, keys KeyMap) (newPasswordScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if key.Matches(k, keys.Next, keys.Prev, keys.Submit) {
			s.tooLong = ""
		}
		switch {
		case key.Matches(k, keys.Next):
			s.focus(s.focused + 1)
			return s, nil
		case key.Matches(k, keys.Prev):
			s.focus(s.focused - 1)
			return s, nil
		case key.Matches(k, keys.Submit):
			return s.submit()
		}
	}
	var cmd tea.Cmd
	var tooLong string
	s.fields[s.focused], cmd, tooLong = updateBounded(s.fields[s.focused], msg, s.tr)
	if typed(msg) {
		s.tooLong = tooLong
	}
	return s, cmd
}

func (s newPasswordScreen) submit() (newPasswordScreen, tea.Cmd) {
	password, confirm := s.fields[0].Value(), s.fields[1].Value()
	switch {
	case password == "":
		s.problem = s.tr.T(i18n.NewpwNeedPassword)
		s.focus(0)
	case s.focused == 0:
		s.problem = ""
		s.focus(1)
	case confirm != password:
		s.problem = s.tr.T(i18n.NewpwMismatch)
		s.fields[1].Reset()
		s.focus(1)
	case !s.onLast():
		s.problem = ""
		s.focus(s.focused + 1)
	default:
		var attrs map[string]string
		for i, name := range s.attrs {
			v := strings.TrimSpace(s.fields[2+i].Value())
			if v == "" {
				s.problem = s.tr.T(i18n.NewpwNeedValue, "Attribute", attributeLabel(s.tr, name))
				s.focus(2 + i)
				return s, nil
			}
			if attrs == nil {
				attrs = map[string]string{}
			}
			attrs[name] = v
		}
		s.problem = ""
		return s, emit(newPasswordSubmitted{Password: password, Attributes: attrs})
	}
	return s, nil
}

func (s newPasswordScreen) View(f frame) string {
	var b strings.Builder
	b.WriteString(f.para(f.styles.Title, f.tr.T(i18n.NewpwTitle)) + "\n")
	b.WriteString(f.para(f.styles.Text, f.tr.T(i18n.NewpwIntro, "Username", s.username)) + "\n\n")
	for i, in := range s.fields {
		if i == 2 {
			b.WriteString("\n" + f.para(f.styles.Text, f.tr.T(i18n.NewpwAttributes)) + "\n")
		}
		fitInput(&in, f)
		b.WriteString(in.View() + "\n")
	}
	b.WriteString("\n")
	switch {
	case f.status != "":
		b.WriteString(f.status)
	case s.tooLong != "":
		b.WriteString(f.para(f.styles.Error, s.tooLong))
	case s.problem != "":
		b.WriteString(f.para(f.styles.Error, s.problem))
	}
	return b.String()
}
