package flow_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
)

func signInAt(t *testing.T, url string) error {
	t.Helper()
	fp := flow.Pool{ClientID: "c", Region: "eu-west-1"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err = flow.New(api, fp).SignIn(ctx, "kim", "Passw0rd!x")
	return err
}

func TestDNSFailureIsSaidPlainly(t *testing.T) {
	err := signInAt(t, "http://cognito.nonexistent.invalid")
	fe := wantKind(t, err, flow.KindUnreachable, "Passw0rd!x")
	if !strings.Contains(fe.Message, "address") || !strings.Contains(fe.Message, "cognito.nonexistent.invalid") {
		t.Fatalf("message %q should say the name did not resolve", fe.Message)
	}
}

func TestTLSFailureIsSaidPlainly(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler()) // a certificate nobody trusts
	defer srv.Close()
	err := signInAt(t, srv.URL)
	fe := wantKind(t, err, flow.KindUnreachable, "Passw0rd!x")
	if !strings.Contains(fe.Message, "TLS") {
		t.Fatalf("message %q should name the TLS failure", fe.Message)
	}
}

func TestSlowEndpointHitsTheCallTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	fp := flow.Pool{ClientID: "c", Region: "eu-west-1"}
	api, err := flow.NewAPI(context.Background(), fp, flow.Endpoint{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = flow.New(api, fp).SignIn(ctx, "kim", "Passw0rd!x")
	fe := wantKind(t, err, flow.KindUnreachable, "Passw0rd!x")
	if !strings.Contains(fe.Message, "did not answer in time") || !fe.Kind.Retryable() {
		t.Fatalf("message %q", fe.Message)
	}
}

// The operations are unsigned: no credential chain and no instance-metadata
// probe may run, even with a profile and a metadata endpoint configured.
func TestNoCredentialOrMetadataLookup(t *testing.T) {
	var probes atomic.Int32
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probes.Add(1)
		w.WriteHeader(http.StatusNotFound)
	}))
	defer imds.Close()
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", imds.URL+"/creds")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")

	var signed atomic.Int32
	cognito := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			signed.Add(1)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`))
	}))
	defer cognito.Close()
	err := signInAt(t, cognito.URL)
	wantKind(t, err, flow.KindBadCredentials)
	if probes.Load() != 0 {
		t.Fatalf("%d credential or metadata probes", probes.Load())
	}
	if signed.Load() != 0 {
		t.Fatal("an unsigned operation was signed")
	}
}
