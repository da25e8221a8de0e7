package i18n

import (
	"testing"

	"golang.org/x/text/language"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestChoosePrecedence walks the order: --lang, COGNITO_TOTP_LANG, the
// profile, LC_ALL, LC_MESSAGES, LANG, LANGUAGE; each case sets every source
// below the one that must win to something else.
func TestChoosePrecedence(t *testing.T) {
	all := map[string]string{EnvLang: "es", "LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "ja_JP.UTF-8", "LANGUAGE": "es"}
	without := func(drop ...string) map[string]string {
		m := map[string]string{}
		for k, v := range all {
			m[k] = v
		}
		for _, k := range drop {
			delete(m, k)
		}
		return m
	}
	for _, c := range []struct {
		name, flag, profile string
		env                 map[string]string
		want                language.Tag
		from                string
	}{
		{"flag first", "ja", "es", all, language.Japanese, "--lang"},
		{"then COGNITO_TOTP_LANG", "", "ja", all, language.Spanish, EnvLang},
		{"then the profile", "", "ja", without(EnvLang), language.Japanese, "profile"},
		{"then LC_ALL", "", "", without(EnvLang), language.Japanese, "LC_ALL"},
		{"then LC_MESSAGES", "", "", without(EnvLang, "LC_ALL"), language.Spanish, "LC_MESSAGES"},
		{"then LANG", "", "", without(EnvLang, "LC_ALL", "LC_MESSAGES"), language.Japanese, "LANG"},
		{"then LANGUAGE", "", "", without(EnvLang, "LC_ALL", "LC_MESSAGES", "LANG"), language.Spanish, "LANGUAGE"},
		{"nothing set", "", "", nil, language.English, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Choose(c.flag, c.profile, env(c.env))
			if got.Tag != c.want || got.From != c.from || got.Unknown != "" {
				t.Errorf("Choose = %+v; want %s from %q", got, c.want, c.from)
			}
		})
	}
}

func TestChooseLocaleNames(t *testing.T) {
	for _, c := range []struct {
		env     map[string]string
		want    language.Tag
		unknown string
	}{
		{map[string]string{"LANG": "es_MX.UTF-8"}, language.Spanish, ""},
		{map[string]string{"LANG": "ja_JP.eucJP@modifier"}, language.Japanese, ""},
		{map[string]string{"LANG": "es_ES@euro"}, language.Spanish, ""},
		{map[string]string{"LANG": "C"}, language.English, ""},
		{map[string]string{"LANG": "POSIX", "LANGUAGE": "ja"}, language.English, ""}, // C ignores LANGUAGE, as gettext does
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "ja_JP.UTF-8"}, language.English, ""},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, language.English, "zh_TW.UTF-8"},
		{map[string]string{"LANG": "zh_TW.UTF-8", "LANGUAGE": "zh_TW:ja"}, language.Japanese, ""},
		{map[string]string{"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:de"}, language.English, "fr_FR.UTF-8"},
		{map[string]string{EnvLang: "klingon"}, language.English, "klingon"},
		{map[string]string{EnvLang: "tlh"}, language.English, "tlh"}, // x/text's matcher calls this High to English
		{map[string]string{"LANG": "es_419.UTF-8"}, language.Spanish, ""},
		{map[string]string{"LANG": "pt_BR.UTF-8"}, language.English, "pt_BR.UTF-8"},
		{map[string]string{"LANG": "en_GB.UTF-8"}, language.English, ""},
	} {
		got := Choose("", "", env(c.env))
		if got.Tag != c.want || got.Unknown != c.unknown {
			t.Errorf("Choose(%v) = %+v; want %s, unknown %q", c.env, got, c.want, c.unknown)
		}
	}
}

// TestChooseReadsOnlyTheLookup: the server process's own LANG (set here) is
// never read; serve passes each SSH session's environment as the lookup.
func TestChooseReadsOnlyTheLookup(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "C")
	t.Setenv(EnvLang, "")
	session := env(map[string]string{"LANG": "ja_JP.UTF-8"})
	if got := Choose("", "", session); got.Tag != language.Japanese {
		t.Errorf("an SSH session with LANG=ja_JP.UTF-8 under a server with LANG=C: %+v, want Japanese", got)
	}
}
