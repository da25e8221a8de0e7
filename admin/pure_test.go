package admin

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/i18n"
)

var (
	required = PoolMFA{Mode: "ON", TOTP: true, SMS: true, Email: true}
	optional = PoolMFA{Mode: "OPTIONAL", TOTP: true}
)

func TestPredictFollowsCognitosRules(t *testing.T) {
	u := func(status string, enabled bool, preferred string, factors ...string) User {
		return User{Username: "u", Status: status, Enabled: enabled, Factors: factors, Preferred: preferred}
	}
	for _, c := range []struct {
		name string
		pool PoolMFA
		user User
		want Next
	}{
		{"TOTP only", required, u("CONFIRMED", true, "", FactorTOTP), NextTOTP},
		{"TOTP preferred among two", required, u("CONFIRMED", true, FactorTOTP, FactorSMS, FactorTOTP), NextTOTP},
		{"SMS preferred over TOTP", required, u("CONFIRMED", true, FactorSMS, FactorSMS, FactorTOTP), NextOther},
		{"two, none preferred", required, u("CONFIRMED", true, "", FactorSMS, FactorTOTP), NextChoose},
		{"nothing, MFA required", required, u("CONFIRMED", true, ""), NextSetUpTOTP},
		{"nothing, MFA optional", optional, u("CONFIRMED", true, ""), NextNoCode},
		{"TOTP, MFA optional", optional, u("CONFIRMED", true, FactorTOTP, FactorTOTP), NextTOTP},
		{"MFA off", PoolMFA{Mode: "OFF"}, u("CONFIRMED", true, FactorTOTP, FactorTOTP), NextNoCode},
		{"disabled", required, u("CONFIRMED", false, FactorTOTP, FactorTOTP), NextDisabled},
		// A factor the pool has turned off does not count: SMS off leaves TOTP alone.
		{"SMS preferred but off in the pool", PoolMFA{Mode: "ON", TOTP: true}, u("CONFIRMED", true, FactorSMS, FactorSMS, FactorTOTP), NextTOTP},
		{"only factor off in the pool", PoolMFA{Mode: "ON", TOTP: true}, u("CONFIRMED", true, "", FactorSMS), NextSetUpTOTP},
	} {
		got := Predict(c.pool, c.user)
		if got.Next != c.want || got.Sentence == "" {
			t.Errorf("%s: %v (%q), want %v", c.name, got.Next, got.Sentence, c.want)
		}
	}
	for status, first := range map[string]string{
		"FORCE_CHANGE_PASSWORD": "asks for a new password, then to set up MFA",
		"RESET_REQUIRED":        "first needs a password reset (RESET_REQUIRED), then asks to set up MFA",
		"UNCONFIRMED":           "first needs the sign-up confirmed (UNCONFIRMED), then asks to set up MFA",
	} {
		if p := Predict(required, u(status, true, "")); p.Next != NextSetUpTOTP || !strings.HasPrefix(p.Sentence, first) {
			t.Errorf("%s comes first: %+v", status, p)
		}
	}
	if p := Predict(optional, u("FORCE_CHANGE_PASSWORD", true, "")); p.Sentence != "asks for a new password and no MFA code (MFA is optional in this pool and the user has no factor)" {
		t.Errorf("a temporary password in an optional pool: %q", p.Sentence)
	}
}

func TestWithoutTOTPIsWhatAdminDeleteSoftwareTokenLeaves(t *testing.T) {
	u := User{Enabled: true, Factors: []string{FactorSMS, FactorTOTP}, Preferred: FactorTOTP}
	got := u.withoutTOTP()
	if got.HasTOTP() || got.Preferred != "" || len(got.Factors) != 1 || got.Factors[0] != FactorSMS {
		t.Fatalf("%+v", got)
	}
	if !u.HasTOTP() || u.Factors[1] != FactorTOTP {
		t.Fatal("withoutTOTP changed the original")
	}
}

func sampleReport() Report {
	r := Report{PoolID: "eu-west-1_AbC123", Listed: 4, Summary: Summary{ByStatus: map[string]int{}}}
	for _, row := range []Row{
		{User: User{"ana", "CONFIRMED", true, []string{FactorTOTP}, FactorTOTP}, Category: CategoryTOTP},
		{User: User{"bo, jr", "CONFIRMED", true, []string{FactorSMS}, ""}, Category: CategoryOtherMFA},
		{User: User{"cy", "FORCE_CHANGE_PASSWORD", true, nil, ""}, Category: CategoryNoMFA},
		{User: User{"di", "CONFIRMED", false, nil, ""}, Category: CategoryDisabled},
	} {
		r.Rows = append(r.Rows, row)
		r.Summary.add(row)
	}
	return r
}

func TestTableShowsRowsAndSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, i18n.English(), sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"ana ", "TOTP*", "bo, jr", "SMS", "none", "-\n", "4 users in eu-west-1_AbC123",
		"enrolled in TOTP      1   25%", "other MFA only        1", "no MFA                1", "disabled              1",
		"By user status:\n  CONFIRMED                  3\n  FORCE_CHANGE_PASSWORD      1\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PARTIAL") {
		t.Error("a complete run marked partial")
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 80 {
			t.Errorf("line wider than 80 columns: %q", line)
		}
	}
	r := sampleReport()
	r.Partial, r.Listed = true, 9
	b.Reset()
	WriteTable(&b, i18n.English(), r)
	if !strings.Contains(b.String(), "PARTIAL: 4 of 9 listed users") {
		t.Errorf("partial run not marked:\n%s", b.String())
	}
}

func TestJSONAndCSVCarryEveryUser(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Partial bool
		Summary Summary
		Users   []struct {
			Username, Status, Category, Preferred string
			Enabled                               bool
			MFA                                   []string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Users) != 4 || got.Users[0].Username != "ana" || got.Users[0].MFA[0] != FactorTOTP || got.Users[0].Preferred != FactorTOTP ||
		got.Users[3].Category != "disabled" || got.Summary.TOTP != 1 || got.Summary.ByStatus["CONFIRMED"] != 3 || got.Partial {
		t.Fatalf("%s", b.String())
	}
	b.Reset()
	if err := WriteCSV(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") || recs[2][0] != "bo, jr" ||
		strings.Join(recs[1], "|") != "ana|CONFIRMED|true|SOFTWARE_TOKEN_MFA|SOFTWARE_TOKEN_MFA|totp|||" {
		t.Fatalf("%q", recs)
	}
}

type apiErr struct{ code, msg string }

func (e apiErr) Error() string                 { return e.code + ": " + e.msg }
func (e apiErr) ErrorCode() string             { return e.code }
func (e apiErr) ErrorMessage() string          { return e.msg }
func (e apiErr) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func TestErrorsNameWhatToDo(t *testing.T) {
	for _, c := range []struct {
		code, msg string
		kind      Kind
		want      string
	}{
		{"AccessDeniedException", "User: arn:aws:iam::1:user/x is not authorized to perform: cognito-idp:ListUsers", KindAccessDenied, "cognito-idp:ListUsers"},
		{"NotAuthorizedException", "User: arn:aws:sts::1:assumed-role/r is not authorized to perform: cognito-idp:ListUsers on resource", KindAccessDenied, "cognito-idp:ListUsers"},
		{"NotAuthorizedException", "Access Token has been revoked", KindService, "Access Token has been revoked"},
		{"UnrecognizedClientException", "The security token included in the request is invalid.", KindBadCredentials, "access key"},
		{"ExpiredTokenException", "expired", KindBadCredentials, "aws sso login"},
		{"UserNotFoundException", "User does not exist.", KindUserNotFound, "no such user"},
		{"ResourceNotFoundException", "User pool x does not exist.", KindPoolNotFound, "--user-pool-id"},
		{"TooManyRequestsException", "Too many requests", KindThrottled, "--rate"},
		{"UnknownOperationException", "", KindNotImplemented, "does not implement ListUsers"},
	} {
		err := fromAWS("ListUsers", apiErr{c.code, c.msg})
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s %q: %v (kind %v), want kind %v mentioning %q", c.code, c.msg, err, KindOf(err), c.kind, c.want)
		}
		if strings.Contains(err.Error(), "operation error") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: not one plain sentence: %q", c.code, err.Error())
		}
	}
}

