package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

// runLocal starts `local --addr 127.0.0.1:0 --data-dir dir` and returns its
// URL and a function that stops it (as SIGTERM does) and returns its error.
func runLocal(t *testing.T, dir string) (url string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncbuf.Buffer{}
	cmd := localCommand()
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0", "--data-dir", dir})
	cmd.SetOut(out)
	cmd.SetErr(out)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("local did not stop within 10s")
			return nil
		}
	}
	re := regexp.MustCompile(`endpoint on (http://127\.0\.0\.1:\d+)`)
	var exited error
	ended := false
	eventually.Until(10*time.Second, func() bool {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			return true
		}
		select {
		case exited = <-done:
			ended = true
		default:
		}
		return ended
	})
	switch {
	case url != "":
		return url, stop
	case ended: // the command stopped before it listened: the caller checks why
		cancel()
		return "", func() error { return exited }
	}
	stop()
	t.Fatalf("local printed no URL: %q", out.String())
	return "", nil
}

func call(t *testing.T, url, op, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// `local --data-dir` keeps a pool across a stop and a start; while one runs,
// a second on the same directory is refused with a sentence naming it.
func TestLocalDataDirKeepsAPoolAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	url, stop := runLocal(t, dir)
	if url == "" {
		t.Fatalf("local did not start: %v", stop())
	}
	code, body := call(t, url, "CreateUserPool", `{"PoolName":"kept"}`)
	id := regexp.MustCompile(`"Id":"([^"]+)"`).FindStringSubmatch(body)
	if code != http.StatusOK || id == nil {
		t.Fatalf("CreateUserPool: %d %s", code, body)
	}

	if u, second := runLocal(t, dir); u != "" {
		second()
		t.Fatalf("a second local served the same data directory: %s", u)
	} else if err := second(); err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second local on the directory: %v; want a refusal naming %s", err, dir)
	}

	if err := stop(); err != nil {
		t.Fatalf("stopping local: %v", err)
	}
	url, stop = runLocal(t, dir)
	if url == "" {
		t.Fatalf("local did not start again on its directory: %v", stop())
	}
	defer stop()
	if code, body := call(t, url, "DescribeUserPool", `{"UserPoolId":"`+id[1]+`"}`); code != http.StatusOK || !strings.Contains(body, `"Name":"kept"`) {
		t.Errorf("after the restart, DescribeUserPool: %d %s", code, body)
	}
}
