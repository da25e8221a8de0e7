package cognitolocal_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// The aws CLI (v1, botocore) drives the whole enrollment against the handler:
// a second, independent client implementation of the wire protocol.
func TestAWSCLIEnrollment(t *testing.T) {
	t.Parallel()
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("COGNITO_TOTP_REQUIRE_PEERS") == "1" {
			t.Fatal("aws CLI not on PATH and COGNITO_TOTP_REQUIRE_PEERS=1")
		}
		t.Skip("aws CLI not on PATH: skipping the aws CLI end-to-end test")
	}
	clock := cognitolocal.NewManualClock(start)
	srv := httptest.NewServer(cognitolocal.New(cognitolocal.Options{Clock: clock}))
	defer srv.Close()
	cli := &awsCLI{t: t, path: awsPath, url: srv.URL, env: cliEnv(t.TempDir())}

	var pool struct{ UserPool struct{ Id string } }
	cli.run(&pool, "create-user-pool", "--pool-name", "cli-pool")
	poolID := pool.UserPool.Id
	cli.run(nil, "set-user-pool-mfa-config", "--user-pool-id", poolID,
		"--software-token-mfa-configuration", "Enabled=true", "--mfa-configuration", "ON")
	var client struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	cli.run(&client, "create-user-pool-client", "--user-pool-id", poolID, "--client-name", "cli-client", "--generate-secret",
		"--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
	c := appClient{id: client.UserPoolClient.ClientId, secret: client.UserPoolClient.ClientSecret}
	cli.run(nil, "admin-create-user", "--user-pool-id", poolID, "--username", "cliuser", "--temporary-password", tempPassword,
		"--message-action", "SUPPRESS", "--user-attributes", "Name=email,Value=cliuser@example.com")

	type authOut struct {
		ChallengeName        string
		Session              string
		ChallengeParameters  map[string]string
		AuthenticationResult *struct{ AccessToken, IdToken, RefreshToken, TokenType string }
	}
	var out authOut
	cli.run(&out, "initiate-auth", "--auth-flow", "USER_PASSWORD_AUTH", "--client-id", c.id,
		"--auth-parameters", jsonArg(withHash(c, "cliuser", map[string]string{"USERNAME": "cliuser", "PASSWORD": tempPassword})))
	if out.ChallengeName != "NEW_PASSWORD_REQUIRED" || out.ChallengeParameters["USER_ID_FOR_SRP"] != "cliuser" {
		t.Fatalf("initiate-auth = %+v", out)
	}
	respond := func(challenge, session string, extra map[string]string) authOut {
		resp := withHash(c, "cliuser", map[string]string{"USERNAME": "cliuser"})
		for k, v := range extra {
			resp[k] = v
		}
		var o authOut
		cli.run(&o, "respond-to-auth-challenge", "--client-id", c.id, "--challenge-name", challenge,
			"--session", session, "--challenge-responses", jsonArg(resp))
		return o
	}
	out = respond("NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"NEW_PASSWORD": password})
	if out.ChallengeName != "MFA_SETUP" || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("after new password = %+v", out)
	}
	var assoc struct{ SecretCode, Session string }
	cli.run(&assoc, "associate-software-token", "--session", out.Session)
	code := func() string {
		c, err := totp.GenerateCode(assoc.SecretCode, clock.Now())
		must(t, err)
		return c
	}
	// A wrong code fails with the documented exception and leaves the session usable.
	stderr := cli.fail("verify-software-token", "--session", assoc.Session, "--user-code", wrongCode(code()))
	if !strings.Contains(stderr, "EnableSoftwareTokenMFAException") {
		t.Fatalf("wrong code: %s", stderr)
	}
	var ver struct{ Status, Session string }
	cli.run(&ver, "verify-software-token", "--session", assoc.Session, "--user-code", code(), "--friendly-device-name", "cli-phone")
	if ver.Status != "SUCCESS" {
		t.Fatalf("verify = %+v", ver)
	}
	out = respond("MFA_SETUP", ver.Session, nil)
	if out.AuthenticationResult == nil || out.AuthenticationResult.TokenType != "Bearer" {
		t.Fatalf("MFA_SETUP answer = %+v", out)
	}
	var user struct {
		UserStatus          string
		PreferredMfaSetting string
		UserMFASettingList  []string
	}
	cli.run(&user, "admin-get-user", "--user-pool-id", poolID, "--username", "cliuser")
	if user.UserStatus != "CONFIRMED" || user.PreferredMfaSetting != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("admin-get-user = %+v", user)
	}

	clock.Advance(30 * time.Second)
	cli.run(&out, "initiate-auth", "--auth-flow", "USER_PASSWORD_AUTH", "--client-id", c.id,
		"--auth-parameters", jsonArg(withHash(c, "cliuser", map[string]string{"USERNAME": "cliuser", "PASSWORD": password})))
	if out.ChallengeName != "SOFTWARE_TOKEN_MFA" || out.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "cli-phone" {
		t.Fatalf("second sign-in = %+v", out)
	}
	out = respond("SOFTWARE_TOKEN_MFA", out.Session, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": code()})
	if out.AuthenticationResult == nil {
		t.Fatalf("SOFTWARE_TOKEN_MFA answer = %+v", out)
	}
	var me struct{ Username string }
	cli.run(&me, "get-user", "--access-token", out.AuthenticationResult.AccessToken)
	if me.Username != "cliuser" {
		t.Fatalf("get-user = %+v", me)
	}
	// Admin calls without a signature are refused.
	if stderr := cli.fail("describe-user-pool", "--user-pool-id", poolID, "--no-sign-request"); !strings.Contains(stderr, "MissingAuthenticationTokenException") {
		t.Fatalf("unsigned admin call: %s", stderr)
	}
}

