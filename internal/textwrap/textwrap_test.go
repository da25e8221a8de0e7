package textwrap

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestLines(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
		want  []string
	}{
		{"sign in as demo-user with the password", 12, []string{"sign in as", "demo-user", "with the", "password"}},
		{"use --user-pool-id here", 5, []string{"use", "--user-pool-id", "here"}},
		{"one\ntwo three", 20, []string{"one", "two three"}},
		{"", 10, []string{""}},
		// Japanese breaks between characters, never before 。 nor after 「.
		{"コードが正しくありません。「次のコード」を入力してください。", 12, []string{"コードが正し", "くありませ", "ん。「次の", "コード」を入", "力してくださ", "い。"}},
	} {
		got := Lines(c.text, c.width)
		if !slices.Equal(got, c.want) {
			t.Errorf("Lines(%q, %d) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

func TestNoLineStartsWithClosingPunctuationOrEndsWithOpening(t *testing.T) {
	text := strings.Repeat("認証アプリの「コード」を、入力してください。", 6)
	for w := 4; w <= 40; w++ {
		for _, l := range Lines(text, w) {
			if strings.HasPrefix(l, "。") || strings.HasPrefix(l, "、") || strings.HasPrefix(l, "」") || strings.HasSuffix(l, "「") {
				t.Fatalf("width %d: line %q breaks at punctuation", w, l)
			}
		}
		for _, l := range Cut(text, w) {
			if ansi.StringWidth(l) > w {
				t.Fatalf("width %d: Cut gave a line %q of %d cells", w, l, ansi.StringWidth(l))
			}
		}
	}
}

func TestCutKeepsEveryLineWithinTheWidth(t *testing.T) {
	got := Cut("a JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP b", 10)
	want := []string{"a", "JBSWY3DPEH", "PK3PXPJBSW", "Y3DPEHPK3P", "XP", "b"}
	if !slices.Equal(got, want) {
		t.Fatalf("Cut = %q, want %q", got, want)
	}
	if got := Cut("漢字", 1); !slices.Equal(got, []string{"漢", "字"}) {
		t.Fatalf("a character wider than the line: %q", got)
	}
}
