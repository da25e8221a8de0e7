package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/charmbracelet/x/exp/golden"
	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// lineAtATime gives one line per Read, as a terminal in line mode does, so
// that each of several questions reads its own answer.
type lineAtATime struct{ lines []string }

func (r *lineAtATime) Read(p []byte) (int, error) {
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.lines[0])
	r.lines[0] = r.lines[0][n:]
	if r.lines[0] == "" {
		r.lines = r.lines[1:]
	}
	return n, nil
}

// answering runs `cognito-totp admin ARGS` on the pool with a terminal on
// which a person types answers, one line per question.
func (l *local) answering(answers []string, args ...string) runResult {
	l.t.Helper()
	var out, errb bytes.Buffer
	r := l.runOn(answers, &out, &errb, args...)
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// runOn runs `cognito-totp admin ARGS` writing to stdout and stderr; with
// answers, on a terminal where a person types them, one line per question.
func (l *local) runOn(answers []string, stdout, stderr io.Writer, args ...string) runResult {
	l.t.Helper()
	exit := 0
	var lines []string
	for _, a := range answers {
		lines = append(lines, a+"\n")
	}
	cmd := admin.NewCommand(admin.Env{Stdin: &lineAtATime{lines: lines}, Stdout: stdout, Stderr: stderr,
		Getenv: func(string) string { return "" }, StdinTerminal: answers != nil,
		Credentials: dummyKeys, Retry: admin.RetrySettings{MaxBackoff: 20 * time.Millisecond}, Exit: &exit})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs(append(args, "--user-pool-id", l.poolID, "--endpoint-url", l.url))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return runResult{exit: exit, err: cmd.ExecuteContext(ctx)}
}

// mfaConfig is the pool's configuration as GetUserPoolMfaConfig says it.
func (l *local) mfaConfig() *cip.GetUserPoolMfaConfigOutput {
	l.t.Helper()
	out, err := l.admin.GetUserPoolMfaConfig(context.Background(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(l.poolID)})
	if err != nil {
		l.t.Fatal(err)
	}
	return out
}

// everyPart is the configuration but MfaConfiguration, to compare.
func everyPart(o *cip.GetUserPoolMfaConfigOutput) []any {
	return []any{o.SmsMfaConfiguration, o.SoftwareTokenMfaConfiguration, o.EmailMfaConfiguration, o.WebAuthnConfiguration}
}

func (l *local) unchanged(what string) {
	l.t.Helper()
	if n := l.counter.count("SetUserPoolMfaConfig"); n != 0 {
		l.t.Fatalf("%s: %d SetUserPoolMfaConfig calls, want none", what, n)
	}
}

// rolloutPool is an MFA-optional pool with SMS (its message and role in
// full), email, TOTP and passkeys configured, and a user of each kind:
// none has no factor, sam has SMS only, tia an authenticator app, and dan
// is disabled.
func rolloutPool(t *testing.T) *local {
	t.Helper()
	l := newLocal(t, types.UserPoolMfaTypeOff)
	ctx := context.Background()
	_, err := l.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(l.poolID), MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Acme sign-in code: {####}"),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/acme-sms"), ExternalId: aws.String("acme-ext"), SnsRegion: aws.String("eu-west-1")}},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Message: aws.String("Your Acme code is {####}"), Subject: aws.String("Acme code")},
		WebAuthnConfiguration:         &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.acme.example"), UserVerification: types.UserVerificationTypeRequired}})
	if err != nil {
		t.Fatal(err)
	}
	l.newUser("none", true)
	l.newUser("sam", true, types.AttributeType{Name: aws.String("phone_number"), Value: aws.String("+15550001234")})
	if _, err := l.admin.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(l.poolID), Username: aws.String("sam"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}
	l.newUser("tia", true)
	l.enrollSignedIn("tia")
	l.newUser("dan", true)
	if _, err := l.admin.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(l.poolID), Username: aws.String("dan")}); err != nil {
		t.Fatal(err)
	}
	l.forget()
	return l
}

