package admin_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

const statusUsers = 300 // five pages of 60

// rollout is a pool of statusUsers users in mixed states, and the summary
// the set-up itself says `admin status` must give.
type rollout struct {
	*local
	want admin.Summary
}

func newRollout(t *testing.T) *rollout {
	t.Helper()
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	ctx := context.Background()
	want := admin.Summary{Users: statusUsers, ByStatus: map[string]int{}}
	for i := range statusUsers {
		name := fmt.Sprintf("user%03d", i)
		temporary := i%10 == 5
		l.newUser(name, !temporary, types.AttributeType{Name: aws.String("phone_number"), Value: aws.String(fmt.Sprintf("+1555%07d", i))},
			types.AttributeType{Name: aws.String("phone_number_verified"), Value: aws.String("true")})
		if temporary {
			want.ByStatus["FORCE_CHANGE_PASSWORD"]++
		} else {
			want.ByStatus["CONFIRMED"]++
		}
		switch {
		case i%25 == 3:
			if _, err := l.admin.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(l.poolID), Username: aws.String(name)}); err != nil {
				t.Fatal(err)
			}
			want.Disabled++
		case i%20 == 1:
			l.enrollSignedIn(name)
			want.TOTP++
		case i%7 == 0:
			_, err := l.admin.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(l.poolID), Username: aws.String(name),
				SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
			if err != nil {
				t.Fatal(err)
			}
			want.OtherMFA++
		default:
			want.NoMFA++
		}
	}
	return &rollout{local: l, want: want}
}

func decodeReport(t *testing.T, out string) admin.Report {
	t.Helper()
	var r admin.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v:\n%.500s", err, out)
	}
	return r
}

