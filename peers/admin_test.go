package peers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/flow"
)

// `cognito-totp admin` against moto: the commands as a person runs them, over
// the real SDK, signed with dummy keys (moto reads only the region).

// countingTransport counts requests by operation (X-Amz-Target).
type countingTransport struct {
	mu      sync.Mutex
	counts  map[string]int
	answers map[string][]string // by operation: each answer's status and exception, or the transport's error
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	c.mu.Lock()
	if c.counts == nil {
		c.counts, c.answers = map[string]int{}, map[string][]string{}
	}
	c.counts[op]++
	c.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(r)
	answer := fmt.Sprintf("error: %v", err)
	if err == nil {
		answer = fmt.Sprintf("%d %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"))
	}
	c.mu.Lock()
	c.answers[op] = append(c.answers[op], answer)
	c.mu.Unlock()
	return resp, err
}

func (c *countingTransport) count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[op]
}

// answered is what each call of op was answered with, for a failure's log.
func (c *countingTransport) answered(op string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.answers[op])
}

type adminRun struct {
	stdout, stderr string
	exit           int
	err            error
}

// runAdmin runs `cognito-totp admin ARGS --user-pool-id POOL --endpoint-url URL`
// with no terminal.
func runAdmin(t *testing.T, url, poolID string, tr *countingTransport, args ...string) adminRun {
	t.Helper()
	var out, errb bytes.Buffer
	exit := 0
	cmd := admin.NewCommand(admin.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv:      func(string) string { return "" },
		Credentials: credentials.NewStaticCredentialsProvider("AKIDPEERSTEST", "dummy", ""),
		HTTPClient:  &http.Client{Transport: tr, Timeout: 30 * time.Second},
		Retry:       admin.RetrySettings{MaxBackoff: 100 * time.Millisecond}, Exit: &exit})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs(append(args, "--user-pool-id", poolID, "--endpoint-url", url, "--region", region))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return adminRun{stdout: out.String(), stderr: errb.String(), exit: exit, err: err}
}

