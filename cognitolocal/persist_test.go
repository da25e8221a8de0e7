package cognitolocal_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"
	_ "modernc.org/sqlite"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// swappable serves whichever Server is current, so that a restart keeps the
// URL the SDK clients talk to. After each request it compares the state in
// memory with the state on disk: every change an answer reflects must have
// been written before it. The check runs with no request in flight (mu), so
// memory holds only answered changes.
type swappable struct {
	t   *testing.T
	dir string
	cur atomic.Pointer[cognitolocal.Server]
	mu  sync.RWMutex // requests hold it shared, the check exclusively
}

func (h *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A dropped connection (an injected fault) ends the handler with
	// http.ErrAbortHandler's panic: the shared lock is released on the way
	// out all the same, and nothing was answered to check.
	func() {
		h.mu.RLock()
		defer h.mu.RUnlock()
		h.cur.Load().ServeHTTP(w, r)
	}()
	h.mu.Lock()
	defer h.mu.Unlock()
	disk, err := cognitolocal.DiskRecords(h.dir)
	if err != nil {
		h.t.Errorf("reading the data directory after %s: %v", r.Header.Get("X-Amz-Target"), err)
		return
	}
	if mem := cognitolocal.StateRecords(h.cur.Load()); !slices.Equal(mem, disk) {
		h.t.Errorf("after %s, the data directory differs from memory:\n%s", r.Header.Get("X-Amz-Target"), diff(mem, disk))
	}
}

// diff names the records only in memory and only on disk, by kind and
// size (they hold secrets).
func diff(mem, disk []string) string {
	var b strings.Builder
	for _, r := range redact(mem) {
		if !slices.Contains(redact(disk), r) {
			fmt.Fprintf(&b, "  only in memory: %s\n", r)
		}
	}
	for _, r := range redact(disk) {
		if !slices.Contains(redact(mem), r) {
			fmt.Fprintf(&b, "  only on disk: %s\n", r)
		}
	}
	return b.String()
}

// everyTestOnDiskEnv, set, makes every test's env keep its Server's state
// in a data directory and check after each request that the directory
// holds what memory does: COGNITOLOCAL_TEST_DATADIR=1 go test ./cognitolocal
// runs the whole suite so, finding any change a handler forgot to save.
const everyTestOnDiskEnv = "COGNITOLOCAL_TEST_DATADIR"

// openChecked opens a Server on a new directory and returns it with a
// handler that checks the directory after each request.
func openChecked(t *testing.T, clock cognitolocal.Clock) (*cognitolocal.Server, http.Handler) {
	t.Helper()
	dir := t.TempDir()
	s, err := cognitolocal.Open(dir, cognitolocal.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	h := &swappable{t: t, dir: dir}
	h.cur.Store(s)
	t.Cleanup(func() { s.Close() })
	return s, h
}

// dataDirEnv is an env whose Server keeps its state in dir.
type dataDirEnv struct {
	*env
	dir string
	h   *swappable
}

func newDataDirEnv(t *testing.T) *dataDirEnv {
	t.Helper()
	dir := t.TempDir()
	clock := cognitolocal.NewManualClock(start)
	s, err := cognitolocal.Open(dir, cognitolocal.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	h := &swappable{t: t, dir: dir}
	h.cur.Store(s)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.cur.Load().Close()
	})
	mk := func(creds aws.CredentialsProvider) *cip.Client {
		return cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds,
			HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	}
	e := &env{t: t, clock: clock, server: s, url: srv.URL, ctx: context.Background(),
		admin: mk(credentials.NewStaticCredentialsProvider("x", "y", "")), user: mk(aws.AnonymousCredentials{})}
	return &dataDirEnv{env: e, dir: dir, h: h}
}

// restart closes the Server and opens a new one on the same directory, with
// the same clock; it returns the records before and after.
func (d *dataDirEnv) restart() (before, after []string) {
	d.t.Helper()
	before = cognitolocal.StateRecords(d.server)
	if err := d.server.Close(); err != nil {
		d.t.Fatal(err)
	}
	s, err := cognitolocal.Open(d.dir, cognitolocal.Options{Clock: d.clock})
	if err != nil {
		d.t.Fatal(err)
	}
	d.server = s
	d.h.cur.Store(s)
	return before, cognitolocal.StateRecords(s)
}

