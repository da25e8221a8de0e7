package admin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// nothingChanged wants no AdminDeleteSoftwareToken or sign-out sent.
func (l *local) nothingChanged(what string) {
	l.t.Helper()
	if d, s := l.counter.count("AdminDeleteSoftwareToken"), l.counter.count("AdminUserGlobalSignOut"); d+s != 0 {
		l.t.Fatalf("%s: %d AdminDeleteSoftwareToken and %d AdminUserGlobalSignOut calls, want none", what, d, s)
	}
}

func TestResetRefusesAnUnknownUserAndOneWithoutTOTP(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	l.newUser("carol", true)

	r := l.run(runOpts{}, "reset-totp", "nobody", "--yes")
	if admin.KindOf(r.err) != admin.KindUserNotFound || r.err.Error() != "there is no user nobody in this pool, so nothing was changed; usernames are case-sensitive, and an email alias is not a username" {
		t.Fatalf("unknown user: %v", r.err)
	}
	r = l.run(runOpts{}, "reset-totp", "carol", "--yes")
	if admin.KindOf(r.err) != admin.KindNoTOTP || !strings.HasPrefix(r.err.Error(), "there is nothing to reset: carol has no authenticator app (TOTP), so nothing was changed") ||
		!strings.Contains(r.err.Error(), "asks to set up MFA") {
		t.Fatalf("a user without TOTP: %v", r.err)
	}
	if r.stdout != "" {
		t.Fatalf("a refusal printed a report: %q", r.stdout)
	}
	l.nothingChanged("refused resets")
}

func TestResetAsksNamingUserAndPool(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("dan", true)
	l.enrollSignedIn("dan")

	// No terminal and no --yes: refuse, naming --yes.
	r := l.run(runOpts{}, "reset-totp", "dan")
	if admin.KindOf(r.err) != admin.KindNotConfirmed || !strings.Contains(r.err.Error(), "give --yes") || !strings.Contains(r.err.Error(), l.poolID) {
		t.Fatalf("no terminal: %v", r.err)
	}
	// A person says no.
	r = l.run(runOpts{terminal: true, stdin: "n\n"}, "reset-totp", "dan")
	want := "Remove the authenticator app (TOTP) of dan in pool " + l.poolID + ", and sign dan out of every session? [y/N]"
	if flat(r.stderr) != want || admin.KindOf(r.err) != admin.KindNotConfirmed {
		t.Fatalf("question %q, error %v; want the question %q", r.stderr, r.err, want)
	}
	// Enter alone is no too.
	if r = l.run(runOpts{terminal: true, stdin: "\n"}, "reset-totp", "dan"); admin.KindOf(r.err) != admin.KindNotConfirmed {
		t.Fatalf("an empty answer: %v", r.err)
	}
	l.nothingChanged("unconfirmed resets")
	if !l.userReport("dan").User.HasTOTP() {
		t.Fatal("dan lost TOTP without a yes")
	}
	// Yes.
	r = l.run(runOpts{terminal: true, stdin: "y\n"}, "reset-totp", "dan", "--keep-sessions")
	if r.err != nil || !strings.HasSuffix(flat(r.stderr), "Remove the authenticator app (TOTP) of dan in pool "+l.poolID+"? [y/N]") {
		t.Fatalf("confirmed: %v, asked %q", r.err, r.stderr)
	}
	if l.userReport("dan").User.HasTOTP() {
		t.Fatal("dan keeps TOTP after a confirmed reset")
	}
}

func TestResetKeepSessionsLeavesTokensWorking(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("erin", true)
	l.enrollSignedIn("erin")
	ctx := context.Background()
	step, err := l.flow().SignIn(ctx, "erin", password)
	if err != nil || step.Challenge == "" {
		t.Fatalf("erin has TOTP, so sign-in asks for it: challenge %q, %v", step.Challenge, err)
	}
	l.clock.Advance(30 * time.Second) // the code that enrolled erin is spent; the app's next one signs in
	step, err = l.flow().AnswerTOTP(ctx, step, l.code(mustSecret(t, l, "erin")))
	if err != nil {
		t.Fatal(err)
	}
	r := l.run(runOpts{}, "reset-totp", "erin", "--yes", "--keep-sessions")
	if out := flat(r.stdout); r.err != nil || !strings.Contains(out, "their current sessions were kept (--keep-sessions)") ||
		!strings.Contains(out, "asks for no MFA code") || !strings.Contains(out, "runs the cognito-totp wizard after signing in") {
		t.Fatalf("%v\n%s", r.err, r.stdout)
	}
	if n := l.counter.count("AdminUserGlobalSignOut"); n != 0 {
		t.Fatalf("--keep-sessions still signed out (%d calls)", n)
	}
	if _, err := l.user.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(step.Tokens.AccessToken)}); err != nil {
		t.Fatalf("erin's access token after a reset with --keep-sessions: %v", err)
	}
}

// mustSecret is the secret enrollSignedIn gave name.
func mustSecret(t *testing.T, l *local, name string) string {
	t.Helper()
	s, ok := l.secrets[name]
	if !ok {
		t.Fatalf("no secret kept for %s", name)
	}
	return s
}

func TestResetSaysWhenOnlyTheSignOutFailed(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("gus", true)
	l.enrollSignedIn("gus")
	l.server.InjectFault(cognitolocal.Fault{Operation: "AdminUserGlobalSignOut", Times: 1, Exception: "AccessDeniedException",
		Message: "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: cognito-idp:AdminUserGlobalSignOut"})
	r := l.run(runOpts{}, "reset-totp", "gus", "--yes")
	want := "the authenticator app was removed, but signing gus out of their sessions failed: your AWS credentials are not allowed cognito-idp:AdminUserGlobalSignOut"
	if admin.KindOf(r.err) != admin.KindAccessDenied || !strings.HasPrefix(r.err.Error(), want) {
		t.Fatalf("%v, want %q", r.err, want)
	}
	if l.userReport("gus").User.HasTOTP() {
		t.Fatal("the error says the app was removed, but gus still has TOTP")
	}
}

// A dropped connection is retried as the SDK does by default (three tries),
// not as patiently as throttling, so an unreachable endpoint is said soon.
func TestDroppedConnectionsAreSaidAfterThreeTries(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	l.server.InjectFault(cognitolocal.Fault{Operation: "AdminGetUser", Drop: true})
	r := l.run(runOpts{}, "user", "anyone")
	if admin.KindOf(r.err) != admin.KindUnreachable || !strings.Contains(r.err.Error(), "could not reach Cognito for AdminGetUser") {
		t.Fatalf("%v", r.err)
	}
	if n := l.counter.count("AdminGetUser"); n != 3 {
		t.Fatalf("%d tries, want 3", n)
	}
}
