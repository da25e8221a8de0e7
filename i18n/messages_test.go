package i18n

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// locales are the catalog files, read from the package's directory.
var locales = os.DirFS(".")

// testBundle is the bundle the program makes for tag, from messages.go.
func testBundle(tag language.Tag) *goi18n.Bundle {
	lang := tag.String()
	var own []*goi18n.Message
	if lang != "en" {
		own = catalogMessages(lang)
	}
	return bundle(tag, catalogMessages("en"), own)
}

// TestMessagesMatchCatalogs: messages.go holds exactly what go-i18n reads
// from each file under locales/, and a language for every file; a catalog
// edited without go generate fails here.
func TestMessagesMatchCatalogs(t *testing.T) {
	files, err := filepath.Glob("locales/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogs: %v", err)
	}
	var langs []string
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".toml")
		langs = append(langs, lang)
		b := goi18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := b.ParseMessageFileBytes(data, filepath.Base(f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		want := map[string]goi18n.Message{}
		for _, m := range file.Messages {
			want[m.ID] = *m
		}
		got := map[string]goi18n.Message{}
		for _, m := range catalogMessages(lang) {
			got[m.ID] = *m
		}
		if !reflect.DeepEqual(got, want) {
			for id, w := range want {
				if g, ok := got[id]; !ok || !reflect.DeepEqual(g, w) {
					t.Errorf("%s %s: messages.go has %+v, the file %+v", lang, id, g, w)
				}
			}
			for id := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("%s %s: in messages.go, not in the file", lang, id)
				}
			}
			t.Fatalf("messages.go is stale for %s: run go generate ./i18n", lang)
		}
	}
	if len(langs) != len(catalogLanguages) || catalogLanguages[0] != "en" {
		t.Fatalf("messages.go has languages %v, the files %v: run go generate ./i18n", catalogLanguages, langs)
	}
	for _, l := range langs {
		if catalogMessages(l) == nil {
			t.Errorf("messages.go has no %s", l)
		}
	}
}

// TestFixedSentencesAreGoI18nAnswers: the sentences looked up once are what
// go-i18n itself says for the key, in every language.
func TestFixedSentencesAreGoI18nAnswers(t *testing.T) {
	for _, tag := range Languages() {
		l := For(tag)
		if len(l.fixed) < 100 {
			t.Errorf("%s: only %d sentences looked up once", tag, len(l.fixed))
		}
		for k, s := range l.fixed {
			if got := l.localize(k, nil, nil); got != s {
				t.Errorf("%s %s: fixed %q, go-i18n %q", tag, k, s, got)
			}
		}
	}
}
