package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// EnvLang names the environment variable that chooses the language when
// --lang is not given.
const EnvLang = "COGNITO_TOTP_LANG"

// Choice is the language chosen, where it came from, and a language asked
// for that the catalogs do not have.
type Choice struct {
	Tag     language.Tag
	From    string // "--lang", EnvLang, "profile", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"; "" for the default
	Unknown string // what was asked for and is not supported (English is used instead); "" when none
}

// Localizer is the chosen language's localizer.
func (c Choice) Localizer() *Localizer { return For(c.Tag) }

// Choose picks the language: --lang (flag), then COGNITO_TOTP_LANG, then the
// profile's lang, then the POSIX locale (the first set of LC_ALL,
// LC_MESSAGES and LANG; C and POSIX mean English), then the LANGUAGE list.
// getenv is a lookup, not os.Getenv itself, so that serve can pass an SSH
// session's own environment. The first source that names a language
// decides; one the catalogs lack gives English, with Unknown saying so.
func Choose(flag, profile string, getenv func(string) string) Choice {
	for _, src := range []struct{ from, value string }{
		{"--lang", flag}, {EnvLang, getenv(EnvLang)}, {"profile", profile},
	} {
		if v := strings.TrimSpace(src.value); v != "" {
			return decide(src.from, v)
		}
	}
	var unknown string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		c := decide(name, v)
		if c.Unknown == "" {
			return c
		}
		unknown = c.Unknown // LANGUAGE may still name one we have, as gettext reads it
		break
	}
	for _, v := range strings.Split(getenv("LANGUAGE"), ":") {
		if tag, ok := Parse(v); ok {
			return Choice{Tag: tag, From: "LANGUAGE"}
		}
	}
	return Choice{Tag: language.English, Unknown: unknown}
}

func decide(from, value string) Choice {
	if tag, ok := Parse(value); ok {
		return Choice{Tag: tag, From: from}
	}
	return Choice{Tag: language.English, From: from, Unknown: value}
}

// Parse reads a language as a flag or a POSIX locale names it ("ja",
// "es-MX", "ja_JP.UTF-8", "de_DE@euro", "C") and returns the supported
// language nearest it; ok is false when there is none.
func Parse(name string) (language.Tag, bool) {
	name = strings.TrimSpace(name)
	if i := strings.IndexAny(name, ".@"); i >= 0 {
		name = name[:i] // the codeset and the modifier say nothing of the language
	}
	switch name {
	case "":
		return language.Und, false
	case "C", "POSIX":
		return language.English, true
	}
	tag, err := language.Parse(strings.ReplaceAll(name, "_", "-"))
	if err != nil {
		return language.Und, false
	}
	return match(tag)
}
