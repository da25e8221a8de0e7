package admin_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// noAWSEnvironment leaves the SDK's credential chain nothing to find: no
// keys, no files, no container or instance role.
func noAWSEnvironment(t *testing.T) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "",
	} {
		t.Setenv(k, v)
	}
}

func TestMissingCredentialsAreSaidBeforeAnyCall(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	noAWSEnvironment(t)
	before := len(l.counter.log)
	r := l.run(runOpts{chain: true}, "user", "alice")
	if admin.KindOf(r.err) != admin.KindNoCredentials || r.err.Error() != admin.NoCredentials() {
		t.Fatalf("%v", r.err)
	}
	for _, way := range []string{"AWS_ACCESS_KEY_ID", "--aws-profile", "AWS_PROFILE", "aws sso login", "instance or task role"} {
		if !strings.Contains(r.err.Error(), way) {
			t.Errorf("the sentence does not name %s", way)
		}
	}
	if n := len(l.counter.log) - before; n != 0 {
		t.Fatalf("%d requests sent without credentials", n)
	}
	r = l.run(runOpts{chain: true}, "status", "--aws-profile", "nope")
	if admin.KindOf(r.err) != admin.KindNoCredentials || !strings.Contains(r.err.Error(), `there is no AWS profile "nope"`) {
		t.Fatalf("a missing profile: %v", r.err)
	}
}

func TestCredentialsFromTheEnvironmentSignTheCalls(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	noAWSEnvironment(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "from-env")
	l.newUser("alice", true)
	r := l.run(runOpts{chain: true}, "user", "alice")
	if r.err != nil {
		t.Fatal(r.err)
	}
	reqs := l.counter.requests("AdminGetUser")
	if len(reqs) != 1 || !strings.HasPrefix(reqs[0].auth, "AWS4-HMAC-SHA256 Credential=AKIDFROMENV/") {
		t.Fatalf("%d AdminGetUser requests, want one signed with the environment's key", len(reqs))
	}
}

func TestAccessDeniedNamesTheIAMAction(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	l.newUser("alice", true)
	for _, c := range []struct {
		op   string
		args []string
	}{
		{"ListUsers", []string{"status", "--yes"}},
		{"AdminGetUser", []string{"user", "alice"}},
		{"GetUserPoolMfaConfig", []string{"user", "alice"}},
	} {
		l.server.InjectFault(cognitolocal.Fault{Operation: c.op, Times: 1, Exception: "AccessDeniedException",
			Message: "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: cognito-idp:" + c.op + " on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/" + l.poolID})
		r := l.run(runOpts{}, c.args...)
		want := "your AWS credentials are not allowed cognito-idp:" + c.op + ": add that action on this pool to their IAM policy"
		if admin.KindOf(r.err) != admin.KindAccessDenied || r.err.Error() != want {
			t.Errorf("%s denied: %v, want %q", c.op, r.err, want)
		}
	}
}

func TestUnknownPoolIsSaid(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	r := l.run(runOpts{noPool: true}, "user", "alice", "--user-pool-id", region+"_NoSuchPool", "--endpoint-url", l.url)
	if admin.KindOf(r.err) != admin.KindPoolNotFound || !strings.Contains(r.err.Error(), "--user-pool-id") {
		t.Fatalf("%v", r.err)
	}
}

func TestNoPoolRunsOnTheLocalDemo(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOn)
	r := l.run(runOpts{noPool: true}, "status", "--yes", "--output", "json")
	if r.err != nil {
		t.Fatal(r.err)
	}
	got := decodeReport(t, r.stdout)
	if !strings.Contains(r.stderr, "No pool configured: using the local demo pool "+got.PoolID+", in memory.\nIts AWS credentials are dummies") {
		t.Fatalf("stderr: %s", r.stderr)
	}
	if got.Summary.Users == 0 || got.Summary.TOTP == 0 {
		t.Fatalf("the demo pool's rollout: %+v", got.Summary)
	}
	r = l.run(runOpts{noPool: true}, "reset-totp", "totp-user", "--yes")
	if r.err != nil || !strings.Contains(r.stdout, "Removed the authenticator app (TOTP) of totp-user") {
		t.Fatalf("reset-totp on the demo: %v %s", r.err, r.stdout)
	}
}
