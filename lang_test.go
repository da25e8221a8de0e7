package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"charm.land/fang/v2"
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

// `admin` takes --lang where the root command does, before the subcommand,
// and after it too; its errors are printed in that language, and Error()
// stays English.
func TestAdminTakesLang(t *testing.T) {
	for _, args := range [][]string{
		{"--lang", "ja", "admin", "status", "--output", "xml"},
		{"admin", "--lang", "ja", "status", "--output", "xml"},
		{"admin", "status", "--output", "xml", "--lang", "ja"},
	} {
		root := rootCommand(new(int))
		root.SetArgs(args)
		root.SilenceErrors, root.SilenceUsage = true, true
		err := root.ExecuteContext(context.Background())
		if err == nil {
			t.Fatalf("%v: no error", args)
		}
		var b bytes.Buffer
		printError(&b, fang.Styles{}, err)
		// Wrapped at 80 columns, between Japanese characters.
		if want := "cognito-totp: --output は table, json, csv のいずれかです (\"xml\" ではありませ\nん)。\n"; b.String() != want {
			t.Errorf("%v: printed %q, want %q", args, b.String(), want)
		}
		if err.Error() != `--output is table, json, csv, not "xml"` {
			t.Errorf("%v: Error() %q, want it in English", args, err.Error())
		}
	}
}
