package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// EnvProfile names the profile when --profile is not given.
const EnvProfile = "COGNITO_TOTP_PROFILE"

// Profile is one named pool in the config file. This is the tool's own
// profile, not an AWS credentials profile.
type Profile struct {
	UserPoolID       string `json:"user_pool_id,omitempty"`
	ClientID         string `json:"client_id,omitempty"`
	ClientSecretFile string `json:"client_secret_file,omitempty"` // never the secret itself
	Region           string `json:"region,omitempty"`
	EndpointURL      string `json:"endpoint_url,omitempty"`
	Issuer           string `json:"issuer,omitempty"`
	Username         string `json:"username,omitempty"`
	AuthFlow         string `json:"auth_flow,omitempty"`
	SessionValidity  string `json:"session_validity,omitempty"` // a Go duration, "5m"
	Lang             string `json:"lang,omitempty"`             // the wizard's language: "es", "ja_JP"
}

// File is the config file: {"profiles": {"prod": {...}}}.
type File struct {
	Profiles map[string]Profile `json:"profiles"`
}

// DefaultConfigPath is config.json under the user's config directory.
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "cognito-totp", "config.json")
}

// loadProfile reads profile name from the file at path.
func loadProfile(path, name string) (Profile, error) {
	if path == "" {
		return Profile{}, fmt.Errorf("there is no user config directory to read profile %q from: give --config FILE", name)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, fmt.Errorf("profile %q: there is no config file %s; see the README for its form", name, path)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("could not read the config file %s: %v", path, unwrapPathErr(err))
	}
	var f File
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Profile{}, fmt.Errorf("the config file %s is not valid: %v", path, err)
	}
	p, ok := f.Profiles[name]
	if !ok {
		names := make([]string, 0, len(f.Profiles))
		for n := range f.Profiles {
			names = append(names, n)
		}
		slices.Sort(names)
		return Profile{}, fmt.Errorf("the config file %s has no profile %q; it has: %s", path, name, strings.Join(names, ", "))
	}
	return p, nil
}

// applyProfile fills what neither a flag nor the environment set.
func (s *Settings) applyProfile(p Profile, changed func(flag string) bool) error {
	fill := func(dst *string, flag, v string) {
		if *dst == "" && !changed(flag) {
			*dst = v
		}
	}
	fill(&s.UserPoolID, "user-pool-id", p.UserPoolID)
	fill(&s.ClientID, "client-id", p.ClientID)
	fill(&s.Region, "region", p.Region)
	fill(&s.EndpointURL, "endpoint-url", p.EndpointURL)
	fill(&s.Issuer, "issuer", p.Issuer)
	fill(&s.Username, "username", p.Username)
	if s.ClientSecret == "" {
		fill(&s.ClientSecretFile, "client-secret-file", p.ClientSecretFile)
	}
	s.ProfileLang = p.Lang
	if p.AuthFlow != "" && !changed("auth-flow") {
		s.AuthFlow = p.AuthFlow
	}
	if p.SessionValidity != "" && !changed("session-validity") {
		d, err := time.ParseDuration(p.SessionValidity)
		if err != nil {
			return fmt.Errorf("the profile's session_validity %q is not a duration such as 5m", p.SessionValidity)
		}
		s.SessionValidity = d
	}
	return nil
}