// A restart on the same directory keeps pools, clients (with secrets),
// users, enrolled and pending TOTP secrets, MFA settings, refresh tokens and
// sign-outs, the outbox and the signing key: a token issued before the
// restart is accepted after it.
func TestDataDirKeepsStateAcrossRestart(t *testing.T) {
	d := newDataDirEnv(t)
	e := d.env
	poolID := e.pool(poolSpec{mfa: "ON"})
	_, err := e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration:              types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::000000000000:role/sms")}},
	})
	must(t, err)
	c := e.client(poolID, clientSpec{secret: true})

	// alice enrolls TOTP through MFA_SETUP and keeps her tokens.
	e.confirmedUser(poolID, "alice")
	secret, tokens := e.enrollViaSession(c, "alice")
	// bob has SMS MFA: signing in puts a code in the outbox.
	_, err = e.admin.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bob"),
		TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15555550123")}}})
	must(t, err)
	_, err = e.admin.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("bob"),
		Password: aws.String(password), Permanent: true})
	must(t, err)
	_, err = e.admin.AdminSetUserMFAPreference(e.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String("bob"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	sms, err := e.signIn(c, "bob", password)
	must(t, err)
	wantChallenge(t, sms.ChallengeName, types.ChallengeNameTypeSmsMfa)
	// erin still has her temporary password.
	e.tempUser(poolID, "erin")
	// carol signs in, then is signed out everywhere: her refresh token is revoked.
	e.confirmedUser(poolID, "carol")
	_, carolTokens := e.enrollViaSession(c, "carol")
	_, err = e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("carol")})
	must(t, err)
	// dave is disabled.
	e.confirmedUser(poolID, "dave")
	_, err = e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave")})
	must(t, err)
	pending := e.associate(tokens.AccessToken) // alice starts replacing her authenticator
	outbox := e.server.Outbox()
	kids := slices.Sorted(maps.Keys(e.jwks(poolID)))

	before, after := d.restart()
	if !slices.Equal(before, after) {
		t.Fatalf("the state read back differs from the state written:\nbefore:\n%s\nafter:\n%s", strings.Join(redact(before), "\n"), strings.Join(redact(after), "\n"))
	}
	if got := slices.Sorted(maps.Keys(e.jwks(poolID))); len(kids) != 1 || !slices.Equal(got, kids) {
		t.Errorf("the JWKS's keys changed across the restart: %v, then %v", kids, got)
	}

	// The old access token still verifies, and says alice has TOTP preferred.
	me, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	must(t, err)
	if aws.ToString(me.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("GetUser with the old token: PreferredMfaSetting %q, want SOFTWARE_TOKEN_MFA", aws.ToString(me.PreferredMfaSetting))
	}
	// The old refresh token still refreshes.
	ref, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, "alice", map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)})})
	must(t, err)
	if ref.AuthenticationResult == nil || aws.ToString(ref.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("refresh after the restart gave no access token")
	}
	// carol's sign-out holds: her old refresh token is revoked.
	_, err = e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, "carol", map[string]string{"REFRESH_TOKEN": aws.ToString(carolTokens.RefreshToken)})})
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
	// alice signs in with the TOTP secret enrolled before the restart (the
	// client's secret, checked by SECRET_HASH, is the same too).
	out, err := e.signIn(c, "alice", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "alice", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("no tokens after the TOTP challenge")
	}
	// The pending secret associated before the restart verifies after it.
	e.clock.Advance(30 * time.Second) // a new TOTP step: the last code is not replayed
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: fin.AuthenticationResult.AccessToken,
		UserCode: aws.String(e.code(pending))})
	must(t, err)
	// dave is still disabled; erin still has her temporary password.
	dave, err := e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("dave")})
	must(t, err)
	if dave.Enabled {
		t.Error("dave is enabled after the restart")
	}
	erin, err := e.signIn(c, "erin", tempPassword)
	must(t, err)
	wantChallenge(t, erin.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	if got := e.server.Outbox(); len(outbox) == 0 || !slices.Equal(got[:len(outbox)], outbox) {
		t.Errorf("the outbox has %d messages after the restart, want the %d from before first", len(got), len(outbox))
	}
}

// redact hides secrets in records shown by a failing test.
func redact(records []string) []string {
	out := make([]string, len(records))
	for i, r := range records {
		kind, _, _ := strings.Cut(r, " ")
		out[i] = kind + fmt.Sprintf(" (%d bytes)", len(r))
	}
	return out
}

// helperDirEnv names the data directory a re-executed test binary serves
// (TestDataDirServeHelper); unset in a normal run.
const helperDirEnv = "COGNITOLOCAL_TEST_SERVE_DIR"

