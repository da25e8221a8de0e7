package cognitolocal

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// The costly work of a sign-in (the tokens' RS256 signatures, the SRP math of
// a PASSWORD_VERIFIER challenge) runs after the store's lock is released:
// while one request is in it, other requests are served. Each test holds that
// work until it lets it go; if the work held the lock, the second request
// would wait too, and the test would fail after its timeout.

// lockTest is a server with one pool (MFA OFF), a client allowing the password
// and SRP flows, and a confirmed user eve.
type lockTest struct {
	t        *testing.T
	s        *Server
	clientID string
}

const lockTestPassword = "Good-Pass-456!"

func newLockTest(t *testing.T) *lockTest {
	lt := &lockTest{t: t, s: New(Options{})}
	_, pool := lt.call("CreateUserPool", map[string]any{"PoolName": "p"})
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	_, cl := lt.call("CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "c",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}})
	lt.clientID = cl["UserPoolClient"].(map[string]any)["ClientId"].(string)
	lt.call("AdminCreateUser", map[string]any{"UserPoolId": poolID, "Username": "eve", "MessageAction": "SUPPRESS", "TemporaryPassword": "Temp-Pass-123!"})
	if code, out := lt.call("AdminSetUserPassword", map[string]any{"UserPoolId": poolID, "Username": "eve", "Password": lockTestPassword, "Permanent": true}); code != http.StatusOK {
		t.Fatalf("AdminSetUserPassword: %d %s", code, errorOf(out))
	}
	return lt
}

func (lt *lockTest) call(op string, in any) (int, map[string]any) {
	body, _ := json.Marshal(in)
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
	r.Header.Set("X-Amz-Target", targetPrefix+op)
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260301/us-east-1/cognito-idp/aws4_request")
	w := httptest.NewRecorder()
	lt.s.ServeHTTP(w, r)
	var out map[string]any
	json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

func (lt *lockTest) passwordSignIn(pw string) (int, map[string]any) {
	return lt.call("InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": lt.clientID,
		"AuthParameters": map[string]string{"USERNAME": "eve", "PASSWORD": pw}})
}

// errorOf names an answer's error, if any, and nothing else: answers hold
// tokens and sessions, which a failure message must not print.
func errorOf(out map[string]any) string {
	if t, ok := out["__type"]; ok {
		return fmt.Sprintf("%v: %v", t, out["message"])
	}
	return "no error"
}

type answer struct {
	code int
	out  map[string]any
}

// whileHeld starts slow in the background; once entered reports that it is in
// its costly work, it makes another request (a wrong password) that must be
// answered before release is closed; then it returns slow's answer.
func (lt *lockTest) whileHeld(slow func() (int, map[string]any), entered <-chan struct{}, release chan struct{}) answer {
	lt.t.Helper()
	first := make(chan answer, 1)
	go func() {
		code, out := slow()
		first <- answer{code, out}
	}()
	<-entered
	other := make(chan int, 1)
	go func() {
		code, _ := lt.passwordSignIn("Wrong-Pass-789!")
		other <- code
	}()
	select {
	case code := <-other:
		if code != http.StatusBadRequest {
			lt.t.Errorf("a wrong password answered %d, want 400", code)
		}
	case <-time.After(10 * time.Second):
		lt.t.Error("a second request waited for the first one's costly work: that work holds the store's lock")
	}
	close(release)
	return <-first
}

func TestTokensAreSignedOutsideTheLock(t *testing.T) {
	lt := newLockTest(t)
	key := lt.s.signingKey
	entered, release := make(chan struct{}, 2), make(chan struct{})
	lt.s.signingKey = func() (signingKey, error) {
		entered <- struct{}{}
		<-release
		return key()
	}
	got := lt.whileHeld(func() (int, map[string]any) { return lt.passwordSignIn(lockTestPassword) }, entered, release)
	if got.code != http.StatusOK {
		t.Fatalf("sign-in: %d %s", got.code, errorOf(got.out))
	}
	res, _ := got.out["AuthenticationResult"].(map[string]any)
	access, _ := res["AccessToken"].(string)
	id, _ := res["IdToken"].(string)
	if strings.Count(access, ".") != 2 || strings.Count(id, ".") != 2 {
		t.Fatalf("tokens not signed: the access token has %d dots, the ID token %d; want 2 each", strings.Count(access, "."), strings.Count(id, "."))
	}
	lt.s.signingKey = key
	if code, out := lt.call("GetUser", map[string]any{"AccessToken": access}); code != http.StatusOK || out["Username"] != "eve" {
		t.Fatalf("GetUser with the token signed outside the lock: %d %s", code, errorOf(out))
	}
}

// heldReader blocks its first Read until release is closed.
type heldReader struct {
	entered chan struct{}
	release chan struct{}
	once    bool
}

func (h *heldReader) Read(p []byte) (int, error) {
	if !h.once {
		h.once = true
		h.entered <- struct{}{}
		<-h.release
	}
	return rand.Read(p)
}

var _ io.Reader = (*heldReader)(nil)

func TestSRPMathRunsOutsideTheLock(t *testing.T) {
	lt := newLockTest(t)
	held := &heldReader{entered: make(chan struct{}, 1), release: make(chan struct{})}
	lt.s.srpRandom = held
	c, err := srp.NewClient(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	got := lt.whileHeld(func() (int, map[string]any) {
		return lt.call("InitiateAuth", map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": lt.clientID,
			"AuthParameters": map[string]string{"USERNAME": "eve", "SRP_A": c.AHex()}})
	}, held.entered, held.release)
	if got.code != http.StatusOK || got.out["ChallengeName"] != "PASSWORD_VERIFIER" {
		t.Fatalf("USER_SRP_AUTH: %d %s (challenge %v)", got.code, errorOf(got.out), got.out["ChallengeName"])
	}
	// The challenge finished outside the lock is whole: the right password's
	// claim signs in.
	ps := map[string]string{}
	for k, v := range got.out["ChallengeParameters"].(map[string]any) {
		ps[k] = v.(string)
	}
	p := lt.s.pools[lt.s.clients[lt.clientID].poolID]
	sig, ts, err := c.Claim(srp.Challenge{PoolName: p.srpName(), UserID: ps["USER_ID_FOR_SRP"], Salt: ps["SALT"],
		B: ps["SRP_B"], SecretBlock: ps["SECRET_BLOCK"]}, lockTestPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	code, out := lt.call("RespondToAuthChallenge", map[string]any{"ClientId": lt.clientID, "ChallengeName": "PASSWORD_VERIFIER",
		"ChallengeResponses": map[string]string{"USERNAME": "eve", "PASSWORD_CLAIM_SIGNATURE": sig,
			"PASSWORD_CLAIM_SECRET_BLOCK": ps["SECRET_BLOCK"], "TIMESTAMP": ts}})
	if code != http.StatusOK || out["AuthenticationResult"] == nil {
		t.Fatalf("PASSWORD_VERIFIER with the right password: %d %s", code, errorOf(out))
	}
}
