package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func parse(t *testing.T, env map[string]string, args ...string) (Settings, error) {
	t.Helper()
	var s Settings
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	s.Bind(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return s, s.Complete(func(k string) string { return env[k] })
}

func TestNoPoolMeansLocalDemo(t *testing.T) {
	s, err := parse(t, nil)
	if err != nil || !s.Local() {
		t.Fatalf("Local() = %v, err %v", s.Local(), err)
	}
}

func TestRegionComesFromPoolIDUnlessGiven(t *testing.T) {
	s, err := parse(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--client-id", "abc")
	if err != nil || s.Region != "eu-west-1" || s.Local() {
		t.Fatalf("region %q err %v local %v", s.Region, err, s.Local())
	}
	s, err = parse(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--client-id", "abc", "--region", "us-east-2")
	if err != nil || s.Region != "us-east-2" {
		t.Fatalf("an explicit region must win: %q %v", s.Region, err)
	}
}

func TestPoolIDWithoutRegionIsExplained(t *testing.T) {
	_, err := parse(t, nil, "--user-pool-id", "AbC123", "--client-id", "abc")
	if err == nil || !strings.Contains(err.Error(), "eu-west-1_AbC123") {
		t.Fatalf("err = %v", err)
	}
}

func TestPoolWithoutClientIsExplained(t *testing.T) {
	_, err := parse(t, nil, "--user-pool-id", "eu-west-1_AbC123")
	if err == nil || !strings.Contains(err.Error(), "--client-id") {
		t.Fatalf("err = %v", err)
	}
}

func TestFlagsBeatEnvironment(t *testing.T) {
	env := map[string]string{EnvClientID: "fromenv", EnvUserPoolID: "us-east-1_Env", EnvIssuer: "Env Co", EnvUsername: "envuser"}
	s, err := parse(t, env, "--client-id", "fromflag")
	if err != nil {
		t.Fatal(err)
	}
	if s.ClientID != "fromflag" || s.UserPoolID != "us-east-1_Env" || s.Issuer != "Env Co" || s.Username != "envuser" || s.Region != "us-east-1" {
		t.Fatalf("%+v", s)
	}
}

func TestClientSecretFromFileOrEnvironment(t *testing.T) {
	f := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(f, []byte("s3cr3t-value\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := parse(t, nil, "--client-id", "c", "--region", "eu-west-1", "--client-secret-file", f)
	if err != nil || s.ClientSecret != "s3cr3t-value" {
		t.Fatalf("secret %q err %v", s.ClientSecret, err)
	}
	s, err = parse(t, map[string]string{EnvClientSecret: "envsecret"}, "--client-id", "c", "--region", "eu-west-1")
	if err != nil || s.ClientSecret != "envsecret" {
		t.Fatalf("secret %q err %v", s.ClientSecret, err)
	}
	_, err = parse(t, map[string]string{EnvClientSecret: "envsecret"}, "--client-id", "c", "--client-secret-file", f)
	if err == nil || strings.Contains(err.Error(), "envsecret") {
		t.Fatalf("two secrets must be refused without echoing one: %v", err)
	}
	_, err = parse(t, nil, "--client-id", "c", "--client-secret-file", filepath.Join(t.TempDir(), "missing"))
	if err == nil || !strings.Contains(err.Error(), "could not read") {
		t.Fatalf("err = %v", err)
	}
}

func TestIssuerWithColonRefused(t *testing.T) {
	_, err := parse(t, nil, "--client-id", "c", "--issuer", "Acme: prod")
	if err == nil || !strings.Contains(err.Error(), "colon") {
		t.Fatalf("err = %v", err)
	}
}

func TestSessionValidityBounds(t *testing.T) {
	for _, v := range []string{"2m", "16m"} {
		if _, err := parse(t, nil, "--client-id", "c", "--session-validity", v); err == nil {
			t.Errorf("%s accepted", v)
		}
	}
	s, err := parse(t, nil, "--client-id", "c", "--session-validity", "15m")
	if err != nil || s.SessionValidity != 15*time.Minute {
		t.Fatalf("%v %v", s.SessionValidity, err)
	}
}

func TestAuthFlowAndAccessTokenFile(t *testing.T) {
	s, err := parse(t, nil)
	if err != nil || s.AuthFlow != "srp" {
		t.Fatalf("default auth flow %q, %v", s.AuthFlow, err)
	}
	if _, err := parse(t, nil, "--auth-flow", "magic"); err == nil || !strings.Contains(err.Error(), "srp, password or user-auth") {
		t.Fatalf("err = %v", err)
	}
	f := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(f, []byte("eyJtoken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = parse(t, nil, "--client-id", "c", "--region", "eu-west-1", "--access-token-file", f)
	if err != nil || s.AccessToken != "eyJtoken" {
		t.Fatalf("token %q err %v", s.AccessToken, err)
	}
	_, err = parse(t, nil, "--access-token-file", filepath.Join(t.TempDir(), "none"))
	if err == nil || strings.Contains(err.Error(), "eyJ") {
		t.Fatalf("err = %v", err)
	}
}
