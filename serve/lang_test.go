package serve

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// TestSessionLanguageFromTheClient: a session whose client sends
// LANG=ja_JP.UTF-8 gets the wizard in Japanese while the server runs with
// LANG=C; one that sends es_ES is refused, without a terminal, in Spanish.
// Not parallel: it sets the server process's own LANG.
func TestSessionLanguageFromTheClient(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "C")
	ts := startServer(t, Config{})
	c := ts.mustDial(t)

	ja := openSession(t, c)
	if err := ja.sess.Setenv("LANG", "ja_JP.UTF-8"); err != nil {
		t.Fatal(err)
	}
	if err := ja.sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	ja.shell()
	ja.waitFor(string([]rune(i18n.For(language.Japanese).T(i18n.SigninIntro))[:10]))
	ja.typ("\x03")
	ja.waitExit()

	es := openSession(t, c)
	if err := es.sess.Setenv("LC_MESSAGES", "es_ES.UTF-8"); err != nil {
		t.Fatal(err)
	}
	es.shell()
	es.waitExit()
	if got, want := es.err.String(), refusalLine(i18n.For(language.Spanish), refuseNoPTY); !strings.Contains(got, want) {
		t.Errorf("no terminal, LC_MESSAGES=es_ES.UTF-8: stderr %q, want %q", got, want)
	}

	en := openSession(t, c)
	if err := en.sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	en.shell()
	en.waitFor(i18n.English().T(i18n.SigninIntro))
	en.typ("\x03")
	en.waitExit()
}

// TestSessionWithoutLanguageGetsTheServers: a client that sends no locale
// reads the server's configured language (--lang), not English.
func TestSessionWithoutLanguageGetsTheServers(t *testing.T) {
	t.Parallel()
	es := i18n.For(language.Spanish)
	ts := startServer(t, Config{Lang: es})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor(es.T(i18n.SigninTitle))
	tm.typ("\x03")
	tm.waitExit()
}

func TestLanguageOfEnviron(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want language.Tag
	}{
		{[]string{"LANG=ja_JP.UTF-8"}, language.Japanese},
		{[]string{"TERM=xterm", "LC_ALL=es_MX.UTF-8", "LANG=ja_JP.UTF-8"}, language.Spanish},
		{[]string{"COGNITO_TOTP_LANG=ja", "LANG=es_ES.UTF-8"}, language.Japanese},
		{[]string{"LANG=C"}, language.English},
		{nil, language.English},
	} {
		if got := languageOf(c.env); got.Tag != c.want {
			t.Errorf("languageOf(%q) = %v, want %v", c.env, got.Tag, c.want)
		}
	}
}
