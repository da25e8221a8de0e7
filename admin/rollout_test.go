package admin_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// group creates a group and adds members to it.
func (l *local) group(name string, members ...string) {
	l.t.Helper()
	ctx := context.Background()
	if _, err := l.admin.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(l.poolID), GroupName: aws.String(name)}); err != nil {
		l.t.Fatal(err)
	}
	for _, m := range members {
		if _, err := l.admin.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(l.poolID),
			Username: aws.String(m), GroupName: aws.String(name)}); err != nil {
			l.t.Fatal(err)
		}
	}
}

func (l *local) disable(name string) {
	l.t.Helper()
	if _, err := l.admin.AdminDisableUser(context.Background(), &cip.AdminDisableUserInput{UserPoolId: aws.String(l.poolID), Username: aws.String(name)}); err != nil {
		l.t.Fatal(err)
	}
}

func email(addr string, verified bool) []types.AttributeType {
	return []types.AttributeType{{Name: aws.String("email"), Value: aws.String(addr)},
		{Name: aws.String("email_verified"), Value: aws.String(fmt.Sprint(verified))}}
}

// usernamesRead are the users AdminGetUser was called for, in order.
func usernamesRead(t *testing.T, reqs []request) []string {
	t.Helper()
	var out []string
	for _, r := range reqs {
		var in struct{ Username string }
		if err := json.Unmarshal(r.body, &in); err != nil {
			t.Fatal(err)
		}
		out = append(out, in.Username)
	}
	return out
}

func TestStatusGroupOverThreePages(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	var members []string
	want := admin.Summary{ByStatus: map[string]int{"CONFIRMED": 130}}
	for i := range 130 {
		name := fmt.Sprintf("ops%03d", i)
		l.newUser(name, true, email(name+"@example.com", i%2 == 0)...)
		members = append(members, name)
		want.Users++
		switch {
		case i%10 == 1:
			l.enrollSignedIn(name)
			want.TOTP++
		case i%10 == 2:
			l.disable(name)
			want.Disabled++
		default:
			want.NoMFA++
		}
	}
	for i := range 5 {
		l.newUser(fmt.Sprintf("sales%d", i), true)
	}
	l.group("ops", members...)
	l.group("sales", "sales0")

	r := l.run(runOpts{}, "status", "--group", "ops", "--yes", "--output", "json", "--rate", "120")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	got := decodeReport(t, r.stdout)
	if got.Partial || got.Listed != 130 || got.Group != "ops" || fmt.Sprint(got.Summary) != fmt.Sprint(want) {
		t.Fatalf("report %+v (listed %d, group %q), want %+v", got.Summary, got.Listed, got.Group, want)
	}
	if got.Rows[0].Username != "ops000" || got.Rows[0].Email != "ops000@example.com" || got.Rows[0].EmailVerified == nil || !*got.Rows[0].EmailVerified {
		t.Errorf("the first row carries the email from the list: %+v", got.Rows[0])
	}
	// Three pages: three distinct requests (the SDK may send one again
	// when reading its answer failed), the first without a NextToken.
	var pages []string
	for _, p := range l.counter.requests("ListUsersInGroup") {
		var in struct {
			GroupName string
			Limit     int
			NextToken string
		}
		if err := json.Unmarshal(p.body, &in); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(pages, in.NextToken) {
			continue
		}
		if in.GroupName != "ops" || in.Limit != 60 || (len(pages) == 0) != (in.NextToken == "") {
			t.Errorf("page %d asked %+v", len(pages)+1, in)
		}
		pages = append(pages, in.NextToken)
	}
	if len(pages) != 3 || l.counter.count("ListUsers") != 0 {
		t.Fatalf("%d pages of ListUsersInGroup and %d ListUsers calls, want 3 pages of the group and no ListUsers", len(pages), l.counter.count("ListUsers"))
	}
	if reads := usernamesRead(t, l.counter.requests("AdminGetUser")); len(reads) != 130-want.Disabled || slices.ContainsFunc(reads, func(n string) bool { return strings.HasPrefix(n, "sales") }) {
		t.Errorf("%d users read, want the %d enabled members only", len(reads), 130-want.Disabled)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("130 users listed in group ops of %s, %d of them enabled.", l.poolID, 130-want.Disabled)) {
		t.Errorf("the listed line names the group:\n%s", r.stderr)
	}

	// The table's summary names the group.
	r = l.run(runOpts{}, "status", "--group", "ops", "--yes", "--rate", "120")
	if r.err != nil || !strings.Contains(r.stdout, fmt.Sprintf("\n130 users in group ops of %s\n", l.poolID)) {
		t.Fatalf("%v\n%s", r.err, r.stdout)
	}

	// A group that is not there, and --group with --filter.
	r = l.run(runOpts{}, "status", "--group", "Ops", "--yes")
	if admin.KindOf(r.err) != admin.KindPoolNotFound || flat(said(t, r.err)) != "cognito-totp: There is no group Ops in this pool; group names are case-sensitive." {
		t.Errorf("unknown group: %q", said(t, r.err))
	}
	calls := len(l.counter.log)
	r = l.run(runOpts{}, "status", "--group", "ops", "--filter", `email ^= "ops"`, "--yes")
	if admin.KindOf(r.err) != admin.KindUsage || !strings.Contains(flat(said(t, r.err)), "--filter cannot be used with --group, because Cognito's ListUsersInGroup takes no filter") {
		t.Errorf("--group with --filter: %v", r.err)
	}
	if len(l.counter.log) != calls {
		t.Errorf("--group with --filter made %d calls", len(l.counter.log)-calls)
	}
}

