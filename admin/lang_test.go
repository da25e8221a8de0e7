package admin_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"golang.org/x/text/language"
	"golang.org/x/text/width"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// What an administrator reads, in Spanish and Japanese: the table, `admin
// user`, a reset-totp transcript, pinned by goldens (go test ./admin -update).
// Every test names its language; none reads the machine's.

// translated are the languages besides English: a new catalog gets its
// goldens with go test ./admin -update.
var translated = func() []string {
	var out []string
	for _, tag := range i18n.Languages()[1:] {
		out = append(out, tag.String())
	}
	return out
}()

// yesWord is a yes in lang as a person there types it: the first of the
// catalog's yes words that is not English's.
func yesWord(lang string) string {
	for _, w := range strings.Fields(i18n.For(language.Make(lang)).T(i18n.PlainYesWords)) {
		if w != "y" && w != "yes" {
			return w
		}
	}
	return "y"
}

// langPool is an MFA-optional pool with users in every state the table and
// `admin user` show, among them usernames in wide and accented letters.
func langPool(t *testing.T) *local {
	t.Helper()
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	ctx := context.Background()
	phone := func(n int) []types.AttributeType {
		return []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String(fmt.Sprintf("+1555000%04d", n))},
			{Name: aws.String("phone_number_verified"), Value: aws.String("true")}}
	}
	mfa := func(name string, in *cip.AdminSetUserMFAPreferenceInput) {
		in.UserPoolId, in.Username = aws.String(l.poolID), aws.String(name)
		if _, err := l.admin.AdminSetUserMFAPreference(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	l.newUser("ana", true)
	l.enrollSignedIn("ana")
	l.newUser("bo", false) // a temporary password: FORCE_CHANGE_PASSWORD
	l.newUser("cy", true, phone(1)...)
	l.enrollSignedIn("cy")
	mfa("cy", &cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true},
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: false}})
	l.newUser("di", true)
	if _, err := l.admin.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(l.poolID), Username: aws.String("di")}); err != nil {
		t.Fatal(err)
	}
	l.newUser("ñandú", true, phone(2)...)
	mfa("ñandú", &cip.AdminSetUserMFAPreferenceInput{SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	l.newUser("山田太郎", true)
	return l
}

// stable is s with the pool's random ID made a fixed one of the same
// length, so that lines wrap as they did.
func (l *local) stable(s string) string {
	region, _, _ := strings.Cut(l.poolID, "_")
	return strings.ReplaceAll(s, l.poolID, region+"_"+strings.Repeat("X", len(l.poolID)-len(region)-1))
}

// said is the line main prints for err: the sentence in the person's language.
func said(t *testing.T, err error) string {
	t.Helper()
	var s interface{ Localized() string }
	if !errors.As(err, &s) {
		t.Fatalf("%v carries no sentence in the person's language", err)
	}
	return "cognito-totp: " + s.Localized() + "\n"
}

// fits fails the test for a line wider than 80 cells, or, in Japanese, a
// character of ambiguous width (two cells on a terminal set up for CJK) in
// what the tool says; a username is the pool's own data.
func fits(t *testing.T, lang, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("%s: a line of %d cells: %q", lang, w, line)
		}
		for _, r := range strings.ReplaceAll(line, "ñandú", "") {
			if lang == "ja" && width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
				t.Errorf("ja: %q has %q, of ambiguous width", line, r)
			}
		}
	}
}

func TestGoldenStatusTable(t *testing.T) {
	l := langPool(t)
	for _, lang := range translated {
		t.Run(lang, func(t *testing.T) {
			r := l.run(runOpts{}, "status", "--lang", lang)
			if r.err != nil {
				t.Fatal(r.err)
			}
			fits(t, lang, r.stdout+r.stderr)
			golden.RequireEqual(t, []byte(l.stable(r.stdout)))
		})
	}
	if r := l.run(runOpts{}, "status", "--lang", "es"); !strings.Contains(r.stderr, "6 usuarios listados en "+l.poolID+"; activados: 5.\n") ||
		!strings.Contains(r.stderr, "Leídos 5 de 5 usuarios.\n") {
		t.Errorf("es: the progress lines on stderr:\n%s", r.stderr)
	}
	// Japanese wraps between characters: the sentence is whole without its line breaks.
	if r := l.run(runOpts{}, "status", "--lang", "ja"); !strings.Contains(strings.ReplaceAll(r.stderr, "\n", ""), l.poolID+" のユーザーを 6 人取得しました。うち有効なユーザーは 5 人です。") {
		t.Errorf("ja: the progress lines on stderr:\n%s", r.stderr)
	}
}

// cellStarts is the cell at which each cell of a table line begins: cells are
// two or more spaces apart.
var cellGap = regexp.MustCompile(`\S+( \S+)*`)