// mostWithin is the most requests that began within any window of length d.
func mostWithin(reqs []request, d time.Duration) int {
	most := 0
	for i := range reqs {
		n := 0
		for j := i; j < len(reqs) && reqs[j].at.Sub(reqs[i].at) < d; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

func TestStatusOverManyPages(t *testing.T) {
	p := newRollout(t)
	if p.want.TOTP == 0 || p.want.OtherMFA == 0 || p.want.NoMFA == 0 || p.want.Disabled == 0 {
		t.Fatalf("the set-up must cover every category: %+v", p.want)
	}
	const rate = 100
	start := len(p.counter.requests("AdminGetUser"))
	r := p.run(runOpts{}, "status", "--yes", "--output", "json", "--rate", fmt.Sprint(rate))
	if r.err != nil || r.exit != 0 {
		t.Fatalf("%v (exit %d)\n%s", r.err, r.exit, r.stderr)
	}
	got := decodeReport(t, r.stdout)
	if got.Partial || got.Listed != statusUsers || got.PoolID != p.poolID || fmt.Sprint(got.Summary) != fmt.Sprint(p.want) {
		t.Fatalf("summary %+v (partial %v, listed %d), want %+v", got.Summary, got.Partial, got.Listed, p.want)
	}
	if len(got.Rows) != statusUsers || got.Rows[0].Username != "user000" || got.Rows[statusUsers-1].Username != "user299" {
		t.Fatalf("%d rows", len(got.Rows))
	}
	for _, row := range got.Rows {
		if row.Username == "user021" && (row.Category != admin.CategoryTOTP || row.Preferred != admin.FactorTOTP) {
			t.Errorf("user021 enrolled TOTP: %+v", row)
		}
		if row.Username == "user028" && (row.Category != admin.CategoryDisabled || row.Factors != nil) {
			t.Errorf("user028 is disabled and not read: %+v", row)
		}
	}

	// Five pages of at most 60 (and perhaps an empty sixth: after a full
	// last page the endpoint may still hand out a PaginationToken), and one
	// read per enabled user.
	if n := p.counter.count("ListUsers"); n < 5 || n > 6 {
		t.Errorf("%d ListUsers calls, want 5 pages of 60", n)
		for _, q := range p.counter.requests("ListUsers") {
			t.Logf("%s %.120s -> %s", q.at.Format("05.000"), q.body, q.answer)
		}
	}
	reads := p.counter.requests("AdminGetUser")[start:]
	if len(reads) != statusUsers-p.want.Disabled {
		t.Errorf("%d AdminGetUser calls, want %d (the enabled users)", len(reads), statusUsers-p.want.Disabled)
	}
	// The rate holds: a token bucket of rate with a burst of 1 lets at most
	// rate+1 requests begin in any second. The server sees them a little
	// bunched (eight in flight, two cores shared), so the windows are two
	// seconds long, with 10% allowed for that; no limit at all puts every
	// request in one window, and so does a doubled rate (checked once).
	all := append(p.counter.requests("ListUsers"), reads...)
	sortByTime(all)
	if most := mostWithin(all, 2*time.Second); most > 2*rate*110/100+1 {
		t.Errorf("%d requests within two seconds, over --rate %d", most, rate)
	}
	t.Logf("%d requests in %v at --rate %d; most within one second %d, within two %d", len(all), all[len(all)-1].at.Sub(all[0].at).Round(time.Millisecond),
		rate, mostWithin(all, time.Second), mostWithin(all, 2*time.Second))
	if took := all[len(all)-1].at.Sub(all[0].at); took < time.Duration(len(all)-2)*time.Second/rate {
		t.Errorf("%d requests in %v: faster than --rate %d allows", len(all), took, rate)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("%d users listed in %s, %d of them enabled.", statusUsers, p.poolID, statusUsers-p.want.Disabled)) ||
		!strings.Contains(r.stderr, "Read 288 of 288 users.") {
		t.Errorf("progress lines on stderr:\n%s", r.stderr)
	}

	// The same run as a table and as CSV.
	r = p.run(runOpts{}, "status", "--yes", "--rate", "120")
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, want := range []string{
		fmt.Sprintf("%d users in %s", statusUsers, p.poolID),
		fmt.Sprintf("  enrolled in TOTP %6d", p.want.TOTP),
		fmt.Sprintf("  other MFA only   %6d", p.want.OtherMFA),
		fmt.Sprintf("  no MFA           %6d", p.want.NoMFA),
		fmt.Sprintf("  disabled         %6d", p.want.Disabled),
		fmt.Sprintf("By user status:\n  %-21s %6d\n  %-21s %6d\n", "CONFIRMED", p.want.ByStatus["CONFIRMED"], "FORCE_CHANGE_PASSWORD", p.want.ByStatus["FORCE_CHANGE_PASSWORD"]),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	for _, row := range []string{`user021 +CONFIRMED +yes +TOTP\*`, `user028 +CONFIRMED +no +-`, `user014 +CONFIRMED +yes +SMS\*`,
		`user015 +FORCE_CHANGE_PASSWORD +yes +none`} {
		if !regexp.MustCompile(`(?m)^` + row + `$`).MatchString(r.stdout) {
			t.Errorf("table lacks a row %s", row)
		}
	}
	if strings.Contains(r.stdout, "Read ") || strings.Contains(r.stdout, "listed in") {
		t.Error("progress reached stdout")
	}
	r = p.run(runOpts{}, "status", "--yes", "--rate", "120", "--output", "csv")
	if r.err != nil {
		t.Fatal(r.err)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("stdout is not clean CSV: %v", err)
	}
	if len(recs) != statusUsers+1 || strings.Join(recs[0], ",") != "username,status,enabled,mfa,preferred,category,email,email_verified,phone_number" ||
		strings.Join(recs[22], ",") != "user021,CONFIRMED,true,SOFTWARE_TOKEN_MFA,SOFTWARE_TOKEN_MFA,totp,,,'+15550000021" ||
		strings.Join(recs[29], ",") != "user028,CONFIRMED,false,,,disabled,,,'+15550000028" {
		t.Fatalf("CSV: %d lines, %q %q %q", len(recs), recs[0], recs[22], recs[29])
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("%d users in %s", statusUsers, p.poolID)) {
		t.Errorf("with CSV the summary goes to stderr:\n%s", r.stderr)
	}
}

func sortByTime(reqs []request) {
	slices.SortFunc(reqs, func(a, b request) int { return a.at.Compare(b.at) })
}

func TestStatusInterruptedHalfwayPrintsAPartialSummary(t *testing.T) {
	p := newRollout(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := p.counter.count("AdminGetUser")
	p.counter.setHook(func(op string, n int) {
		if op == "AdminGetUser" && n-start == 150 {
			cancel() // as ctrl+c does, through the signal context
		}
	})
	for _, output := range []string{"json", "table"} {
		r := p.run(runOpts{ctx: ctx}, "status", "--yes", "--output", output, "--rate", "120")
		if r.err != nil || r.exit != admin.ExitInterrupted {
			t.Fatalf("%s: %v, exit %d; want no error and exit 130", output, r.err, r.exit)
		}
		if !strings.Contains(r.stderr, "Stopped by ctrl+c: the report and its summary are partial.") {
			t.Errorf("%s: stderr %s", output, r.stderr)
		}
		if output == "table" {
			if !strings.Contains(r.stdout, fmt.Sprintf("of %d listed users in %s (the run stopped early)", statusUsers, p.poolID)) || !strings.HasPrefix(
				r.stdout[strings.Index(r.stdout, "\n\n")+2:], "PARTIAL: ") {
				t.Errorf("table not marked partial:\n%s", r.stdout)
			}
			continue
		}
		got := decodeReport(t, r.stdout)
		s := got.Summary
		if !got.Partial || got.Listed != statusUsers || s.Users != len(got.Rows) || s.TOTP+s.OtherMFA+s.NoMFA+s.Disabled != s.Users {
			t.Fatalf("partial report %+v (partial %v, %d rows)", s, got.Partial, len(got.Rows))
		}
		read := s.Users - s.Disabled
		if read < 140 || read > 150 {
			t.Errorf("%d users read before a stop at the 150th request", read)
		}
		if n := p.counter.count("AdminGetUser") - start; n > 150+8 {
			t.Errorf("%d AdminGetUser calls: the run went on after the stop", n)
		}
		// A new context for the table run.
		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		start = p.counter.count("AdminGetUser")
	}
}

func TestStatusBacksOffOnThrottlingAndStopsWhenItLasts(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	for i := range 20 {
		l.newUser(fmt.Sprintf("u%02d", i), true)
	}
	l.server.InjectFault(cognitolocal.Fault{Operation: "AdminGetUser", Times: 3, Exception: "TooManyRequestsException", Message: "Too many requests"})
	r := l.run(runOpts{}, "status", "--yes", "--output", "json", "--rate", "100")
	if r.err != nil {
		t.Fatalf("three throttles are retried: %v", r.err)
	}
	if got := decodeReport(t, r.stdout); got.Partial || got.Summary.NoMFA != 20 {
		t.Fatalf("%+v", got.Summary)
	}
	if !strings.Contains(r.stderr, "Cognito answered TooManyRequestsException 3 times") {
		t.Errorf("stderr: %s", r.stderr)
	}

	// Throttling that lasts: a pool of one user, to count the tries.
	l = newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("only", true)
	l.server.InjectFault(cognitolocal.Fault{Operation: "AdminGetUser", Exception: "TooManyRequestsException", Message: "Too many requests"})
	r = l.run(runOpts{}, "status", "--yes", "--output", "json", "--rate", "100")
	if admin.KindOf(r.err) != admin.KindThrottled || !strings.Contains(r.err.Error(), "lower --rate") || r.exit != 0 {
		t.Fatalf("throttling that outlasts the retries: %v (exit %d)", r.err, r.exit)
	}
	if got := decodeReport(t, r.stdout); !got.Partial {
		t.Fatalf("the report of a run stopped by throttling must be partial: %+v", got)
	}
	// Throttling gets six tries, not the three of other errors.
	if n := l.counter.count("AdminGetUser"); n != 6 {
		t.Fatalf("%d AdminGetUser tries before giving up on throttling, want 6", n)
	}
}

func TestStatusAsksBeforeCountingTowardMonthlyActiveUsers(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	for i := range admin.Handful + 2 {
		l.newUser(fmt.Sprintf("u%02d", i), true)
	}
	sentence := fmt.Sprintf("Reading the MFA settings of %d users calls AdminGetUser for each, and Cognito counts every user read toward this month's monthly active users, which are billed.", admin.Handful+2)
	r := l.run(runOpts{}, "status")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.HasPrefix(r.err.Error(), sentence) || !strings.Contains(r.err.Error(), "give --yes") {
		t.Fatalf("no terminal, no --yes: %v", r.err)
	}
	r = l.run(runOpts{terminal: true, stdin: "no\n"}, "status")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.HasSuffix(flat(r.stderr), sentence+" Go on? [y/N]") {
		t.Fatalf("a person says no: %v\n%s", r.err, r.stderr)
	}
	if n := l.counter.count("AdminGetUser"); n != 0 {
		t.Fatalf("%d users read without a yes", n)
	}
	r = l.run(runOpts{terminal: true, stdin: "yes\n"}, "status", "--output", "json")
	if r.err != nil || decodeReport(t, r.stdout).Summary.Users != admin.Handful+2 {
		t.Fatalf("a person says yes: %v", r.err)
	}

	// A handful is read without asking.
	small := newLocal(t, types.UserPoolMfaTypeOptional)
	for i := range admin.Handful {
		small.newUser(fmt.Sprintf("u%02d", i), true)
	}
	if r := small.run(runOpts{}, "status"); r.err != nil || strings.Contains(r.stderr, "monthly active users") {
		t.Fatalf("%d users: %v\n%s", admin.Handful, r.err, r.stderr)
	}
}