func TestStatusFilter(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	for i := range 4 {
		l.newUser(fmt.Sprintf("a%d", i), true, email(fmt.Sprintf("ops-%d@example.com", i), true)...)
		l.newUser(fmt.Sprintf("b%d", i), true, email(fmt.Sprintf("dev-%d@example.com", i), false)...)
	}
	r := l.run(runOpts{}, "status", "--filter", `email ^= "ops-"`, "--output", "json")
	if r.err != nil {
		t.Fatal(r.err)
	}
	got := decodeReport(t, r.stdout)
	var names []string
	for _, row := range got.Rows {
		names = append(names, row.Username)
	}
	if got.Filter != `email ^= "ops-"` || got.Summary.Users != 4 || strings.Join(names, ",") != "a0,a1,a2,a3" {
		t.Fatalf("filter %q: %d users %v", got.Filter, got.Summary.Users, names)
	}
	var in struct{ Filter string }
	if err := json.Unmarshal(l.counter.requests("ListUsers")[0].body, &in); err != nil || in.Filter != `email ^= "ops-"` {
		t.Fatalf("ListUsers was sent Filter %q", in.Filter)
	}
	r = l.run(runOpts{}, "status", "--filter", `email ^= "ops-"`)
	if !strings.Contains(r.stdout, "Only the users that --filter email ^= \"ops-\" matches were listed.") {
		t.Errorf("the summary says the filter:\n%s", r.stdout)
	}
	r = l.run(runOpts{}, "status", "--filter", `email ~ "ops"`)
	if admin.KindOf(r.err) != admin.KindUsage || flat(said(t, r.err)) != "cognito-totp: Cognito refused --filter email ~ \"ops\": Error while parsing filter." {
		t.Errorf("a filter Cognito refuses: %q", said(t, r.err))
	}
}

func TestStatusOnlyListsOneCategoryAndCountsAll(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("ana", true, email("ana@example.com", true)...)
	l.enrollSignedIn("ana")
	l.newUser("bo", true, append(email("bo@example.com", false), types.AttributeType{Name: aws.String("phone_number"), Value: aws.String("+15550100")})...)
	l.newUser("cy", false)
	l.newUser("di", true)
	l.disable("di")
	r := l.run(runOpts{}, "status", "--only", "none", "--output", "csv")
	if r.err != nil {
		t.Fatal(r.err)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[1], "|") != "bo|CONFIRMED|true|||no_mfa|bo@example.com|false|'+15550100" ||
		strings.Join(recs[2], "|") != "cy|FORCE_CHANGE_PASSWORD|true|||no_mfa|||" {
		t.Fatalf("the reminder list: %q", recs)
	}
	if !strings.Contains(r.stderr, "4 users in "+l.poolID) || !strings.Contains(r.stderr, "  enrolled in TOTP      1") {
		t.Errorf("the summary counts every user:\n%s", r.stderr)
	}
	r = l.run(runOpts{}, "status", "--only", "totp", "--output", "json")
	got := decodeReport(t, r.stdout)
	if r.err != nil || got.Only != "totp" || len(got.Rows) != 1 || got.Rows[0].Username != "ana" || got.Summary.Users != 4 || got.Summary.NoMFA != 2 {
		t.Fatalf("--only totp: %v %+v", r.err, got)
	}
	r = l.run(runOpts{}, "status", "--only", "disabled")
	if r.err != nil || !strings.Contains(flat(r.stdout), "The list above has only the users in “disabled” (--only disabled); the summary counts every user.") ||
		strings.Contains(r.stdout, "ana ") || !strings.Contains(r.stdout, "\ndi ") {
		t.Fatalf("--only disabled: %v\n%s", r.err, r.stdout)
	}
	r = l.run(runOpts{}, "status", "--only", "sms")
	if admin.KindOf(r.err) != admin.KindUsage || flat(said(t, r.err)) != "cognito-totp: --only is totp, other, none or disabled, not \"sms\"." {
		t.Errorf("--only sms: %v", r.err)
	}
}