func cellStarts(line string) []int {
	var starts []int
	for _, m := range cellGap.FindAllStringIndex(line, -1) {
		starts = append(starts, ansi.StringWidth(line[:m[0]]))
	}
	return starts
}

// In Japanese the headers and a username are two cells a character: every
// row's cells must still begin where the header's do, and every line of the
// table be as wide as the columns make it.
func TestStatusTableLinesUpInJapanese(t *testing.T) {
	l := langPool(t)
	r := l.run(runOpts{}, "status", "--lang", "ja")
	if r.err != nil {
		t.Fatal(r.err)
	}
	lines := strings.Split(r.stdout, "\n")
	header := lines[0]
	if !strings.HasPrefix(header, "ユーザー名") {
		t.Fatalf("the table's header is not in Japanese: %q", header)
	}
	want := cellStarts(header)
	rows := 0
	for _, line := range lines[1:] {
		if line == "" || strings.HasPrefix(line, "(") {
			break
		}
		rows++
		if got := cellStarts(line); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("row %q: cells begin at %v, the header's at %v", line, got, want)
		}
		// Every cell but the last is padded to its column: the last
		// column begins at the same cell in every row.
		last := want[len(want)-1]
		if w := ansi.StringWidth(ansi.Truncate(line, last, "")); w != last {
			t.Errorf("row %q: %d cells before the last column, want %d", line, w, last)
		}
	}
	if rows != 6 || !strings.Contains(r.stdout, "山田太郎") {
		t.Fatalf("%d rows:\n%s", rows, r.stdout)
	}
}

func TestGoldenUser(t *testing.T) {
	l := langPool(t)
	required := newLocal(t, types.UserPoolMfaTypeOn)
	required.newUser("dee", true)
	for _, lang := range translated {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			for _, c := range []struct {
				pool *local
				name string
			}{{l, "ana"}, {l, "bo"}, {l, "cy"}, {l, "ñandú"}, {l, "di"}, {required, "dee"}} {
				r := c.pool.run(runOpts{}, "user", c.name, "--lang", lang)
				if r.err != nil {
					t.Fatal(r.err)
				}
				fits(t, lang, r.stdout)
				fmt.Fprintf(&b, "$ cognito-totp admin user %s\n%s\n", c.name, c.pool.stable(r.stdout))
			}
			golden.RequireEqual(t, []byte(b.String()))
		})
	}
}

// A lost phone, in Spanish and Japanese: refusals first (an unknown user, a
// user with no app), then the question answered yes in the person's own
// word, and what the user sees at their next sign-in.
func TestGoldenResetTranscript(t *testing.T) {
	for _, lang := range translated {
		c := struct{ lang, yes string }{lang, yesWord(lang)}
		t.Run(c.lang, func(t *testing.T) {
			l := langPool(t)
			var b strings.Builder
			step := func(o runOpts, args ...string) runResult {
				r := l.run(o, append(args, "--lang", c.lang)...)
				fmt.Fprintf(&b, "$ cognito-totp admin %s\n%s", strings.Join(args, " "), r.stderr)
				if o.stdin != "" {
					b.WriteString(o.stdin)
				}
				b.WriteString(r.stdout)
				if r.err != nil {
					b.WriteString(said(t, r.err))
				}
				b.WriteString("\n")
				fits(t, c.lang, r.stdout+r.stderr)
				return r
			}
			if r := step(runOpts{}, "reset-totp", "nadie", "--yes"); admin.KindOf(r.err) != admin.KindUserNotFound {
				t.Fatalf("an unknown user: %v", r.err)
			}
			if r := step(runOpts{}, "reset-totp", "bo", "--yes"); admin.KindOf(r.err) != admin.KindNoTOTP {
				t.Fatalf("a user with no app: %v", r.err)
			}
			if r := step(runOpts{}, "reset-totp", "ana"); admin.KindOf(r.err) != admin.KindNotConfirmed {
				t.Fatalf("no terminal to ask: %v", r.err)
			}
			l.nothingChanged("refusals in " + c.lang)
			if r := step(runOpts{terminal: true, stdin: "n\n"}, "reset-totp", "ana"); admin.KindOf(r.err) != admin.KindNotConfirmed {
				t.Fatalf("no: %v", r.err)
			}
			l.nothingChanged("a no in " + c.lang)
			if r := step(runOpts{terminal: true, stdin: c.yes + "\n"}, "reset-totp", "ana"); r.err != nil {
				t.Fatalf("%q is yes in %s: %v", c.yes, c.lang, r.err)
			}
			if l.userReport("ana").User.HasTOTP() {
				t.Fatal("ana keeps TOTP after a yes")
			}
			if r := step(runOpts{}, "reset-totp", "cy", "--yes", "--keep-sessions"); r.err != nil {
				t.Fatal(r.err)
			}
			golden.RequireEqual(t, []byte(l.stable(b.String())))
		})
	}
}

