package textwrap

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestCutLatin(t *testing.T) {
	got := Cut("Sign in with demo-user, then add the app.", 12)
	want := []string{"Sign in with", "demo-user,", "then add the", "app."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Cut = %q, want %q", got, want)
	}
	if got := Cut("abcdefghij", 4); strings.Join(got, "|") != "abcd|efgh|ij" {
		t.Errorf("a word wider than the line: %q", got)
	}
}

// TestCutJapanese: Japanese breaks between characters, fills each line
// to its width in cells, never starts a line with 。 or 、 and keeps Latin
// words (demo-user) whole.
func TestCutJapanese(t *testing.T) {
	text := "demo-user がサインインに使ったパスワードは一時的なものでした。続ける前に、Cognito が新しいパスワードを求めています。"
	for width := 6; width <= 40; width++ {
		lines := Cut(text, width)
		joined := strings.Join(lines, "")
		if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Fatalf("width %d: text changed: %q", width, lines)
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line %q is %d cells", width, l, w)
			}
			if strings.HasPrefix(l, "。") || strings.HasPrefix(l, "、") {
				t.Errorf("width %d: line %d starts with closing punctuation: %q", width, i, l)
			}
			if width >= 9 && strings.Contains(l, "demo-") && !strings.Contains(l, "demo-user") {
				t.Errorf("width %d: demo-user split: %q", width, lines)
			}
		}
	}
	// 14 cells hold 7 characters: the 。 goes down with the last one.
	lines := Cut("パスワードを入力してください。", 14)
	if want := "パスワードを入|力してくださ|い。"; strings.Join(lines, "|") != want {
		t.Errorf("Cut = %q, want %q", strings.Join(lines, "|"), want)
	}
}
