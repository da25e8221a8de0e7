package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/cognito-totp/cognito-totp/i18n"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const twoProfiles = `{"profiles": {
  "prod": {"user_pool_id": "eu-west-1_Prod123", "client_id": "prodclient", "issuer": "Acme", "auth_flow": "password", "session_validity": "5m"},
  "staging": {"user_pool_id": "us-east-2_Stage1", "client_id": "stageclient", "endpoint_url": "http://127.0.0.1:9229"}
}}`

func TestProfileFillsWhatFlagsAndEnvironmentLeave(t *testing.T) {
	cfg := writeConfig(t, twoProfiles)
	s, err := parse(t, nil, "--config", cfg, "--profile", "prod")
	if err != nil {
		t.Fatal(err)
	}
	if s.UserPoolID != "eu-west-1_Prod123" || s.ClientID != "prodclient" || s.Region != "eu-west-1" ||
		s.Issuer != "Acme" || s.AuthFlow != "password" || s.SessionValidity != 5*time.Minute || s.Local() {
		t.Fatalf("%+v", s)
	}
	// Flags beat the environment, which beats the profile, which beats defaults.
	s, err = parse(t, map[string]string{EnvIssuer: "From Env", EnvProfile: "prod"}, "--config", cfg,
		"--client-id", "flagclient", "--auth-flow", "srp", "--session-validity", "3m")
	if err != nil {
		t.Fatal(err)
	}
	if s.ClientID != "flagclient" || s.Issuer != "From Env" || s.AuthFlow != "srp" || s.SessionValidity != 3*time.Minute ||
		s.UserPoolID != "eu-west-1_Prod123" {
		t.Fatalf("%+v", s)
	}
}

func TestProfileErrorsSayWhatIsThere(t *testing.T) {
	cfg := writeConfig(t, twoProfiles)
	_, err := parse(t, nil, "--config", cfg, "--profile", "dev")
	if err == nil || !strings.Contains(err.Error(), "prod, staging") {
		t.Fatalf("err = %v", err)
	}
	_, err = parse(t, nil, "--config", filepath.Join(t.TempDir(), "none.json"), "--profile", "prod")
	if err == nil || !strings.Contains(err.Error(), "no config file") {
		t.Fatalf("err = %v", err)
	}
	bad := writeConfig(t, `{"profiles": {"prod": {"client_secret": "s3cr3t-in-a-file"}}}`)
	_, err = parse(t, nil, "--config", bad, "--profile", "prod")
	if err == nil || !strings.Contains(err.Error(), "not valid") || strings.Contains(err.Error(), "s3cr3t-in-a-file") {
		t.Fatalf("an unknown field (a secret kept in the file) must be refused without echoing it: %v", err)
	}
}

// The default config path may be absent: a person with no profiles has no
// file, and without --profile nothing is read from it.
func TestNoProfileNoFileNeeded(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	s, err := parse(t, nil)
	if err != nil || !s.Local() {
		t.Fatalf("%+v %v", s, err)
	}
}

// TestLanguagePrecedence: --lang beats COGNITO_TOTP_LANG, which beats the
// profile's lang, which beats the locale (LANG here).
func TestLanguagePrecedence(t *testing.T) {
	cfg := writeConfig(t, `{"profiles": {"prod": {"user_pool_id": "eu-west-1_Prod123", "client_id": "c", "lang": "ja_JP"}}}`)
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want language.Tag
		from string
	}{
		{"flag", map[string]string{i18n.EnvLang: "ja", "LANG": "ja_JP.UTF-8"}, []string{"--lang", "es", "--profile", "prod"}, language.Spanish, "--lang"},
		{"environment", map[string]string{i18n.EnvLang: "es", "LANG": "ja_JP.UTF-8"}, []string{"--profile", "prod"}, language.Spanish, i18n.EnvLang},
		{"profile", map[string]string{"LANG": "es_ES.UTF-8"}, []string{"--profile", "prod"}, language.Japanese, "profile"},
		{"locale", map[string]string{"LANG": "es_ES.UTF-8"}, nil, language.Spanish, "LANG"},
		{"C", map[string]string{"LANG": "C"}, nil, language.English, "LANG"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := parse(t, c.env, append([]string{"--config", cfg}, c.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			got := s.Language(func(k string) string { return c.env[k] })
			if got.Tag != c.want || got.From != c.from {
				t.Errorf("Language = %+v, want %s from %s", got, c.want, c.from)
			}
		})
	}
}