// The machine formats are the same bytes in every language: keys, column
// names, enum values and the JSON's sentence stay English.
func TestMachineOutputIsTheSameInEveryLanguage(t *testing.T) {
	l := langPool(t)
	for _, args := range [][]string{
		{"status", "--output", "json"},
		{"status", "--output", "csv"},
		{"user", "cy", "--output", "json"},
		{"user", "bo", "--output", "json"},
	} {
		english := l.run(runOpts{env: map[string]string{"LANG": "C"}}, args...)
		if english.err != nil || english.stdout == "" {
			t.Fatalf("%v: %v", args, english.err)
		}
		for _, o := range []struct {
			how  string
			opts runOpts
			args []string
		}{
			{"--lang es", runOpts{}, []string{"--lang", "es"}},
			{"--lang ja", runOpts{}, []string{"--lang", "ja"}},
			{"COGNITO_TOTP_LANG=ja", runOpts{env: map[string]string{"COGNITO_TOTP_LANG": "ja"}}, nil},
			{"LANG=es_ES.UTF-8", runOpts{env: map[string]string{"LANG": "es_ES.UTF-8"}}, nil},
		} {
			r := l.run(o.opts, append(args, o.args...)...)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.stdout != english.stdout {
				t.Errorf("%v with %s differs from English:\n%s\nEnglish:\n%s", args, o.how, r.stdout, english.stdout)
			}
		}
	}
	// Only the machine formats: the table is in the person's language.
	if r := l.run(runOpts{}, "user", "cy", "--lang", "ja"); !strings.Contains(r.stdout, "ユーザー") {
		t.Errorf("admin user --lang ja is not in Japanese:\n%s", r.stdout)
	}
}

