package config

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func parsePool(t *testing.T, env map[string]string, args ...string) (Settings, error) {
	t.Helper()
	var s Settings
	fs := pflag.NewFlagSet("admin", pflag.ContinueOnError)
	s.BindPool(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return s, s.CompletePool(func(k string) string { return env[k] })
}

func TestCompletePoolNeedsNoAppClient(t *testing.T) {
	s, err := parsePool(t, nil, "--user-pool-id", "eu-west-1_AbC123")
	if err != nil || s.Region != "eu-west-1" || s.Local() {
		t.Fatalf("%+v %v", s, err)
	}
	s, err = parsePool(t, map[string]string{EnvUserPoolID: "us-east-2_Env1"}, "--region", "eu-central-1")
	if err != nil || s.UserPoolID != "us-east-2_Env1" || s.Region != "eu-central-1" {
		t.Fatalf("the environment's pool and the flag's region: %+v %v", s, err)
	}
}

func TestCompletePoolFromAProfile(t *testing.T) {
	cfg := writeConfig(t, twoProfiles)
	s, err := parsePool(t, nil, "--config", cfg, "--profile", "staging")
	if err != nil || s.UserPoolID != "us-east-2_Stage1" || s.EndpointURL != "http://127.0.0.1:9229" || s.Region != "us-east-2" {
		t.Fatalf("%+v %v", s, err)
	}
	s, err = parsePool(t, nil, "--config", cfg, "--profile", "staging", "--user-pool-id", "eu-west-1_Flag1")
	if err != nil || s.UserPoolID != "eu-west-1_Flag1" || s.Region != "eu-west-1" {
		t.Fatalf("a flag beats the profile: %+v %v", s, err)
	}
}

func TestCompletePoolRefusesWhatCannotWork(t *testing.T) {
	s, err := parsePool(t, nil)
	if err != nil || !s.Local() {
		t.Fatalf("no pool is the local demo: %+v %v", s, err)
	}
	if _, err := parsePool(t, nil, "--endpoint-url", "http://127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "--user-pool-id") {
		t.Fatalf("an endpoint without a pool: %v", err)
	}
	if _, err := parsePool(t, nil, "--user-pool-id", "AbC123"); err == nil || !strings.Contains(err.Error(), "not a user pool ID") {
		t.Fatalf("a malformed pool ID: %v", err)
	}
}
