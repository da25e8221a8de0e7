package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/config"
)

// TestUnknownLanguageIsEnglishWithANote: a language the catalogs lack gives
// English, and the debug log says what was asked for and where.
func TestUnknownLanguageIsEnglishWithANote(t *testing.T) {
	s := config.Settings{Lang: "tlh"}
	choice := s.Language(func(string) string { return "" })
	if choice.Tag != language.English || choice.Localizer().Tag() != language.English {
		t.Fatalf("--lang tlh chose %+v, want English", choice)
	}
	var b bytes.Buffer
	logLanguage(slog.New(slog.NewTextHandler(&b, nil)), choice)
	if out := b.String(); !strings.Contains(out, "language not supported") || !strings.Contains(out, "asked=tlh") || !strings.Contains(out, "from=--lang") {
		t.Errorf("debug log %q does not note the unknown language", out)
	}
	b.Reset()
	s = config.Settings{}
	logLanguage(slog.New(slog.NewTextHandler(&b, nil)), s.Language(func(k string) string { return map[string]string{"LANG": "ja_JP.UTF-8"}[k] }))
	if out := b.String(); !strings.Contains(out, "lang=ja") || !strings.Contains(out, "from=LANG") {
		t.Errorf("debug log %q does not say the language chosen", out)
	}
}
