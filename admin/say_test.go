package admin

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Japanese wraps between characters, measured in cells, never putting 。 or
// 、 at the start of a line; a flag, a pool ID or an English word is never
// split, in any language.
func TestWrapBreaksJapaneseBetweenCharactersButNeverAFlag(t *testing.T) {
	ja := i18n.For(language.Japanese)
	for _, width := range []int{80, 60, 41, 30} {
		for _, s := range []string{
			ja.N(i18n.AdminStatusBilling, 1234),
			ja.T(i18n.AdminErrNoCredentials),
			ja.T(i18n.AdminResetDoneSignedOut, "Username", "山田太郎", "PoolID", "eu-west-1_AbC123XyZ"),
			i18n.English().T(i18n.AdminErrNoCredentials),
			i18n.For(language.Spanish).T(i18n.AdminErrThrottled, "Operation", "AdminGetUser"),
		} {
			out := wrapAt(s, width)
			squeeze := strings.NewReplacer(" ", "", "\n", "")
			if squeeze.Replace(out) != squeeze.Replace(s) {
				t.Errorf("width %d: wrapping lost or changed text:\n%s", width, out)
			}
			lines := strings.Split(out, "\n")
			if len(lines) < 2 {
				t.Errorf("width %d: %q did not wrap", width, s)
			}
			for _, line := range lines {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("width %d: a line of %d cells: %q", width, w, line)
				}
				if strings.HasPrefix(line, "。") || strings.HasPrefix(line, "、") || strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
					t.Errorf("width %d: line %q", width, line)
				}
			}
			for _, whole := range []string{"--user-pool-id", "--aws-profile", "AWS_SECRET_ACCESS_KEY", "eu-west-1_AbC123XyZ", "cognito-idp:AdminGetUser", "~/.aws/config"} {
				if strings.Contains(s, whole) && !strings.Contains(out, whole) {
					t.Errorf("width %d: %s was split:\n%s", width, whole, out)
				}
			}
		}
	}
	// Unicode's rules would break after a hyphen; a flag stays whole.
	if got := wrapAt("give --user-pool-id or --endpoint-url", 14); got != "give\n--user-pool-id\nor\n--endpoint-url" {
		t.Errorf("flags split: %q", got)
	}
	// Japanese breaks inside a run of kana and kanji, not only at spaces.
	if out := wrapAt(ja.N(i18n.AdminStatusBilling, 44), 40); strings.Count(out, "\n") < 3 {
		t.Errorf("the Japanese sentence was not broken between characters:\n%s", out)
	}
}

// An error is a fragment in the catalogs, as Go errors are; a person reads
// it whole: a capital where the script has one, and the language's full stop.
func TestErrorsAreWholeSentencesInEachLanguage(t *testing.T) {
	e := newError(KindUserNotFound, say(i18n.AdminErrUnknownUser, "Username", "ana"))
	if !strings.HasPrefix(e.Error(), "there is no user ana") || strings.HasSuffix(e.Error(), ".") {
		t.Errorf("Error() is %q: the English fragment, for logs", e.Error())
	}
	for tag, want := range map[language.Tag]string{
		language.English:  "There is no user ana in this pool; usernames are case-sensitive, and an email alias is not a username.",
		language.Spanish:  "No hay ningún usuario ana en este grupo; los nombres de usuario distinguen mayúsculas y minúsculas, y un alias de correo no es un nombre de usuario.",
		language.Japanese: "このプールにユーザー ana はいません。ユーザー名は大文字と小文字を区別し、メールのエイリアスはユーザー名ではありません。",
	} {
		if got := e.In(i18n.For(tag)); got != want {
			t.Errorf("%s: %q, want %q", tag, got, want)
		}
	}
	// A sentence inside another is said in the same language.
	inner := newError(KindAccessDenied, say(i18n.AdminErrAccessDenied, "Action", "cognito-idp:AdminUserGlobalSignOut"))
	inner.say(say(i18n.AdminErrSignOutFailed, "Username", "ana", "Reason", inner.reason()))
	if got := inner.In(i18n.For(language.Japanese)); !strings.Contains(got, "サインアウトさせることはできませんでした: お使いの AWS 認証情報には cognito-idp:AdminUserGlobalSignOut の権限がありません") {
		t.Errorf("nested in Japanese: %q", got)
	}
}