// The switch on a pool with SMS configured: after it, MFA is required, the
// SMS configuration (message, role, external ID, region) and every other
// part read back as before, the one SetUserPoolMfaConfig carried them all,
// a user with no factor gets MFA_SETUP at sign-in, and one with SMS only
// keeps SMS.
func TestRequireMFAKeepsEveryConfigurationAndAsksForSetUp(t *testing.T) {
	l := rolloutPool(t)
	before := l.mfaConfig()
	r := l.run(runOpts{}, "require-mfa", "--yes")
	if r.err != nil {
		t.Fatalf("require-mfa --yes: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Pool " + l.poolID + " now: MFA optional (authenticator app, SMS, email).",
		"1 user has no MFA factor and will be asked to set up an authenticator app at their next sign-in (MFA_SETUP)",
		"cognito-totp serve offers it over SSH.",
		"1 user with SMS or email MFA only keeps that factor.",
		"1 user already has an authenticator app.",
		"1 user is disabled (not read).",
		"Done: MFA is required in pool " + l.poolID + ".",
	} {
		if !strings.Contains(flat(r.stdout), want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	after := l.mfaConfig()
	if after.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("MfaConfiguration %s after require-mfa", after.MfaConfiguration)
	}
	if !reflect.DeepEqual(everyPart(after), everyPart(before)) {
		t.Errorf("the configuration changed:\nbefore %s\nafter  %s", jsonOf(everyPart(before)), jsonOf(everyPart(after)))
	}
	sets := l.counter.requests("SetUserPoolMfaConfig")
	if len(sets) != 1 {
		t.Fatalf("%d SetUserPoolMfaConfig calls, want 1", len(sets))
	}
	for _, part := range []string{`"MfaConfiguration":"ON"`, `"SmsAuthenticationMessage":"Acme sign-in code: {####}"`, `"ExternalId":"acme-ext"`,
		`"SnsRegion":"eu-west-1"`, `"Subject":"Acme code"`, `"RelyingPartyId":"auth.acme.example"`, `"SoftwareTokenMfaConfiguration":{"Enabled":true}`} {
		if !strings.Contains(string(sets[0].body), part) {
			t.Errorf("SetUserPoolMfaConfig did not carry %s: %s", part, sets[0].body)
		}
	}
	if n := l.counter.count("AdminGetUser"); n != 3 {
		t.Errorf("%d AdminGetUser calls, want 3 (the enabled users)", n)
	}

	ctx := context.Background()
	step, err := l.flow().SignIn(ctx, "none", password)
	if err != nil || step.Challenge != flow.ChallengeMFASetup {
		t.Errorf("a user with no factor signs in to %q (%v), want MFA_SETUP", step.Challenge, err)
	}
	step, err = l.flow().SignIn(ctx, "sam", password)
	if err != nil || step.Challenge != flow.ChallengeSMS {
		t.Errorf("a user with SMS only signs in to %q (%v), want SMS_MFA", step.Challenge, err)
	}
}

// question is the end of a question on stderr, where the person types.
var question = regexp.MustCompile(`\[\S+/N\] `)

// typedAfterQuestions is out with each answer where a terminal echoes it:
// after its question, with the enter that ends it.
func typedAfterQuestions(out string, answers []string) string {
	var b strings.Builder
	for _, a := range answers {
		m := question.FindStringIndex(out)
		if m == nil {
			break
		}
		b.WriteString(out[:m[1]] + a + "\n")
		out = out[m[1]:]
	}
	return b.String() + out
}

// withoutReadProgress is out without its "Read 2 of 3 users." lines, which
// readers running at once may report in either order.
func withoutReadProgress(lang, out string) string {
	tr := i18n.For(language.Make(lang))
	var kept []string
	for _, line := range strings.Split(out, "\n") {
		read := false
		for done := 1; done <= 20 && !read; done++ {
			for total := done; total <= 20 && !read; total++ {
				read = line == tr.N(i18n.AdminProgressRead, total, "Done", done)
			}
		}
		if !read {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// forget drops the requests made so far: the set-up's.
func (l *local) forget() {
	l.counter.mu.Lock()
	defer l.counter.mu.Unlock()
	l.counter.log = nil
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

// --optional goes back the same way: MFA optional, every part as it was.
func TestRequireMFAOptionalGoesBack(t *testing.T) {
	l := rolloutPool(t)
	if r := l.run(runOpts{}, "require-mfa", "--yes", "--skip-scan"); r.err != nil {
		t.Fatal(r.err)
	}
	l.forget()
	before := l.mfaConfig()
	r := l.run(runOpts{}, "require-mfa", "--optional", "--yes")
	if r.err != nil {
		t.Fatalf("--optional: %v", r.err)
	}
	after := l.mfaConfig()
	if after.MfaConfiguration != types.UserPoolMfaTypeOptional || !reflect.DeepEqual(everyPart(after), everyPart(before)) {
		t.Errorf("after --optional: %s %s, want OPTIONAL and %s", after.MfaConfiguration, jsonOf(everyPart(after)), jsonOf(everyPart(before)))
	}
	if !strings.Contains(flat(r.stdout), "Done: MFA is optional in pool "+l.poolID+".") {
		t.Errorf("stdout: %s", r.stdout)
	}
	if n := l.counter.count("ListUsers") + l.counter.count("DescribeUserPool"); n != 0 {
		t.Errorf("--optional read the users or the pool's threat protection (%d calls): nobody is made to do anything", n)
	}
	step, err := l.flow().SignIn(context.Background(), "none", password)
	if err != nil || !step.SignedIn() {
		t.Errorf("after --optional a user with no factor gets %q (%v), want tokens", step.Challenge, err)
	}
}

// Each refusal names the reason and sends no SetUserPoolMfaConfig.
func TestRequireMFARefusals(t *testing.T) {
	off := newLocal(t, types.UserPoolMfaTypeOff)
	r := off.run(runOpts{}, "require-mfa", "--yes")
	if admin.KindOf(r.err) != admin.KindPoolSetting || !strings.HasPrefix(r.err.Error(), "the authenticator app (TOTP) is not enabled in pool "+off.poolID+" (MFA off)") {
		t.Errorf("TOTP not enabled (MFA off): %v", r.err)
	}
	off.unchanged("MFA off")

	// SMS MFA optional, TOTP not enabled: people with no factor could not set up an app.
	smsOnly := newLocal(t, types.UserPoolMfaTypeOff)
	if _, err := smsOnly.admin.SetUserPoolMfaConfig(context.Background(), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(smsOnly.poolID),
		MfaConfiguration: types.UserPoolMfaTypeOptional, SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/sms")}}}); err != nil {
		t.Fatal(err)
	}
	smsOnly.forget()
	r = smsOnly.run(runOpts{}, "require-mfa", "--yes")
	if admin.KindOf(r.err) != admin.KindPoolSetting || !strings.Contains(r.err.Error(), "(MFA optional (SMS)), so people without a factor could not set one up") {
		t.Errorf("SMS only: %v", r.err)
	}
	smsOnly.unchanged("SMS only")

	on := newLocal(t, types.UserPoolMfaTypeOn)
	on.forget()
	r = on.run(runOpts{}, "require-mfa", "--yes")
	if admin.KindOf(r.err) != admin.KindPoolSetting || r.err.Error() != "MFA is already required in pool "+on.poolID+"; nothing was changed" {
		t.Errorf("already required: %v", r.err)
	}
	on.unchanged("already required")

	optional := rolloutPool(t)
	r = optional.run(runOpts{}, "require-mfa", "--optional", "--yes")
	if admin.KindOf(r.err) != admin.KindPoolSetting || !strings.HasPrefix(r.err.Error(), "MFA is not required in pool "+optional.poolID) {
		t.Errorf("--optional on an optional pool: %v", r.err)
	}
	r = optional.run(runOpts{}, "require-mfa")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.Contains(r.err.Error(), "with no terminal to ask, give --yes") {
		t.Errorf("no terminal, no --yes: %v", r.err)
	}
	r = optional.answering([]string{"n"}, "require-mfa")
	if admin.KindOf(r.err) != admin.KindNotConfirmed {
		t.Errorf("answered no: %v", r.err)
	}
	if q := flat(r.stderr); !strings.Contains(q, "Make MFA required in pool "+optional.poolID+", where 1 user must set up an authenticator app at their next sign-in? [y/N]") {
		t.Errorf("the question does not name the pool and the count: %q", q)
	}
	optional.unchanged("refusals and a no")
	if got := optional.mfaConfig().MfaConfiguration; got != types.UserPoolMfaTypeOptional {
		t.Errorf("MfaConfiguration %s after refusals", got)
	}
}

// guardedPool is rolloutPool's users in a pool whose threat protection is
// enforced (UserPoolAddOns).
func guardedPool(t *testing.T) *local {
	t.Helper()
	l := newLocal(t, types.UserPoolMfaTypeOff)
	ctx := context.Background()
	out, err := l.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("guarded"),
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeEnforced}})
	if err != nil {
		t.Fatal(err)
	}
	l.poolID = aws.ToString(out.UserPool.Id)
	if _, err := l.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(l.poolID), MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	l.newUser("none", true)
	l.forget()
	return l
}

// With threat protection enforced it says what the API reference advises
// and asks again: a no changes nothing, a yes goes on to the next question.
func TestRequireMFAThreatProtectionAsksAgain(t *testing.T) {
	l := guardedPool(t)
	r := l.answering([]string{"n"}, "require-mfa")
	advice := "For pools with threat protection's adaptive authentication, the Cognito API reference advises MFA optional, not required"
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.Contains(flat(r.stdout), advice) || !strings.Contains(flat(r.stderr), "Make MFA required anyway? [y/N]") {
		t.Fatalf("threat protection enforced, answered no: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	if n := l.counter.count("ListUsers"); n != 0 {
		t.Errorf("a no to the threat question still read the users")
	}
	l.unchanged("a no to the threat question")

	r = l.answering([]string{"y", "y"}, "require-mfa")
	if r.err != nil || strings.Count(r.stderr, "[y/N]") != 2 {
		t.Fatalf("two yeses: %v\n%s", r.err, r.stderr)
	}
	if got := l.mfaConfig().MfaConfiguration; got != types.UserPoolMfaTypeOn {
		t.Errorf("MfaConfiguration %s after two yeses", got)
	}

	// --yes answers both, and still says the advice.
	g := guardedPool(t)
	r = g.run(runOpts{}, "require-mfa", "--yes")
	if r.err != nil || !strings.Contains(flat(r.stdout), advice) || strings.Contains(r.stderr, "[y/N]") {
		t.Fatalf("--yes: %v\n%s%s", r.err, r.stdout, r.stderr)
	}
	if got := g.mfaConfig().MfaConfiguration; got != types.UserPoolMfaTypeOn {
		t.Errorf("MfaConfiguration %s after --yes", got)
	}
}

// --skip-scan reads no user, and says so; more than a handful of users to
// read asks about billing first, as status does.
func TestRequireMFAScan(t *testing.T) {
	l := rolloutPool(t)
	for i := range admin.Handful {
		l.newUser(fmt.Sprintf("u%02d", i), true)
	}
	r := l.run(runOpts{}, "require-mfa")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.Contains(flat(r.err.Error()), "counts every user read toward this month's monthly active users") {
		t.Fatalf("13 users to read, no terminal: %v", r.err)
	}
	if n := l.counter.count("AdminGetUser"); n != 0 {
		t.Fatalf("%d users read before the billing question was answered", n)
	}
	r = l.answering([]string{"y", "n"}, "require-mfa")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.Contains(flat(r.stdout), "11 users have no MFA factor") {
		t.Fatalf("read, then no: %v\n%s", r.err, r.stdout)
	}
	l.unchanged("a no after the scan")
	before := l.counter.count("ListUsers") + l.counter.count("AdminGetUser")
	r = l.run(runOpts{}, "require-mfa", "--skip-scan", "--yes")
	if r.err != nil || !strings.Contains(flat(r.stdout), "Users were not read (--skip-scan)") {
		t.Fatalf("--skip-scan: %v\n%s", r.err, r.stdout)
	}
	if n := l.counter.count("ListUsers") + l.counter.count("AdminGetUser"); n != before {
		t.Errorf("--skip-scan read users (%d calls)", n-before)
	}
}

// What an administrator reads, pinned in every language: a refusal, then
// the switch asked and answered on a terminal, then --optional.
func TestGoldenRequireMFATranscript(t *testing.T) {
	for _, lang := range append([]string{"en"}, translated...) {
		t.Run(lang, func(t *testing.T) {
			l := rolloutPool(t)
			yes := yesWord(lang)
			var b strings.Builder
			// stdout and stderr in one, in the order a terminal shows them;
			// the answers typed after the question that asks them.
			step := func(answers []string, args ...string) runResult {
				var seen strings.Builder
				r := l.runOn(answers, &seen, &seen, append(args, "--lang", lang)...)
				text := withoutReadProgress(lang, typedAfterQuestions(seen.String(), answers))
				fmt.Fprintf(&b, "$ cognito-totp admin %s\n%s", strings.Join(args, " "), text)
				if r.err != nil {
					b.WriteString(said(t, r.err))
				}
				b.WriteString("\n")
				fits(t, lang, text)
				return r
			}
			if r := step(nil, "require-mfa", "--optional", "--yes"); admin.KindOf(r.err) != admin.KindPoolSetting {
				t.Fatalf("--optional on an optional pool: %v", r.err)
			}
			if r := step([]string{yes}, "require-mfa"); r.err != nil {
				t.Fatalf("%q is yes in %s: %v", yes, lang, r.err)
			}
			if r := step([]string{yes}, "require-mfa", "--optional"); r.err != nil {
				t.Fatalf("--optional: %v", r.err)
			}
			golden.RequireEqual(t, []byte(l.stable(b.String())))
		})
	}
}

// ctrl+c during the scan stops before any change, with the exit code of an
// interrupted run.
func TestRequireMFAStoppedDuringTheScanChangesNothing(t *testing.T) {
	l := rolloutPool(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l.counter.setHook(func(op string, n int) {
		if op == "AdminGetUser" && n == 2 {
			cancel()
		}
	})
	r := l.run(runOpts{ctx: ctx}, "require-mfa", "--yes")
	if admin.KindOf(r.err) != admin.KindCanceled || r.exit != admin.ExitInterrupted || r.err.Error() != "stopped, so nothing was changed" {
		t.Fatalf("ctrl+c during the scan: %v (exit %d)", r.err, r.exit)
	}
	l.unchanged("ctrl+c during the scan")
	if got := l.mfaConfig().MfaConfiguration; got != types.UserPoolMfaTypeOptional {
		t.Errorf("MfaConfiguration %s after ctrl+c", got)
	}
}
