// Package i18n holds every sentence a person reads, in each language the
// tool speaks, and chooses the language. Catalogs are TOML files under
// locales/ (one per language, English the source); plural forms follow CLDR.
// go generate turns them into Go (messages.go), so the program parses no
// file when it starts.
// It imports no package of this project: screens, plain mode and serve ask
// it for sentences by Key.
package i18n

import (
	"strconv"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Key names one message of the catalogs; the constants are in keys.go.
type Key string

//go:generate go run ./internal/genkeys

// catalog knows which languages there are; a language's messages are made
// into a localizer the first time one for it is asked for, so a run in
// English never builds Japanese, and a command that says nothing
// (--version) builds nothing.
type catalog struct {
	tags    []language.Tag // English first, then the others in file-name order
	matcher language.Matcher
	byTag   map[language.Tag]func() *Localizer
}

var loaded = sync.OnceValue(func() *catalog {
	c := &catalog{byTag: map[language.Tag]func() *Localizer{}}
	for _, lang := range catalogLanguages {
		t := language.Make(lang)
		c.tags = append(c.tags, t)
		c.byTag[t] = sync.OnceValue(func() *Localizer { return newLocalizer(t, lang) })
	}
	c.matcher = language.NewMatcher(c.tags)
	return c
})

// bundle is English (what every language falls back on) and the language's
// own catalog (none for English). Each language has its own bundle, made
// once and never changed afterwards, so localizers of different languages
// share nothing that is written.
func bundle(tag language.Tag, en, own []*goi18n.Message) *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	// A broken catalog is a bug, caught by this package's tests.
	b.MustAddMessages(language.English, en...)
	if len(own) > 0 {
		b.MustAddMessages(tag, own...)
	}
	return b
}

func newLocalizer(t language.Tag, lang string) *Localizer {
	en, own := catalogMessages("en"), []*goi18n.Message(nil)
	if lang != "en" {
		own = catalogMessages(lang)
	}
	l := &Localizer{tag: t, loc: goi18n.NewLocalizer(bundle(t, en, own), t.String(), language.English.String()), fixed: map[Key]string{}}
	// Sentences without variables or plural forms are looked up once:
	// screens ask for them on every frame. They are the language's own
	// text, or English where it has none, as go-i18n would say; a message
	// with variables or plural forms in either is left to go-i18n.
	both := append(append([]*goi18n.Message(nil), en...), own...)
	for _, m := range both {
		l.fixed[Key(m.ID)] = m.Other
	}
	for _, m := range both {
		if !plain(m) {
			delete(l.fixed, Key(m.ID))
		}
	}
	return l
}

// plain reports a message that is one text without variables: what go-i18n
// gives back unchanged whatever the count.
func plain(m *goi18n.Message) bool {
	return m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" &&
		!strings.Contains(m.Other, "{{") && m.LeftDelim == ""
}

// Languages are the languages the catalogs hold, English first.
func Languages() []language.Tag { return append([]language.Tag(nil), loaded().tags...) }

// Localizer gives the sentences of one language. It is safe for concurrent
// use and never changes; one serves every session in its language.
type Localizer struct {
	tag   language.Tag
	loc   *goi18n.Localizer
	fixed map[Key]string // the sentences without variables, filled when made
}

// English is the localizer of the source language.
func English() *Localizer { return For(language.English) }

// For is the localizer of the supported language nearest tag (es-MX: es),
// or English when none is near.
func For(tag language.Tag) *Localizer {
	t, ok := match(tag)
	if !ok {
		t = language.English
	}
	return loaded().byTag[t]()
}

// Tag is the localizer's language.
func (l *Localizer) Tag() language.Tag { return l.tag }

// WideScript reports whether the language is written in East Asian scripts.
// Its text wraps between characters, and terminals set up for it may draw
// East Asian Ambiguous characters (• … · — and the half blocks) two cells
// wide, so the frame around it keeps to ASCII.
func (l *Localizer) WideScript() bool {
	base, _ := l.tag.Base()
	switch base.String() {
	case "ja", "zh", "ko":
		return true
	}
	return false
}

// T is the message key with its variables, given as name, value pairs:
// T(SecretTitle, "Issuer", issuer, "Account", account).
func (l *Localizer) T(key Key, vars ...any) string {
	if s, ok := l.fixed[key]; ok {
		return s
	}
	return l.localize(key, nil, vars)
}

// N is the message key for count things, in the plural form count takes in
// this language; count is also the template's {{.Count}}.
func (l *Localizer) N(key Key, count int, vars ...any) string {
	return l.localize(key, count, append([]any{"Count", count}, vars...))
}

func (l *Localizer) localize(key Key, count any, vars []any) string {
	data := make(map[string]any, len(vars)/2)
	for i := 0; i+1 < len(vars); i += 2 {
		name, _ := vars[i].(string)
		data[name] = vars[i+1]
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: string(key), TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		// Only a key missing from every catalog gets here, and the tests
		// forbid that; the key is more use to a person than nothing.
		return string(key)
	}
	return s
}

// Sentence is the message key with vars, as another package hands them over
// (a flow error's key and variables): a variable named Count that holds a
// whole number chooses the plural form.
func (l *Localizer) Sentence(key Key, vars map[string]string) string {
	pairs, count, counted := Vars(vars)
	if counted {
		return l.N(key, count, pairs...)
	}
	return l.T(key, pairs...)
}

// Vars turns a map of template variables into the pairs T and N take; a
// variable named Count that holds a whole number is returned apart, for N.
func Vars(m map[string]string) (pairs []any, count int, counted bool) {
	for k, v := range m {
		if k == "Count" {
			if n, err := strconv.Atoi(v); err == nil {
				count, counted = n, true
				continue
			}
		}
		pairs = append(pairs, k, v)
	}
	return pairs, count, counted
}

// Sentences joins whole sentences as the language writes them: with a space,
// or, in Japanese and Chinese, with nothing between. Empty ones are skipped.
func (l *Localizer) Sentences(sentences ...string) string {
	sep := " "
	if base, _ := l.tag.Base(); base.String() == "ja" || base.String() == "zh" {
		sep = ""
	}
	var kept []string
	for _, s := range sentences {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, sep)
}

// match is the supported language nearest tag; ok is false when none is
// near enough to be read in its place (zh-TW is not ja).
func match(tag language.Tag) (language.Tag, bool) {
	c := loaded()
	_, i, conf := c.matcher.Match(tag)
	// The matcher reads some unrelated languages as High to English
	// (Klingon, tlh); only the same language, in any region or script, is
	// close enough to read in its place.
	asked, _ := tag.Base()
	got, _ := c.tags[i].Base()
	if conf == language.No || (conf != language.Exact && asked != got) {
		return language.English, false
	}
	return c.tags[i], true
}
