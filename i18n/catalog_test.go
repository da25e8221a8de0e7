package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/width"
)

// pluralCounts are the counts every plural message is rendered at in every
// language: they reach Spanish "many" (1000000) and Japanese's one form.
var pluralCounts = []int{0, 1, 2, 5, 21, 1000000}

var templateVar = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// readCatalog is one locale file: each key's text, or its plural forms.
func readCatalog(t *testing.T, file string) map[string]any {
	t.Helper()
	data, err := fs.ReadFile(locales, file)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

func varsOf(v any) []string {
	var texts []string
	switch v := v.(type) {
	case string:
		texts = []string{v}
	case map[string]any:
		for _, f := range v {
			s, _ := f.(string)
			texts = append(texts, s)
		}
	}
	var names []string
	for _, s := range texts {
		for _, m := range templateVar.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return names
}

// TestCatalogsComplete is the translator's check: it lists every key a
// locale lacks (with the English to translate), every key it has that
// English does not, every variable that differs, and every empty or padded
// value. Run it alone with: go test ./i18n -run TestCatalogsComplete
func TestCatalogsComplete(t *testing.T) {
	files, _ := fs.Glob(locales, "locales/*.toml")
	if len(files) < 3 {
		t.Fatalf("catalogs %v; want at least en, es and ja", files)
	}
	en := readCatalog(t, "locales/en.toml")
	for _, file := range files {
		t.Run(path.Base(file), func(t *testing.T) {
			loc := readCatalog(t, file)
			for _, key := range sortedKeys(en) {
				got, ok := loc[key]
				switch {
				case !ok:
					t.Errorf("missing %s (English: %q)", key, en[key])
					continue
				case !slices.Equal(varsOf(got), varsOf(en[key])):
					t.Errorf("%s has variables %v; English has %v", key, varsOf(got), varsOf(en[key]))
				}
				_, enPlural := en[key].(map[string]any)
				if _, plural := got.(map[string]any); plural != enPlural {
					t.Errorf("%s: plural forms here %v, in English %v", key, plural, enPlural)
				}
				checkValues(t, key, got)
			}
			for _, key := range sortedKeys(loc) {
				if _, ok := en[key]; !ok {
					t.Errorf("%s is not in en.toml: a key English does not have is never shown", key)
				}
			}
		})
	}
}

func checkValues(t *testing.T, key string, v any) {
	t.Helper()
	values := map[string]any{"": v}
	if forms, ok := v.(map[string]any); ok {
		values = forms
	}
	for form, f := range values {
		s, ok := f.(string)
		switch {
		case !ok:
			t.Errorf("%s %s: not a string", key, form)
		case strings.TrimSpace(s) == "":
			t.Errorf("%s %s: empty", key, form)
		case strings.TrimSpace(s) != s:
			t.Errorf("%s %s: %q starts or ends with white space", key, form, s)
		}
	}
}

// TestPluralForms renders every plural message of every language at
// pluralCounts with no English to fall back on: a form the language's CLDR
// rules need and its catalog lacks is an error.
func TestPluralForms(t *testing.T) {
	en := readCatalog(t, "locales/en.toml")
	c := loaded()
	for _, tag := range c.tags {
		only := goi18n.NewLocalizer(testBundle(tag), tag.String())
		for _, key := range sortedKeys(en) {
			if _, plural := en[key].(map[string]any); !plural {
				continue
			}
			data := map[string]any{}
			for _, v := range varsOf(en[key]) {
				data[v] = "X"
			}
			for _, n := range pluralCounts {
				data["Count"] = n
				s, _, err := only.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateData: data})
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s at %d: %q, %v", tag, key, n, s, err)
				} else if slices.Contains(varsOf(en[key]), "Count") && !strings.Contains(s, strconv.Itoa(n)) {
					t.Errorf("%s %s at %d: %q does not say the count", tag, key, n, s)
				}
			}
		}
	}
}