// TestDataDirServeHelper is not a test of its own: run by the tests below as
// a child process (the test binary again, with helperDirEnv set), it serves
// a Server opened on that directory on a loopback port, prints "URL <url>",
// and serves until it is killed or a minute has passed.
func TestDataDirServeHelper(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		return // only meaningful as a child process
	}
	s, err := cognitolocal.Open(dir, cognitolocal.Options{})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	fmt.Println("URL http://" + ln.Addr().String())
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) // ends with the process
	time.Sleep(time.Minute)
	os.Exit(0)
}

// child is a running TestDataDirServeHelper.
type child struct {
	cmd *exec.Cmd
	url string
}

// startChild runs the helper on dir and waits for its URL, or for the error
// it printed (errLine).
func startChild(t *testing.T, dir string) (c *child, errLine string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDataDirServeHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	must(t, err)
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "URL ") || strings.HasPrefix(l, "ERROR ") {
				lines <- l
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case l := <-lines:
		if u, ok := strings.CutPrefix(l, "URL "); ok {
			return &child{cmd: cmd, url: u}, ""
		}
		cmd.Wait()
		return nil, strings.TrimPrefix(l, "ERROR ")
	case <-time.After(30 * time.Second):
		t.Fatal("the child process did not start serving within 30s")
		return nil, ""
	}
}

// clients are real SDK clients of a child's URL.
func (c *child) clients() (admin, user *cip.Client) {
	hc := &http.Client{Timeout: 10 * time.Second}
	mk := func(creds aws.CredentialsProvider) *cip.Client {
		return cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(c.url), Credentials: creds,
			HTTPClient: hc, RetryMaxAttempts: 1})
	}
	return mk(credentials.NewStaticCredentialsProvider("x", "y", "")), mk(aws.AnonymousCredentials{})
}

// A second process on a directory in use is refused with a sentence naming
// the directory, and the first one goes on serving its data unharmed.
func TestDataDirSecondProcessRefused(t *testing.T) {
	dir := t.TempDir()
	first, msg := startChild(t, dir)
	if first == nil {
		t.Fatalf("the first process did not start: %s", msg)
	}
	admin, _ := first.clients()
	ctx := context.Background()
	p, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("kept")})
	must(t, err)

	second, msg := startChild(t, dir)
	if second != nil {
		t.Fatal("a second process started serving the same directory")
	}
	if !strings.Contains(msg, dir) || !strings.Contains(msg, "in use by another") {
		t.Errorf("second process's refusal = %q, want a sentence naming %s as in use", msg, dir)
	}
	// And in this process too: the lock is not only between children.
	if _, err := cognitolocal.Open(dir, cognitolocal.Options{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Open of a directory in use = %v, want a refusal naming it", err)
	}
	if _, err := admin.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.UserPool.Id}); err != nil {
		t.Errorf("the first process lost its pool: %v", err)
	}
}

