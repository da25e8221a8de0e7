// Package config says where the wizard's settings come from: flags, then the
// environment, then defaults. The SDK's own variables (AWS_REGION,
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, ...) are read by the SDK itself.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
)

// Settings are the wizard's settings after flags and environment are read.
type Settings struct {
	UserPoolID       string
	ClientID         string
	ClientSecret     string
	ClientSecretFile string
	Region           string
	EndpointURL      string
	Issuer           string
	Username         string
	SessionValidity  time.Duration
	DebugFile        string
	AuthFlow         string
	AccessTokenFile  string
	AccessToken      string // read from AccessTokenFile
	Plain            bool
	Profile          string
	ConfigFile       string
	Lang             string // --lang: the language a person reads; "" to choose from the environment
	ProfileLang      string // the profile's lang, below --lang and COGNITO_TOTP_LANG

	flags *pflag.FlagSet // to tell a flag given from a default
}

// Env names this tool reads when the matching flag is not given. A client
// secret in the environment or a file keeps it out of shell history.
const (
	EnvUserPoolID   = "COGNITO_TOTP_USER_POOL_ID"
	EnvClientID     = "COGNITO_TOTP_CLIENT_ID"
	EnvClientSecret = "COGNITO_TOTP_CLIENT_SECRET"
	EnvIssuer       = "COGNITO_TOTP_ISSUER"
	EnvUsername     = "COGNITO_TOTP_USERNAME"
)

// Bind registers the wizard's flags on fs, writing into s.
func (s *Settings) Bind(fs *pflag.FlagSet) {
	s.flags = fs
	fs.StringVar(&s.Profile, "profile", "", "Use this named pool from the config file (env "+EnvProfile+")")
	fs.StringVar(&s.ConfigFile, "config", DefaultConfigPath(), "The config file of named pools")
	fs.StringVar(&s.UserPoolID, "user-pool-id", "", "user pool ID, e.g. eu-west-1_AbC123 (env "+EnvUserPoolID+")")
	fs.StringVar(&s.ClientID, "client-id", "", "app client ID (env "+EnvClientID+")")
	fs.StringVar(&s.ClientSecret, "client-secret", "", "app client secret, if the client has one (env "+EnvClientSecret+")")
	fs.StringVar(&s.ClientSecretFile, "client-secret-file", "", "read the app client secret from this file")
	fs.StringVar(&s.Region, "region", "", "AWS region (default: the user pool ID's prefix, then AWS_REGION)")
	fs.StringVar(&s.EndpointURL, "endpoint-url", "", "Cognito endpoint URL, for a local or private endpoint")
	fs.StringVar(&s.Issuer, "issuer", "", `name the authenticator app shows (default "AWSCognito") (env `+EnvIssuer+")")
	fs.StringVar(&s.Username, "username", "", "username to pre-fill (env "+EnvUsername+")")
	fs.StringVar(&s.AuthFlow, "auth-flow", "srp", "How to sign in: srp (USER_SRP_AUTH), password (USER_PASSWORD_AUTH) or user-auth (USER_AUTH)")
	fs.StringVar(&s.AccessTokenFile, "access-token-file", "", "Enroll the user of this access token (no password asked)")
	fs.BoolVar(&s.Plain, "plain", false, "Line-by-line prompts, no full-screen UI or colour (also when TERM=dumb or output is not a terminal)")
	fs.StringVar(&s.DebugFile, "debug", "", "Append a support log to this file: calls, challenge names, timings, error kinds; never a secret")
	fs.DurationVar(&s.SessionValidity, "session-validity", 3*time.Minute, "the app client's AuthSessionValidity (3m to 15m), for the countdown")
	s.BindLang(fs, "the wizard")
}

// BindLang registers --lang on fs, writing into s, as Bind does for the
// wizard; of says whose language it is ("the wizard").
func (s *Settings) BindLang(fs *pflag.FlagSet, of string) {
	var langs []string
	for _, t := range i18n.Languages() {
		langs = append(langs, t.String())
	}
	fs.StringVar(&s.Lang, "lang", "", "Language of "+of+": "+strings.Join(langs, ", ")+" (env "+i18n.EnvLang+"; default from LC_ALL, LC_MESSAGES, LANG, LANGUAGE)")
}