func TestStatusCSVOfHostileValuesStaysData(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	hostile := []string{"=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "plain"}
	for _, name := range hostile {
		l.newUser(name, true, email("=cmd|'/c calc'!A1@example.com", true)...)
	}
	r := l.run(runOpts{}, "status", "--output", "csv")
	if r.err != nil {
		t.Fatal(r.err)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, rec := range recs[1:] {
		got[rec[0]] = rec
	}
	for _, name := range hostile {
		cell := "'" + name
		if name == "plain" {
			cell = name
		}
		rec, ok := got[cell]
		if !ok {
			t.Errorf("no row with username %q: %q", cell, recs)
			continue
		}
		if rec[6] != "'=cmd|'/c calc'!A1@example.com" {
			t.Errorf("email cell %q", rec[6])
		}
	}
	// JSON stays byte-exact.
	r = l.run(runOpts{}, "status", "--output", "json")
	for _, row := range decodeReport(t, r.stdout).Rows {
		if !slices.Contains(hostile, row.Username) || row.Email != "=cmd|'/c calc'!A1@example.com" {
			t.Errorf("JSON changed a value: %+v", row)
		}
	}
}

// rewriting answers as a hostile endpoint (or a proxy) would: the body of
// every answer has old replaced by new, and a request naming the user by
// the new name reaches the server with the old one.
type rewriting struct {
	next     http.Handler
	old, new string // as JSON strings, quotes included
}

func (h rewriting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	if json.Unmarshal(body, &in) == nil {
		var newValue string
		json.Unmarshal([]byte(h.new), &newValue)
		for k, v := range in {
			if v == newValue {
				json.Unmarshal([]byte(h.old), &newValue)
				in[k] = newValue
				body, _ = json.Marshal(in)
				break
			}
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	out := strings.ReplaceAll(rec.Body.String(), h.old, h.new)
	w.Header().Set("Content-Length", fmt.Sprint(len(out)))
	w.WriteHeader(rec.Code)
	w.Write([]byte(out))
}

func TestEscapeSequencesFromTheEndpointArePrintedHarmlessly(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("mallory", true)
	l.newUser("zed", true)
	// In JSON, as the endpoint sends it: a window title, a bell, a screen
	// clear, a C1 CSI and a line break in the username.
	const evilJSON = `mal\u001b]0;pwned\u0007lo\u009b31m\u001b[2Jry\nINJECTED`
	const evil = "mal\x1b]0;pwned\x07lo\u009b31m\x1b[2Jry\nINJECTED"
	hostile := httptest.NewServer(rewriting{next: l.counter, old: `"mallory"`, new: `"` + evilJSON + `"`})
	t.Cleanup(hostile.Close)
	run := func(args ...string) runResult {
		return l.run(runOpts{noPool: true}, append(args, "--user-pool-id", l.poolID, "--endpoint-url", hostile.URL)...)
	}
	harmless := func(what, out string) {
		t.Helper()
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s reached the terminal with control characters: %q", what, out)
		}
		if strings.Contains(out, "\nINJECTED") {
			t.Errorf("%s: a value broke the line: %q", what, out)
		}
	}
	r := run("status")
	if r.err != nil {
		t.Fatal(r.err)
	}
	harmless("the table", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, "\nmallo31mry INJECTED  CONFIRMED") {
		t.Errorf("the table row:\n%q", r.stdout)
	}
	r = run("user", "mallory")
	if r.err != nil {
		t.Fatal(r.err)
	}
	harmless("admin user", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, "mallo31mry INJECTED\n") {
		t.Errorf("admin user:\n%q", r.stdout)
	}
	r = run("status", "--output", "json")
	rows := decodeReport(t, r.stdout).Rows
	if r.err != nil || rows[0].Username != evil {
		t.Errorf("JSON must carry the value byte for byte: %q", rows[0].Username)
	}
	// An error whose message comes from the endpoint.
	l.server.InjectFault(cognitolocal.Fault{Operation: "AdminGetUser", Times: 1, Exception: "WeirdException", Message: "bad\x1b]0;owned\x07 thing\x1b[2J"})
	r = run("user", "zed")
	if r.err == nil {
		t.Fatal("the fault did not apply")
	}
	harmless("the error", said(t, r.err)+r.err.Error())
	if flat(said(t, r.err)) != "cognito-totp: Cognito refused AdminGetUser (WeirdException): bad thing." {
		t.Errorf("error: %q", said(t, r.err))
	}
}

func TestStatusCompareSaysWhatChanged(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	for _, name := range []string{"ana", "bo", "cy", "di", "ed"} {
		l.newUser(name, true)
	}
	l.enrollSignedIn("ana")
	l.enrollSignedIn("bo")
	dir := t.TempDir()
	old := filepath.Join(dir, "before.json")
	r := l.run(runOpts{}, "status", "--output", "json")
	if r.err != nil {
		t.Fatal(r.err)
	}
	// A user with TOTP then, deleted since.
	before := decodeReport(t, r.stdout)
	before.Rows = append(before.Rows, admin.Row{User: admin.User{Username: "gone", Status: "CONFIRMED", Enabled: true,
		Factors: []string{admin.FactorTOTP}}, Category: admin.CategoryTOTP})
	before.Summary.Users++
	before.Summary.TOTP++
	before.Summary.ByStatus["CONFIRMED"]++
	b, _ := json.Marshal(before)
	if err := os.WriteFile(old, b, 0o600); err != nil {
		t.Fatal(err)
	}

	l.enrollSignedIn("cy")
	l.enrollSignedIn("di")
	if r := l.run(runOpts{}, "reset-totp", "bo", "--yes"); r.err != nil {
		t.Fatal(r.err)
	}
	l.disable("ed")
	r = l.run(runOpts{}, "status", "--output", "json", "--compare", old)
	if r.err != nil {
		t.Fatal(r.err)
	}
	c := decodeReport(t, r.stdout).Compare
	if c == nil {
		t.Fatalf("no comparison:\n%s", r.stdout)
	}
	if c.Since != old || strings.Join(c.Enrolled, ",") != "cy,di" || strings.Join(c.LostTOTP, ",") != "bo" || strings.Join(c.Gone, ",") != "gone" ||
		c.Change.Users != -1 || c.Change.TOTP != 0 || c.Change.NoMFA != -2 || c.Change.Disabled != 1 || c.Change.OtherMFA != 0 {
		t.Fatalf("comparison %+v", *c)
	}
	r = l.run(runOpts{}, "status", "--compare", old)
	for _, want := range []string{"Since " + old + ":", "  enrolled in TOTP     +0\n", "  no MFA               -2\n", "  disabled             +1\n",
		"Enrolled in TOTP since then (2): cy, di\n", "Lost TOTP since then, still listed (1): bo\n", "Had TOTP, no longer listed (1): gone\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	// A report of only some users cannot be compared with.
	r = l.run(runOpts{}, "status", "--output", "json", "--only", "totp")
	only := filepath.Join(dir, "only.json")
	os.WriteFile(only, []byte(r.stdout), 0o600)
	r = l.run(runOpts{}, "status", "--compare", only)
	if admin.KindOf(r.err) != admin.KindUsage || !strings.Contains(flat(said(t, r.err)), "is not a complete report of the same users") {
		t.Errorf("compare with an --only report: %v", r.err)
	}
	r = l.run(runOpts{}, "status", "--compare", filepath.Join(dir, "missing.json"))
	if admin.KindOf(r.err) != admin.KindUsage || !strings.Contains(flat(said(t, r.err)), "could not be read") {
		t.Errorf("compare with a missing file: %v", r.err)
	}
}

// The demo pool has teams, so a rollout by team can be tried without AWS.
func TestDemoPoolHasTeams(t *testing.T) {
	local := cognitolocal.New(cognitolocal.Options{})
	d, err := local.SeedDemo()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Groups) < 2 {
		t.Fatalf("demo groups %v", d.Groups)
	}
	l := newLocal(t, types.UserPoolMfaTypeOn)
	for name, members := range d.Groups {
		r := l.run(runOpts{noPool: true}, "status", "--group", name, "--yes", "--output", "json")
		if r.err != nil {
			t.Fatalf("%s: %v", name, r.err)
		}
		got := decodeReport(t, r.stdout)
		var names []string
		for _, row := range got.Rows {
			names = append(names, row.Username)
		}
		slices.Sort(members)
		if got.Group != name || !slices.Equal(names, members) {
			t.Errorf("group %s lists %v, want %v", name, names, members)
		}
	}
}
