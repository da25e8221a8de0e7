package peers

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The aws CLI (v1, botocore: a client we did not write) against the
// `cognito-totp local` server, started by TestMain from the binary built out
// of this module. Codes are computed at the real time, which the server uses.

type awsRunner struct {
	t        *testing.T
	path     string
	endpoint string
	env      []string
}

func newAWSRunner(t *testing.T) *awsRunner {
	t.Helper()
	url, path := needLocal(t)
	// The caller's AWS settings must not reach the CLI: dummy keys, no files.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION="+region, "AWS_PAGER=",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")
	return &awsRunner{t: t, path: path, endpoint: url, env: env}
}

func (a *awsRunner) exec(args []string) (stdout, stderr []byte, err error) {
	full := append([]string{"--endpoint-url", a.endpoint, "--output", "json", "cognito-idp"}, args...)
	cmd := exec.Command(a.path, full...)
	cmd.Env = a.env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// ok runs a command that must succeed and decodes its JSON output into v.
func (a *awsRunner) ok(v any, args ...string) {
	a.t.Helper()
	stdout, stderr, err := a.exec(args)
	if err != nil {
		a.t.Fatalf("aws cognito-idp %s: %v\n%s", args[0], err, stderr)
	}
	if v != nil {
		if err := json.Unmarshal(stdout, v); err != nil {
			a.t.Fatalf("aws cognito-idp %s: the output is not JSON: %v\n%s", args[0], err, stdout)
		}
	}
}

// botocoreError is how the CLI reports a service error.
var botocoreError = regexp.MustCompile(`An error occurred \(([A-Za-z]+)\) when calling the ([A-Za-z]+) operation: (.*)`)

// fails runs a command that must fail with a service error whose code, as
// botocore parsed it, is code; it returns the message.
func (a *awsRunner) fails(code string, args ...string) string {
	a.t.Helper()
	_, stderr, err := a.exec(args)
	if err == nil {
		a.t.Fatalf("aws cognito-idp %s succeeded, want %s", args[0], code)
	}
	m := botocoreError.FindSubmatch(stderr)
	if m == nil {
		a.t.Fatalf("aws cognito-idp %s: no service error in the output (%v):\n%s", args[0], err, stderr)
	}
	if string(m[1]) != code {
		a.t.Fatalf("aws cognito-idp %s: botocore parsed %s (%s), want %s", args[0], m[1], m[3], code)
	}
	if op := operationName(args[0]); string(m[2]) != op {
		a.t.Fatalf("aws cognito-idp %s: the error names the operation %s", args[0], m[2])
	}
	return string(bytes.TrimSpace(m[3]))
}

// operationName turns a CLI command into the API operation: initiate-auth -> InitiateAuth.
func operationName(command string) string {
	var b strings.Builder
	for _, w := range strings.Split(command, "-") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func jsonArg(m map[string]string) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

type cliAuth struct {
	ChallengeName        string
	Session              string
	ChallengeParameters  map[string]string
	AuthenticationResult *struct{ AccessToken, IdToken, RefreshToken, TokenType string }
}

// cliPool is a pool with MFA required and software tokens on, made with the CLI.
func cliPool(a *awsRunner) string {
	a.t.Helper()
	var pool struct{ UserPool struct{ Id string } }
	a.ok(&pool, "create-user-pool", "--pool-name", "peers-cli")
	if !regexp.MustCompile(`^` + region + `_[0-9A-Za-z]+$`).MatchString(pool.UserPool.Id) {
		a.t.Fatalf("pool ID %q", pool.UserPool.Id)
	}
	var mfa struct {
		MfaConfiguration              string
		SoftwareTokenMfaConfiguration struct{ Enabled bool }
	}
	a.ok(&mfa, "set-user-pool-mfa-config", "--user-pool-id", pool.UserPool.Id,
		"--software-token-mfa-configuration", "Enabled=true", "--mfa-configuration", "ON")
	if mfa.MfaConfiguration != "ON" || !mfa.SoftwareTokenMfaConfiguration.Enabled {
		a.t.Fatalf("set-user-pool-mfa-config answered %+v", mfa)
	}
	return pool.UserPool.Id
}

func cliClient(a *awsRunner, poolID string, args ...string) (id, secret string) {
	a.t.Helper()
	var out struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	a.ok(&out, append([]string{"create-user-pool-client", "--user-pool-id", poolID, "--client-name", "peers-cli"}, args...)...)
	return out.UserPoolClient.ClientId, out.UserPoolClient.ClientSecret
}

func TestAWSCLIEnrollmentAgainstLocal(t *testing.T) {
	a := newAWSRunner(t)
	t.Parallel()
	poolID := cliPool(a)
	clientID, secret := cliClient(a, poolID, "--generate-secret",
		"--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
	if len(secret) < 24 {
		t.Fatalf("client secret of %d characters", len(secret))
	}
	a.ok(nil, "admin-create-user", "--user-pool-id", poolID, "--username", "cli-user", "--temporary-password", tempPassword,
		"--message-action", "SUPPRESS", "--user-attributes", "Name=email,Value=cli-user@example.com")
	hash := secretHash(secret, "cli-user", clientID)
	signIn := func(pw string) cliAuth {
		var out cliAuth
		a.ok(&out, "initiate-auth", "--auth-flow", "USER_PASSWORD_AUTH", "--client-id", clientID,
			"--auth-parameters", jsonArg(map[string]string{"USERNAME": "cli-user", "PASSWORD": pw, "SECRET_HASH": hash}))
		return out
	}
	respondArgs := func(challenge, session string, extra map[string]string) []string {
		answers := map[string]string{"USERNAME": "cli-user", "SECRET_HASH": hash}
		for k, v := range extra {
			answers[k] = v
		}
		return []string{"respond-to-auth-challenge", "--client-id", clientID, "--challenge-name", challenge,
			"--session", session, "--challenge-responses", jsonArg(answers)}
	}
	respond := func(challenge, session string, extra map[string]string) cliAuth {
		var out cliAuth
		a.ok(&out, respondArgs(challenge, session, extra)...)
		return out
	}

	out := signIn(tempPassword)
	if out.ChallengeName != "NEW_PASSWORD_REQUIRED" || out.ChallengeParameters["USER_ID_FOR_SRP"] != "cli-user" {
		t.Fatalf("first sign-in: %+v", out)
	}
	if msg := a.fails("InvalidPasswordException", respondArgs("NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"NEW_PASSWORD": "Sh0rt!"})...); !strings.Contains(msg, "Password does not conform to policy") {
		t.Fatalf("weak password message %q", msg)
	}
	out = respond("NEW_PASSWORD_REQUIRED", out.Session, map[string]string{"NEW_PASSWORD": newPassword})
	if out.ChallengeName != "MFA_SETUP" || out.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("after the new password: %+v (botocore must read MFAS_CAN_SETUP as a string holding a JSON array)", out)
	}
	setupSession := out.Session

	var assoc struct{ SecretCode, Session string }
	a.ok(&assoc, "associate-software-token", "--session", setupSession)
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(assoc.SecretCode) || assoc.Session == "" || assoc.Session == setupSession {
		t.Fatalf("associate-software-token: secret %q, a new session: %v", assoc.SecretCode, assoc.Session != setupSession)
	}
	a.fails("NotAuthorizedException", "associate-software-token", "--session", setupSession) // spent
	if msg := a.fails("EnableSoftwareTokenMFAException", "verify-software-token", "--session", assoc.Session,
		"--user-code", wrongCode(t, assoc.SecretCode)); msg != "Code mismatch and fail enable Software Token MFA" {
		t.Fatalf("wrong first code message %q", msg)
	}
	a.fails("InvalidParameterException", "verify-software-token", "--session", assoc.Session, "--user-code", "abcdef")
	var verify struct{ Status, Session string }
	a.ok(&verify, "verify-software-token", "--session", assoc.Session, "--user-code", codeNow(t, assoc.SecretCode),
		"--friendly-device-name", "cli-phone")
	if verify.Status != "SUCCESS" || verify.Session == "" {
		t.Fatalf("verify-software-token: %+v", verify)
	}
	if msg := a.fails("NotAuthorizedException", respondArgs("MFA_SETUP", setupSession, nil)...); !strings.Contains(msg, "Invalid session for the user") {
		t.Fatalf("MFA_SETUP answered with the challenge's own, spent session: %q", msg)
	}
	out = respond("MFA_SETUP", verify.Session, nil)
	if out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == "" || out.AuthenticationResult.TokenType != "Bearer" {
		t.Fatalf("MFA_SETUP answer: %+v", out)
	}

	out = signIn(newPassword)
	if out.ChallengeName != "SOFTWARE_TOKEN_MFA" || out.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "cli-phone" {
		t.Fatalf("second sign-in: %+v", out)
	}
	mfaSession := out.Session
	if msg := a.fails("CodeMismatchException", respondArgs("SOFTWARE_TOKEN_MFA", mfaSession,
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": wrongCode(t, assoc.SecretCode)})...); msg != "Invalid code received for user" {
		t.Fatalf("wrong code message %q", msg)
	}
	// The verifying code is spent (a code is accepted once); the app's next
	// one, a step ahead, which Cognito accepts, signs in.
	freshStep()
	next := codeAt(t, assoc.SecretCode, time.Now().Add(step))
	out = respond("SOFTWARE_TOKEN_MFA", mfaSession, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": next})
	if out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == "" {
		t.Fatalf("SOFTWARE_TOKEN_MFA answer: %+v", out)
	}
	if msg := a.fails("NotAuthorizedException", respondArgs("SOFTWARE_TOKEN_MFA", mfaSession,
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": codeNow(t, assoc.SecretCode)})...); msg != "Invalid session for the user, session can only be used once." {
		t.Fatalf("spent session message %q", msg)
	}
	if msg := a.fails("NotAuthorizedException", respondArgs("SOFTWARE_TOKEN_MFA", madeUpSession,
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": "123456"})...); msg != "Invalid session for the user." {
		t.Fatalf("made-up session message %q", msg)
	}

	var me struct {
		Username            string
		UserMFASettingList  []string
		PreferredMfaSetting string
	}
	a.ok(&me, "get-user", "--access-token", out.AuthenticationResult.AccessToken)
	if me.Username != "cli-user" || !slices.Equal(me.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) || me.PreferredMfaSetting != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("get-user: %+v", me)
	}
	var admin struct{ UserStatus, PreferredMfaSetting string }
	a.ok(&admin, "admin-get-user", "--user-pool-id", poolID, "--username", "cli-user")
	if admin.UserStatus != "CONFIRMED" || admin.PreferredMfaSetting != "SOFTWARE_TOKEN_MFA" {
		t.Fatalf("admin-get-user: %+v", admin)
	}
}

func TestAWSCLISignInErrorsAgainstLocal(t *testing.T) {
	a := newAWSRunner(t)
	t.Parallel()
	poolID := cliPool(a)
	clientID, _ := cliClient(a, poolID, "--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
	withSecret, _ := cliClient(a, poolID, "--generate-secret", "--explicit-auth-flows", "ALLOW_USER_PASSWORD_AUTH")
	srpOnly, _ := cliClient(a, poolID, "--explicit-auth-flows", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
	a.ok(nil, "admin-create-user", "--user-pool-id", poolID, "--username", "cli-err", "--temporary-password", password, "--message-action", "SUPPRESS")
	a.ok(nil, "admin-set-user-password", "--user-pool-id", poolID, "--username", "cli-err", "--password", password, "--permanent")
	signIn := func(code, client, user, pw string) string {
		t.Helper()
		return a.fails(code, "initiate-auth", "--auth-flow", "USER_PASSWORD_AUTH", "--client-id", client,
			"--auth-parameters", jsonArg(map[string]string{"USERNAME": user, "PASSWORD": pw}))
	}
	for _, c := range []struct{ what, code, client, user, pw, msg string }{
		{"wrong password", "NotAuthorizedException", clientID, "cli-err", "Wr0ng-Passw0rd", "Incorrect username or password."},
		{"unknown user", "UserNotFoundException", clientID, "nobody", password, "User does not exist."},
		{"unknown client", "ResourceNotFoundException", "doesnotexist", "cli-err", password, ""},
		{"no SECRET_HASH", "NotAuthorizedException", withSecret, "cli-err", password, "Client " + withSecret + " is configured with secret but SECRET_HASH was not received"},
		{"flow not allowed", "InvalidParameterException", srpOnly, "cli-err", password, "USER_PASSWORD_AUTH flow not enabled for this client"},
	} {
		if msg := signIn(c.code, c.client, c.user, c.pw); c.msg != "" && msg != c.msg {
			t.Errorf("%s: message %q, want %q", c.what, msg, c.msg)
		}
	}
	a.fails("NotAuthorizedException", "get-user", "--access-token", madeUpAccessToken)
}