// Complete fills what flags left empty from the environment (getenv, usually
// os.Getenv) and files, derives the region, and checks what a person can get
// wrong. Its errors are sentences for a person.
func (s *Settings) Complete(getenv func(string) string) error {
	fill := func(dst *string, env string) {
		if *dst == "" {
			*dst = strings.TrimSpace(getenv(env))
		}
	}
	fill(&s.UserPoolID, EnvUserPoolID)
	fill(&s.ClientID, EnvClientID)
	fill(&s.ClientSecret, EnvClientSecret)
	fill(&s.Issuer, EnvIssuer)
	fill(&s.Username, EnvUsername)
	fill(&s.Profile, EnvProfile)
	if err := s.readConfig(); err != nil {
		return err
	}

	if s.ClientSecretFile != "" {
		if s.ClientSecret != "" {
			return fmt.Errorf("give the client secret once: --client-secret (or %s) or --client-secret-file, not both", EnvClientSecret)
		}
		secret, err := readSecret(s.ClientSecretFile, "client secret", boundedfile.SecretLimit)
		if err != nil {
			return err
		}
		s.ClientSecret = secret
	}
	switch s.AuthFlow {
	case "srp", "password", "user-auth":
	default:
		return fmt.Errorf("--auth-flow is srp, password or user-auth, not %q", s.AuthFlow)
	}
	if s.AccessTokenFile != "" {
		token, err := readSecret(s.AccessTokenFile, "access token", boundedfile.TokenLimit)
		if err != nil {
			return err
		}
		s.AccessToken = token
	}
	if err := s.checkWhere(); err != nil {
		return err
	}
	if s.Local() {
		return nil
	}
	if s.ClientID == "" {
		return fmt.Errorf("a user pool needs its app client: give --client-id (or %s)", EnvClientID)
	}
	if s.UserPoolID != "" {
		region, err := RegionOf(s.UserPoolID)
		if err != nil {
			return err
		}
		if s.Region == "" {
			s.Region = region
		}
	}
	if strings.Contains(s.Issuer, ":") {
		return fmt.Errorf("the issuer %q has a colon, which authenticator apps read as a separator; choose a name without one", s.Issuer)
	}
	if s.SessionValidity < 3*time.Minute || s.SessionValidity > 15*time.Minute {
		return fmt.Errorf("--session-validity must be from 3m to 15m, as Cognito allows; got %s", s.SessionValidity)
	}
	return nil
}

func (s *Settings) changed(flag string) bool { return s.flags != nil && s.flags.Changed(flag) }

// Language chooses the language a person reads: --lang, COGNITO_TOTP_LANG,
// the profile's lang, then the locale in getenv (see i18n.Choose).
func (s Settings) Language(getenv func(string) string) i18n.Choice {
	return i18n.Choose(s.Lang, s.ProfileLang, getenv)
}

// Local reports whether no pool is configured, so the wizard runs on the
// embedded demo pool.
func (s Settings) Local() bool { return s.UserPoolID == "" && s.ClientID == "" }

// RegionOf returns the region prefix of a user pool ID ("eu-west-1" of
// "eu-west-1_AbC123"), or an error a person can act on.
func RegionOf(userPoolID string) (string, error) {
	region, name, ok := strings.Cut(userPoolID, "_")
	if !ok || name == "" || !IsRegion(region) {
		return "", fmt.Errorf("%q is not a user pool ID: those look like eu-west-1_AbC123 (a region, an underscore, a name); copy it from the Cognito console", userPoolID)
	}
	return region, nil
}

// readSecret reads a one-line secret or token file through its size limit.
// Its errors name the file and, for one too large or not text, the limit;
// never what the file holds.
func readSecret(path, what string, limit int64) (string, error) {
	v, err := boundedfile.ReadSecret(path, what, limit)
	var pe *os.PathError
	if errors.As(err, &pe) {
		return "", fmt.Errorf("could not read the %s file %s: %v", what, path, pe.Err)
	}
	return v, err // boundedfile's own errors are sentences already
}

// checkWhere checks the settings that say where the pool is (the region, the
// endpoint URL), whichever source gave them, so that a wrong value is named
// at start-up rather than failing at sign-in as if the network were down.
func (s *Settings) checkWhere() error {
	if s.Region != "" {
		if err := CheckRegion(s.Region, s.from("region", "region")); err != nil {
			return err
		}
	}
	if s.EndpointURL != "" {
		if err := CheckEndpointURL(s.EndpointURL, s.from("endpoint-url", "endpoint_url")); err != nil {
			return err
		}
	}
	return nil
}