// TestEveryKeyRenders renders every message of every language with its
// variables set and no English to fall back on.
func TestEveryKeyRenders(t *testing.T) {
	en := readCatalog(t, "locales/en.toml")
	c := loaded()
	for _, tag := range c.tags {
		only := goi18n.NewLocalizer(testBundle(tag), tag.String())
		for _, key := range sortedKeys(en) {
			data := map[string]any{"Count": 2}
			for _, v := range varsOf(en[key]) {
				if v != "Count" {
					data[v] = "«" + v + "»"
				}
			}
			s, got, err := only.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: key, PluralCount: 2, TemplateData: data})
			if err != nil || got != tag || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s: %q in %s, %v", tag, key, s, got, err)
				continue
			}
			for _, v := range varsOf(en[key]) {
				if v != "Count" && !strings.Contains(s, "«"+v+"»") {
					t.Errorf("%s %s: %q leaves out {{.%s}}", tag, key, s, v)
				}
			}
		}
	}
}

// TestKeysMatchCatalog: every Key constant is in en.toml and every key of
// en.toml has a constant, so code cannot name a message no catalog has.
func TestKeysMatchCatalog(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Key" {
				for _, v := range vs.Values {
					s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
					consts = append(consts, s)
				}
			}
		}
		return true
	})
	en := readCatalog(t, "locales/en.toml")
	for _, k := range consts {
		if _, ok := en[k]; !ok {
			t.Errorf("keys.go has %q; en.toml does not", k)
		}
	}
	for _, k := range sortedKeys(en) {
		if !slices.Contains(consts, k) {
			t.Errorf("en.toml has %q; keys.go has no constant for it", k)
		}
	}
}

func TestLocalizer(t *testing.T) {
	en := English()
	if got, want := en.T(SecretTitle, "Issuer", "Acme", "Account", "ana"), "Add this account to your authenticator app: Acme (ana)"; got != want {
		t.Errorf("T = %q, want %q", got, want)
	}
	if got, want := en.N(SecretRefused, 1, "Limit", 5), "1 code refused so far; after 5 Cognito locks the account for a while."; got != want {
		t.Errorf("N(1) = %q, want %q", got, want)
	}
	if got, want := en.N(SecretRefused, 3, "Limit", 5), "3 codes refused so far; after 5 Cognito locks the account for a while."; got != want {
		t.Errorf("N(3) = %q, want %q", got, want)
	}
	if en.WideScript() || !For(language.Japanese).WideScript() || For(language.Spanish).WideScript() {
		t.Errorf("WideScript: en %v, ja %v, es %v; want false, true, false", en.WideScript(), For(language.Japanese).WideScript(), For(language.Spanish).WideScript())
	}
	if got, want := For(language.Japanese).Sentences("一。", "", "二。"), "一。二。"; got != want {
		t.Errorf("ja Sentences = %q, want %q", got, want)
	}
	if got, want := en.Sentences("One.", "Two."), "One. Two."; got != want {
		t.Errorf("en Sentences = %q, want %q", got, want)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestWideScriptsAvoidAmbiguousWidth: terminals set up for Japanese may draw
// East Asian Ambiguous characters (… — · “ ”) two cells wide, which would
// break the layout, so those catalogs do without them.
func TestWideScriptsAvoidAmbiguousWidth(t *testing.T) {
	files, _ := fs.Glob(locales, "locales/*.toml")
	for _, file := range files {
		tag := language.Make(strings.TrimSuffix(path.Base(file), ".toml"))
		if !For(tag).WideScript() {
			continue
		}
		for key, v := range readCatalog(t, file) {
			values := map[string]any{"": v}
			if forms, ok := v.(map[string]any); ok {
				values = forms
			}
			for _, f := range values {
				s, _ := f.(string)
				for _, r := range s {
					if width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
						t.Errorf("%s %s: %q has %q, of ambiguous width", tag, key, s, r)
					}
				}
			}
		}
	}
}