// enrollWithAccessToken signs name in (MFA-optional pool) and enrolls TOTP on
// the access-token path; it returns the tokens of that sign-in.
func enrollWithAccessToken(t *testing.T, c *flow.Client, name string) *flow.Tokens {
	t.Helper()
	ctx := context.Background()
	step, err := c.SignIn(ctx, name, password)
	if err != nil || !step.SignedIn() {
		t.Fatalf("sign-in: challenge %q, %v", step.Challenge, err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConfirmTOTP(ctx, setup, codeNow(t, setup.Secret)); err != nil {
		t.Fatal(err)
	}
	return step.Tokens
}

func apiMessage(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorMessage()
	}
	return ""
}

func TestMotoAdminUserShowsTOTP(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	poolID, c := moto.optionalPoolUser(t, "ana", password, true)
	moto.newUser(t, poolID, "bo", password, true)
	enrollWithAccessToken(t, c, "ana")
	tr := &countingTransport{}

	run := runAdmin(t, moto.url, poolID, tr, "user", "ana", "--output", "json")
	if run.err != nil {
		t.Fatal(run.err)
	}
	var got admin.UserReport
	if err := json.Unmarshal([]byte(run.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, run.stdout)
	}
	if got.User.Username != "ana" || !got.User.HasTOTP() || got.User.Preferred != admin.FactorTOTP || got.User.Status != "CONFIRMED" ||
		!got.User.Enabled || got.Pool.Mode != "OPTIONAL" || !got.Pool.TOTP || got.Next.Next != admin.NextTOTP {
		t.Fatalf("admin user ana against moto: %s", run.stdout)
	}
	run = runAdmin(t, moto.url, poolID, tr, "user", "bo")
	if run.err != nil || !strings.Contains(run.stdout, "MFA           none") || !strings.Contains(run.stdout, "asks for no MFA code") {
		t.Fatalf("admin user bo: %v\n%s", run.err, run.stdout)
	}
	run = runAdmin(t, moto.url, poolID, tr, "user", "nobody")
	if admin.KindOf(run.err) != admin.KindUserNotFound || !strings.Contains(run.err.Error(), "there is no user nobody") {
		t.Fatalf("unknown user: %v", run.err)
	}
}

func TestMotoAdminStatusOverPages(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	const users = 130 // three pages of 60
	poolID, c := moto.optionalPoolUser(t, "user000", password, true)
	for i := 1; i < users; i++ {
		moto.newUser(t, poolID, fmt.Sprintf("user%03d", i), password, i%10 != 0) // every tenth keeps a temporary password
	}
	for _, name := range []string{"user000", "user001"} {
		enrollWithAccessToken(t, c, name)
	}
	for _, name := range []string{"user003", "user004"} {
		if _, err := moto.admin.AdminDisableUser(context.Background(), &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	tr := &countingTransport{}
	run := runAdmin(t, moto.url, poolID, tr, "status", "--yes", "--output", "json", "--rate", "100")
	if run.err != nil {
		t.Fatalf("%v\n%s", run.err, run.stderr)
	}
	var got admin.Report
	if err := json.Unmarshal([]byte(run.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, run.stdout)
	}
	want := admin.Summary{Users: users, TOTP: 2, NoMFA: users - 4, Disabled: 2,
		ByStatus: map[string]int{"CONFIRMED": users - 12, "FORCE_CHANGE_PASSWORD": 12}}
	if got.Partial || got.Listed != users || fmt.Sprint(got.Summary) != fmt.Sprint(want) {
		t.Fatalf("summary %+v, want %+v", got.Summary, want)
	}
	if n := tr.count("ListUsers"); n != 3 {
		t.Errorf("%d ListUsers calls for %d users, want 3 pages of 60", n, users)
	}
	if n := tr.count("AdminGetUser"); n != users-2 {
		t.Errorf("%d AdminGetUser calls, want one per enabled user (%d)", n, users-2)
	}
}

func TestMotoAdminGlobalSignOut(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID, c := moto.optionalPoolUser(t, "ana", password, true)
	step, err := c.SignIn(ctx, "ana", password)
	if err != nil || !step.SignedIn() {
		t.Fatalf("sign-in: challenge %q, %v", step.Challenge, err)
	}
	a, err := admin.Connect(ctx, poolID, admin.Connection{Region: region, EndpointURL: moto.url,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDPEERSTEST", "dummy", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SignOut(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	_, err = moto.user.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(step.Tokens.AccessToken)})
	switch code, msg := apiCode(err), apiMessage(err); {
	case code == "NotAuthorizedException" && msg == "Access Token has been revoked":
	case code == "NotAuthorizedException":
		tolerate(t, diffRevokedMessage, msg)
	default:
		t.Errorf("GetUser with an access token from before the sign-out: %s, want NotAuthorizedException", code)
	}
	_, err = moto.user.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(c.Pool().ClientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": step.Tokens.RefreshToken}})
	if code := apiCode(err); code != "NotAuthorizedException" {
		t.Errorf("REFRESH_TOKEN_AUTH with a refresh token from before the sign-out: %s, want NotAuthorizedException", code)
	}
}

func TestMotoResetTOTPSaysTheOperationIsMissing(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	poolID, c := moto.optionalPoolUser(t, "ana", password, true)
	enrollWithAccessToken(t, c, "ana")
	tr := &countingTransport{}
	start := time.Now()
	run := runAdmin(t, moto.url, poolID, tr, "reset-totp", "ana", "--yes")
	took := time.Since(start)
	tolerate(t, diffNoAdminDeleteSoftwareToken, fmt.Sprint(run.err))
	if admin.KindOf(run.err) != admin.KindNotImplemented || !strings.Contains(run.err.Error(), "this endpoint does not implement AdminDeleteSoftwareToken") {
		t.Fatalf("reset-totp against moto: %v", run.err)
	}
	if n := tr.count("AdminDeleteSoftwareToken"); n != 1 {
		t.Errorf("AdminDeleteSoftwareToken sent %d times; an HTML 500 page is not worth a retry", n)
	}
	if n := tr.count("AdminUserGlobalSignOut"); n != 0 {
		t.Errorf("signed the user out although the token was not removed (%d calls)", n)
	}
	if took > 20*time.Second {
		t.Errorf("reset-totp took %v to give up", took)
	}
	run = runAdmin(t, moto.url, poolID, tr, "user", "ana", "--output", "json")
	if run.err != nil || !strings.Contains(run.stdout, admin.FactorTOTP) {
		t.Fatalf("after the failed reset ana must keep TOTP: %v %s", run.err, run.stdout)
	}
	// The same sentence in the administrator's language.
	for lang, want := range map[string]string{
		"es": "ste punto de conexión no implementa AdminDeleteSoftwareToken (respondió HTTP",
		"ja": "このエンドポイントは AdminDeleteSoftwareToken を実装していません (Cognito の JSON ではなく HTTP",
	} {
		run := runAdmin(t, moto.url, poolID, tr, "reset-totp", "ana", "--yes", "--lang", lang)
		var said interface{ Localized() string }
		// The sentence is wrapped at 80 columns: compare it without its white space.
		squeeze := strings.NewReplacer(" ", "", "\n", "")
		if !errors.As(run.err, &said) || !strings.Contains(squeeze.Replace(said.Localized()), squeeze.Replace(want)) {
			t.Errorf("reset-totp --lang %s against moto: %v", lang, run.err)
		}
	}
}
