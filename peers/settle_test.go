package peers

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// settleTransport is the transport of the set-up calls (pools, clients,
// users) made with a target's admin client. Under a loaded machine moto's
// server now and then loses a connection in the middle of a call: the answer
// arrives, the connection is torn down while its body is read ("use of closed
// network connection"), and a test fails before it has tested anything. A
// set-up call that can be repeated is therefore sent again, up to three times,
// when the connection fails; the body is read whole here so that a failure
// while reading it is seen here too. A peer's answer, refusal or not, is never
// retried: only a connection that broke.
type settleTransport struct{ next http.RoundTripper }

// repeatable are the admin operations whose second sending does what the
// first would have: they set a value, or create something whose ID comes back
// in the answer, or (AdminCreateUser) report a user already made by the lost
// first attempt, which settleTransport then counts as made.
var repeatable = map[string]bool{
	"CreateUserPool": true, "SetUserPoolMfaConfig": true, "GetUserPoolMfaConfig": true,
	"CreateUserPoolClient": true, "AdminCreateUser": true, "AdminSetUserPassword": true,
	"AdminDisableUser": true, "AdminGetUser": true, "AdminAddUserToGroup": true,
}

func (s settleTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	attempts := 1
	if repeatable[op] && r.GetBody != nil {
		attempts = 3
	}
	var lastErr error
	for i := range attempts {
		req := r
		if i > 0 {
			body, err := r.GetBody()
			if err != nil {
				return nil, lastErr
			}
			req = r.Clone(r.Context())
			req.Body = body
		}
		resp, err := s.next.RoundTrip(req)
		if err == nil {
			var buf []byte
			buf, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				if i > 0 && op == "AdminCreateUser" && resp.StatusCode == http.StatusBadRequest &&
					strings.Contains(resp.Header.Get("X-Amzn-Errortype")+string(buf), "UsernameExistsException") {
					buf, resp.StatusCode, resp.Status = []byte("{}"), http.StatusOK, "200 OK"
					resp.Header.Del("X-Amzn-Errortype")
				}
				resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(buf)), int64(len(buf))
				return resp, nil
			}
		}
		if !brokenConnection(err) {
			return nil, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// brokenConnection reports a connection that failed under a call, as opposed
// to a timeout or a cancelled context.
func brokenConnection(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// The set-up transport itself: a connection broken in the middle of an
// answer is sent again for a repeatable call, never for another, and a user
// made by the lost attempt counts as made.
func TestSettleTransportRepeatsOnlyRepeatableCalls(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		seen[op]++
		n := seen[op]
		mu.Unlock()
		if n == 1 { // the first answer of each call is cut short
			conn, bw, _ := w.(http.Hijacker).Hijack()
			bw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"User\":")
			bw.Flush()
			conn.Close()
			return
		}
		if op == "AdminCreateUser" {
			w.Header().Set("X-Amzn-Errortype", "UsernameExistsException")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"UsernameExistsException","message":"User account already exists"}`)
			return
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	client := &http.Client{Transport: settleTransport{next: &http.Transport{DisableKeepAlives: true}}}
	call := func(op string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	if code, body, err := call("SetUserPoolMfaConfig"); err != nil || code != 200 || body != "{}" {
		t.Errorf("SetUserPoolMfaConfig over a broken first answer: %d %q %v, want 200 {} on the second", code, body, err)
	}
	if code, body, err := call("AdminCreateUser"); err != nil || code != 200 || body != "{}" {
		t.Errorf("AdminCreateUser whose first attempt made the user: %d %q %v, want it counted as made", code, body, err)
	}
	if _, _, err := call("RespondToAuthChallenge"); err == nil {
		t.Error("RespondToAuthChallenge was sent again after a broken answer; a sign-in step must be sent once")
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["RespondToAuthChallenge"] != 1 || seen["SetUserPoolMfaConfig"] != 2 {
		t.Errorf("calls seen %v", seen)
	}
}