// kill -9 in the middle of a load of user creations and enrollments loses
// nothing acknowledged: after a restart on the same directory every user
// whose AdminCreateUser was answered exists, whole, every enrollment that
// was answered signs in with its secret, and no user is half-written.
func TestDataDirKill9LosesNothingAcknowledged(t *testing.T) {
	dir := t.TempDir()
	c, msg := startChild(t, dir)
	if c == nil {
		t.Fatalf("the child did not start: %s", msg)
	}
	admin, user := c.clients()
	ctx := context.Background()
	p, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("load")})
	must(t, err)
	poolID := p.UserPool.Id
	_, err = admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: poolID, MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	cl, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("load"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	clientID := cl.UserPoolClient.ClientId

	var mu sync.Mutex
	created := map[string]bool{}    // AdminCreateUser answered
	confirmed := map[string]bool{}  // AdminSetUserPassword (permanent) answered
	enrolled := map[string]string{} // MFA_SETUP answered with tokens: the secret
	var next atomic.Int64
	var stop atomic.Bool
	enroll := func(name string) error {
		_, err := admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String(name),
			TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}})
		if err != nil {
			return err
		}
		mu.Lock()
		created[name] = true
		mu.Unlock()
		if _, err := admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: poolID, Username: aws.String(name),
			Password: aws.String(password), Permanent: true}); err != nil {
			return err
		}
		mu.Lock()
		confirmed[name] = true
		mu.Unlock()
		in, err := user.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: clientID,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
		if err != nil {
			return err
		}
		assoc, err := user.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: in.Session})
		if err != nil {
			return err
		}
		code, err := totp.GenerateCode(aws.ToString(assoc.SecretCode), time.Now())
		if err != nil {
			return err
		}
		ver, err := user.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(code)})
		if err != nil {
			return err
		}
		fin, err := user.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: clientID, ChallengeName: types.ChallengeNameTypeMfaSetup,
			Session: ver.Session, ChallengeResponses: map[string]string{"USERNAME": name}})
		if err != nil {
			return err
		}
		if fin.AuthenticationResult == nil {
			return fmt.Errorf("no tokens for %s", name)
		}
		mu.Lock()
		enrolled[name] = aws.ToString(assoc.SecretCode)
		mu.Unlock()
		return nil
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				if err := enroll(fmt.Sprintf("user%05d", next.Add(1))); err != nil {
					stop.Store(true) // the process is gone
				}
			}
		})
	}
	// Kill it while the workers are mid-way: once some enrollments are done.
	eventually.Until(20*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(enrolled) >= 25 || stop.Load()
	})
	if err := c.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	c.cmd.Wait()
	stop.Store(true)
	wg.Wait()
	if len(enrolled) < 5 {
		t.Fatalf("only %d enrollments before the kill: the load did not run", len(enrolled))
	}

	c, msg = startChild(t, dir)
	if c == nil {
		t.Fatalf("the restart on the same directory failed: %s", msg)
	}
	admin, user = c.clients()
	var listed []types.UserType
	var token *string
	for {
		out, err := admin.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: poolID, PaginationToken: token})
		must(t, err)
		listed = append(listed, out.Users...)
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	present := map[string]bool{}
	for _, u := range listed {
		name := aws.ToString(u.Username)
		present[name] = true
		attrs := map[string]string{}
		for _, a := range u.Attributes {
			attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		if attrs["sub"] == "" || attrs["email"] != name+"@example.com" || !u.Enabled ||
			(u.UserStatus != types.UserStatusTypeForceChangePassword && u.UserStatus != types.UserStatusTypeConfirmed) {
			t.Errorf("user %s is half-written after the restart: attributes %v, status %s, enabled %v", name, attrs, u.UserStatus, u.Enabled)
		}
	}
	for name := range created {
		if !present[name] {
			t.Errorf("user %s was acknowledged before the kill and is gone after it", name)
		}
	}
	for name := range confirmed {
		g, err := admin.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolID, Username: aws.String(name)})
		if err != nil {
			t.Errorf("user %s's permanent password was acknowledged, but after the restart: %v", name, err)
		} else if g.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("user %s's permanent password was acknowledged, but after the restart the status is %s", name, g.UserStatus)
		}
	}
	for name, secret := range enrolled {
		in, err := user.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: clientID,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
		if err != nil || in.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
			t.Errorf("enrolled user %s after the restart: %v, challenge %v, want SOFTWARE_TOKEN_MFA", name, err, in)
			continue
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		fin, err := user.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: clientID,
			ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: in.Session,
			ChallengeResponses: map[string]string{"USERNAME": name, "SOFTWARE_TOKEN_MFA_CODE": code}})
		if err != nil || fin.AuthenticationResult == nil {
			t.Errorf("enrolled user %s: the secret acknowledged before the kill does not sign in after it: %v", name, err)
		}
	}
	t.Logf("killed after %d users created, %d enrolled; %d users after the restart", len(created), len(enrolled), len(listed))

	c.cmd.Process.Kill()
	c.cmd.Wait()
	db, err := sql.Open("sqlite", filepath.Join(dir, "cognito-local.db"))
	must(t, err)
	defer db.Close()
	var check string
	must(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	if check != "ok" {
		t.Errorf("integrity_check after the kills: %s", check)
	}
}

// A user's sign-ins are rows of their own: many sign-ins, the sweep of the
// expired ones, and a global sign-out are each written as they happen (the
// handler checks disk against memory after every request) and read back
// after a restart.
func TestDataDirKeepsSignInsThroughSweepsAndSignOut(t *testing.T) {
	d := newDataDirEnv(t)
	e := d.env
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "frequent")
	for range 10 {
		e.tokens(c, "frequent")
	}
	e.clock.Advance(31 * 24 * time.Hour) // those ten refresh tokens expire
	var last *types.AuthenticationResultType
	for range 60 { // past the sweep threshold: the ten expired ones go
		last = e.tokens(c, "frequent")
	}
	if before, after := d.restart(); !slices.Equal(before, after) {
		t.Fatalf("the sign-ins read back differ:\n%s", diff(before, after))
	}
	if _, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: last.AccessToken}); err != nil {
		t.Fatalf("the last sign-in's token after the restart: %v", err)
	}
	_, err := e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("frequent")})
	must(t, err)
	d.restart()
	_, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: last.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")
}