func TestScannerLimitsStayUnderCognitosQuotas(t *testing.T) {
	a := New(nil, "eu-west-1_AbC123", RetrySettings{})
	for _, bad := range []float64{0, -1, QuotaUserRead + 1} {
		if _, err := a.NewScanner(Limits{Rate: bad}); err == nil || !strings.Contains(err.Error(), "--rate") {
			t.Errorf("--rate %g: %v", bad, err)
		}
	}
	s, err := a.NewScanner(Limits{Rate: QuotaUserRead})
	if err != nil {
		t.Fatal(err)
	}
	if s.all.Limit() != QuotaUserRead || s.list.Limit() != QuotaUserList || s.all.Burst() != 1 || s.list.Burst() != 1 {
		t.Fatalf("limits: all %v (burst %d), ListUsers %v (burst %d)", s.all.Limit(), s.all.Burst(), s.list.Limit(), s.list.Burst())
	}
	s.throttled()
	if s.all.Limit() != QuotaUserRead/2 || s.Throttles() != 1 {
		t.Fatalf("after a throttle: %v, %d throttles", s.all.Limit(), s.Throttles())
	}
}

func TestUserReportFitsEightyColumns(t *testing.T) {
	u := User{Username: "demo", Status: "FORCE_CHANGE_PASSWORD", Enabled: true}
	var b bytes.Buffer
	if err := WriteUser(&b, i18n.English(), UserReport{PoolID: "eu-west-1_AbC123", User: u, Pool: required, Next: Predict(required, u)}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"User          demo\n", "Pool          eu-west-1_AbC123, MFA required (authenticator app, SMS, email)\n",
		"MFA           none\n", "Next sign-in  asks for a new password, then to set up MFA (MFA_SETUP)", "\n              "} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 80 {
			t.Errorf("wider than 80 columns: %q", line)
		}
	}
}

// The README's table of IAM actions is the one policy writers read: it must
// name every action each command calls.
func TestREADMENamesEveryIAMAction(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if cmd, ok := strings.CutPrefix(line, "| `admin "); ok {
			name, rest, _ := strings.Cut(cmd, "`")
			rows[name] = rest
		}
	}
	for cmd, actions := range IAMActions {
		row, ok := rows[cmd]
		if !ok {
			t.Errorf("the README's table has no row for admin %s", cmd)
		}
		for _, a := range actions {
			if !strings.Contains(row, a) && !(cmd == "reset-totp" && strings.Contains(rows["user"], a) && strings.Contains(row, "those two")) {
				t.Errorf("the README's row for admin %s lacks %s", cmd, a)
			}
		}
	}
}

type failingProvider struct{ err error }

func (p failingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, p.err
}

func TestCredentialProblemsAreOneSentenceEach(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		err  error
		kind Kind
		want string
	}{
		{errors.New("failed to retrieve credentials: no EC2 IMDS role found"), KindNoCredentials, NoCredentials()},
		{errors.New("failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token"), KindBadCredentials, "run aws sso login"},
		{apiErr{"InvalidClientTokenId", "The security token included in the request is invalid"}, KindBadCredentials, "(InvalidClientTokenId)"},
		{context.Canceled, KindCanceled, "stopped"},
	} {
		err := checkCredentials(ctx, failingProvider{c.err})
		if KindOf(err) != c.kind || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v (kind %v), want kind %v saying %q", c.err, err, KindOf(err), c.kind, c.want)
		}
	}
	if err := checkCredentials(ctx, failingProvider{}); KindOf(err) != KindNoCredentials {
		t.Errorf("empty credentials: %v", err)
	}
}

// Every cell a spreadsheet would run as a formula (OWASP's list: =, +, -,
// @, tab, carriage return) is written with a leading ', whatever column
// it is in; other cells, a ' inside one among them, stay as they are.
func TestCSVCellsThatLookLikeFormulasStayText(t *testing.T) {
	verified := true
	r := Report{Rows: []Row{{User: User{Username: "\tcmd", Status: "\rCONFIRMED", Enabled: true, Factors: []string{"-x"}, Preferred: "@y"},
		Contact: Contact{Email: "=a@example.com", EmailVerified: &verified, Phone: "+33123456789"}, Category: CategoryOtherMFA},
		{User: User{Username: "o'brien", Status: "CONFIRMED"}, Category: CategoryDisabled}}}
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'\tcmd", "'\rCONFIRMED", "true", "'-x", "'@y", "other_mfa_only", "'=a@example.com", "true", "'+33123456789"}
	if strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Errorf("row %q, want %q", recs[1], want)
	}
	if recs[2][0] != "o'brien" {
		t.Errorf("a quote inside a cell changed: %q", recs[2][0])
	}
}
