package cognitolocal

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A sign-in's tokens are signed after the store's lock is released: while one
// answer waits for its signatures, other requests are served. The signing key
// is made to wait until the test lets it go; with the signing under the lock,
// the second request would wait too, and the test would time out.
func TestTokensAreSignedOutsideTheLock(t *testing.T) {
	s := New(Options{})
	call := func(op string, in any) (int, map[string]any) {
		body, _ := json.Marshal(in)
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.Header.Set("X-Amz-Target", targetPrefix+op)
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260301/us-east-1/cognito-idp/aws4_request")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		var out map[string]any
		json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	_, pool := call("CreateUserPool", map[string]any{"PoolName": "p"})
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	_, cl := call("CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "c",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH"}})
	clientID := cl["UserPoolClient"].(map[string]any)["ClientId"].(string)
	call("AdminCreateUser", map[string]any{"UserPoolId": poolID, "Username": "eve", "MessageAction": "SUPPRESS", "TemporaryPassword": "Temp-Pass-123!"})
	if code, out := call("AdminSetUserPassword", map[string]any{"UserPoolId": poolID, "Username": "eve", "Password": "Good-Pass-456!", "Permanent": true}); code != http.StatusOK {
		t.Fatalf("AdminSetUserPassword: %d %v", code, out)
	}
	signIn := func(pw string) (int, map[string]any) {
		return call("InitiateAuth", map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID,
			"AuthParameters": map[string]string{"USERNAME": "eve", "PASSWORD": pw}})
	}

	key := s.signingKey
	entered, release := make(chan struct{}, 2), make(chan struct{})
	s.signingKey = func() (signingKey, error) {
		entered <- struct{}{}
		<-release
		return key()
	}
	type answer struct {
		code int
		out  map[string]any
	}
	first := make(chan answer, 1)
	go func() {
		code, out := signIn("Good-Pass-456!")
		first <- answer{code, out}
	}()
	<-entered // the first sign-in is signing its tokens

	other := make(chan int, 1)
	go func() {
		code, _ := signIn("Wrong-Pass-789!")
		other <- code
	}()
	select {
	case code := <-other:
		if code != http.StatusBadRequest {
			t.Fatalf("a wrong password answered %d, want 400", code)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("a second request waited for the first one's signatures: the signing holds the store's lock")
	}
	close(release)

	got := <-first
	if got.code != http.StatusOK {
		t.Fatalf("sign-in: %d %v", got.code, got.out)
	}
	res, _ := got.out["AuthenticationResult"].(map[string]any)
	access, _ := res["AccessToken"].(string)
	id, _ := res["IdToken"].(string)
	if strings.Count(access, ".") != 2 || strings.Count(id, ".") != 2 {
		t.Fatalf("tokens not signed: access %q, id %q", access, id)
	}
	s.signingKey = key
	if code, out := call("GetUser", map[string]any{"AccessToken": access}); code != http.StatusOK || out["Username"] != "eve" {
		t.Fatalf("GetUser with the token signed outside the lock: %d %v", code, out)
	}
}