type awsCLI struct {
	t         *testing.T
	path, url string
	env       []string
}

func (a *awsCLI) cmd(args ...string) *exec.Cmd {
	full := append([]string{"--endpoint-url", a.url, "--region", "us-east-1", "--output", "json", "cognito-idp"}, args...)
	cmd := exec.Command(a.path, full...)
	cmd.Env = a.env
	return cmd
}

// run runs one aws command that must succeed and decodes its JSON output into v.
func (a *awsCLI) run(v any, args ...string) {
	a.t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := a.cmd(args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		a.t.Fatalf("aws %s: %v\n%s", args[0], err, stderr.String())
	}
	if v != nil {
		if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
			a.t.Fatalf("aws %s: output is not JSON: %v", args[0], err)
		}
	}
}

// fail runs one aws command that must fail and returns its stderr.
func (a *awsCLI) fail(args ...string) string {
	a.t.Helper()
	var stderr bytes.Buffer
	cmd := a.cmd(args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		a.t.Fatalf("aws %s succeeded, want an error", args[0])
	}
	return stderr.String()
}

// cliEnv is the environment without the caller's AWS settings, with dummy
// credentials and no config files, so nothing outside the test affects it.
func cliEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=y", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"))
}

func jsonArg(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// list-users (filter, automatic and manual paging) and
// admin-user-global-sign-out through the aws CLI.
func TestAWSCLIListUsersAndGlobalSignOut(t *testing.T) {
	t.Parallel()
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("COGNITO_TOTP_REQUIRE_PEERS") == "1" {
			t.Fatal("aws CLI not on PATH and COGNITO_TOTP_REQUIRE_PEERS=1")
		}
		t.Skip("aws CLI not on PATH: skipping the aws CLI end-to-end test")
	}
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{secret: true})
	for _, n := range []string{"ann", "anna", "annie", "bert", "cleo"} {
		e.confirmedUser(poolID, n)
	}
	e.tempUser(poolID, "anton")
	cli := &awsCLI{t: t, path: awsPath, url: e.url, env: cliEnv(t.TempDir())}

	type users struct {
		Users []struct {
			Username, UserStatus string
			Enabled              bool
			Attributes           []struct{ Name, Value string }
		}
		PaginationToken string
	}
	names := func(u users) []string {
		var out []string
		for _, x := range u.Users {
			out = append(out, x.Username)
		}
		return out
	}
	// The CLI follows PaginationToken itself: pages of 2, one list.
	var all users
	cli.run(&all, "list-users", "--user-pool-id", poolID, "--page-size", "2", "--filter", `username ^= "ann"`)
	if got := names(all); strings.Join(got, ",") != "ann,anna,annie" || all.PaginationToken != "" {
		t.Fatalf("list-users ^= ann = %v (token %q)", got, all.PaginationToken)
	}
	// One page at a time, by hand.
	var page users
	cli.run(&page, "list-users", "--user-pool-id", poolID, "--no-paginate", "--limit", "4")
	if got := names(page); strings.Join(got, ",") != "ann,anna,annie,anton" || page.PaginationToken == "" {
		t.Fatalf("first page = %v", got)
	}
	var rest users
	cli.run(&rest, "list-users", "--user-pool-id", poolID, "--no-paginate", "--limit", "4", "--pagination-token", page.PaginationToken)
	if got := names(rest); strings.Join(got, ",") != "bert,cleo" || rest.PaginationToken != "" {
		t.Fatalf("second page = %v", got)
	}
	var forced users
	cli.run(&forced, "list-users", "--user-pool-id", poolID, "--filter", `cognito:user_status = "FORCE_CHANGE_PASSWORD"`,
		"--attributes-to-get", "email")
	if len(forced.Users) != 1 || forced.Users[0].Username != "anton" || !forced.Users[0].Enabled ||
		len(forced.Users[0].Attributes) != 1 || forced.Users[0].Attributes[0].Value != "anton@example.com" {
		t.Fatalf("FORCE_CHANGE_PASSWORD users = %+v", forced.Users)
	}
	if stderr := cli.fail("list-users", "--user-pool-id", poolID, "--filter", "username ann"); !strings.Contains(stderr, "InvalidParameterException") ||
		!strings.Contains(stderr, "Error while parsing filter.") {
		t.Fatalf("bad filter: %s", stderr)
	}

	before := e.tokens(c, "bert")
	cli.run(nil, "admin-user-global-sign-out", "--user-pool-id", poolID, "--username", "bert")
	e.wantRevoked(before.AccessToken)
	if stderr := cli.fail("admin-user-global-sign-out", "--user-pool-id", poolID, "--username", "nobody"); !strings.Contains(stderr, "UserNotFoundException") {
		t.Fatalf("unknown user: %s", stderr)
	}
}