// The language comes as the wizard's does: --lang, then COGNITO_TOTP_LANG,
// then the profile's lang, then the locale, all from the command's own
// environment lookup.
func TestAdminLanguagePrecedence(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"profiles": {"tokyo": {"lang": "ja"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := []string{"--profile", "tokyo", "--config", cfg}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string // the start of the unknown-user sentence
	}{
		{"the locale", map[string]string{"LANG": "es_MX.UTF-8"}, nil, "No hay ningún usuario"},
		{"LC_ALL over LANG", map[string]string{"LANG": "es_ES.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, nil, "このプールに"},
		{"the profile over the locale", map[string]string{"LANG": "es_ES.UTF-8"}, profile, "このプールに"},
		{"COGNITO_TOTP_LANG over the profile", map[string]string{"COGNITO_TOTP_LANG": "es"}, profile, "No hay ningún usuario"},
		{"--lang over everything", map[string]string{"COGNITO_TOTP_LANG": "ja", "LANG": "ja_JP.UTF-8"}, append([]string{"--lang", "en"}, profile...), "There is no user"},
		{"C is English", map[string]string{"LANG": "C"}, nil, "There is no user"},
		{"an unknown language is English", nil, []string{"--lang", "tlh"}, "There is no user"},
	} {
		r := l.run(runOpts{env: c.env}, append([]string{"user", "nobody"}, c.args...)...)
		if admin.KindOf(r.err) != admin.KindUserNotFound {
			t.Fatalf("%s: %v", c.name, r.err)
		}
		if got := said(t, r.err); !strings.HasPrefix(got, "cognito-totp: "+c.want) {
			t.Errorf("%s: %q, want it to begin %q", c.name, got, c.want)
		}
		if !strings.HasPrefix(r.err.Error(), "there is no user nobody") {
			t.Errorf("%s: Error() %q is not English", c.name, r.err.Error())
		}
	}
}

// Every way an admin command refuses or fails, as the administrator reads it
// in their language: the IAM action, the throttling advice, the missing
// operation named; Cognito's own words would stay English, quoted.
func TestGoldenErrors(t *testing.T) {
	for _, lang := range translated {
		t.Run(lang, func(t *testing.T) {
			l := newLocal(t, types.UserPoolMfaTypeOptional)
			l.newUser("ana", true)
			l.enrollSignedIn("ana")
			for i := range admin.Handful {
				l.newUser(fmt.Sprintf("u%02d", i), true)
			}
			// A proxy that answers AdminDeleteSoftwareToken as moto does: an
			// HTML page with status 500.
			motoLike := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".AdminDeleteSoftwareToken") {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusInternalServerError)
					io.WriteString(w, "<!doctype html><title>500 Internal Server Error</title>")
					return
				}
				l.counter.ServeHTTP(w, r)
			}))
			defer motoLike.Close()
			moto := *l
			moto.url = motoLike.URL

			var b strings.Builder
			step := func(what string, on *local, o runOpts, want admin.Kind, args ...string) {
				t.Helper()
				r := on.run(o, append(args, "--lang", lang)...)
				if admin.KindOf(r.err) != want {
					t.Fatalf("%s: %v (kind %v), want kind %v", what, r.err, admin.KindOf(r.err), want)
				}
				line := l.stable(said(t, r.err))
				fits(t, lang, line)
				fmt.Fprintf(&b, "# %s\n$ cognito-totp admin %s\n%s\n", what, strings.Join(args, " "), line)
			}
			denied := "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: cognito-idp:"
			step("--output that is not a format", l, runOpts{}, admin.KindUsage, "status", "--output", "xml")
			step("--rate above the quota", l, runOpts{}, admin.KindUsage, "status", "--rate", "500")
			step("more than a handful to read, and no terminal to ask", l, runOpts{}, admin.KindNotConfirmed, "status")
			step("a person says no", l, runOpts{terminal: true, stdin: "n\n"}, admin.KindNotConfirmed, "status")

			l.server.InjectFault(cognitolocal.Fault{Operation: "AdminGetUser", Times: 1, Exception: "AccessDeniedException", Message: denied + "AdminGetUser"})
			step("access denied", l, runOpts{}, admin.KindAccessDenied, "user", "ana")
			l.server.InjectFault(cognitolocal.Fault{Operation: "ListUsers", Exception: "TooManyRequestsException", Message: "Too many requests"})
			step("throttling that outlasts the retries", l, runOpts{}, admin.KindThrottled, "status", "--yes")
			l.server.ClearFaults()
			l.server.InjectFault(cognitolocal.Fault{Operation: "ListUsers", Times: 1, Exception: "UnknownOperationException"})
			step("an endpoint without the operation", l, runOpts{}, admin.KindNotImplemented, "status", "--yes")
			l.server.InjectFault(cognitolocal.Fault{Operation: "GetUserPoolMfaConfig", Times: 1, Exception: "InvalidParameterException", Message: "Something Cognito says"})
			step("another refusal, Cognito's words quoted", l, runOpts{}, admin.KindService, "user", "ana")
			step("an HTML 500 page, as moto answers AdminDeleteSoftwareToken", &moto, runOpts{}, admin.KindNotImplemented, "reset-totp", "ana", "--yes")
			l.server.InjectFault(cognitolocal.Fault{Operation: "AdminUserGlobalSignOut", Times: 1, Exception: "AccessDeniedException", Message: denied + "AdminUserGlobalSignOut"})
			step("removed, but the sign-out was denied", l, runOpts{}, admin.KindAccessDenied, "reset-totp", "ana", "--yes")
			noAWSEnvironment(t)
			step("no AWS credentials anywhere", l, runOpts{chain: true}, admin.KindNoCredentials, "user", "ana")
			step("an AWS profile that does not exist", l, runOpts{chain: true}, admin.KindNoCredentials, "user", "ana", "--aws-profile", "nope")
			golden.RequireEqual(t, []byte(b.String()))
		})
	}
}

// A rollout by team, in every language: one group's table with --only and
// --compare, the summary naming the group, and what changed since.
func TestGoldenStatusRollout(t *testing.T) {
	l := langPool(t)
	l.group("team", "ana", "bo", "cy", "ñandú", "山田太郎")
	// The earlier report is named as a person names it, relative to the
	// directory the command runs in; goldens are read relative to this one.
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	inDir := func(f func()) {
		if err := os.Chdir(dir); err != nil {
			t.Fatal(err)
		}
		defer os.Chdir(here)
		f()
	}
	r := l.run(runOpts{}, "status", "--group", "team", "--output", "json")
	if r.err != nil {
		t.Fatal(r.err)
	}
	if err := os.WriteFile(filepath.Join(dir, "before.json"), []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	l.newUser("zoe", true) // joins the team
	if _, err := l.admin.AdminAddUserToGroup(context.Background(), &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(l.poolID),
		Username: aws.String("zoe"), GroupName: aws.String("team")}); err != nil {
		t.Fatal(err)
	}
	l.enrollSignedIn("山田太郎")
	if r := l.run(runOpts{}, "reset-totp", "ana", "--yes"); r.err != nil {
		t.Fatal(r.err)
	}
	for _, lang := range append([]string{"en"}, translated...) {
		t.Run(lang, func(t *testing.T) {
			var r runResult
			inDir(func() {
				r = l.run(runOpts{}, "status", "--group", "team", "--only", "none", "--compare", "before.json", "--lang", lang)
			})
			if r.err != nil {
				t.Fatal(r.err)
			}
			fits(t, lang, r.stdout+r.stderr)
			golden.RequireEqual(t, []byte(l.stable(r.stdout)))
		})
	}
}
