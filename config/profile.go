package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
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
	f, err := loadFile(path)
	if err != nil {
		return Profile{}, fmt.Errorf("profile %q: %w", name, err)
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

// loadFile reads and checks the config file at path: at most
// boundedfile.ConfigLimit bytes, one JSON object of known fields.
func loadFile(path string) (File, error) {
	b, err := boundedfile.Read(path, "config", boundedfile.ConfigLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return File{}, fmt.Errorf("there is no config file %s; see the README for its form", path)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return File{}, fmt.Errorf("could not read the config file %s: %v", path, pe.Err)
	}
	if err != nil { // too large, a directory: already a sentence
		return File{}, err
	}
	// json.Decoder takes null, and a value of the wrong kind reads as Go's
	// type names; the file must be one object, so say that.
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return File{}, fmt.Errorf(`the config file %s is not valid: it must be one JSON object, {"profiles": {...}}; see the README for its form`, path)
	}
	var f File
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("the config file %s is not valid: %v", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return File{}, fmt.Errorf("the config file %s is not valid: there is more after its JSON object", path)
	}
	return f, nil
}

// readConfig applies the profile asked for. A config file named with
// --config is read and checked even when no profile is asked for, so that a
// mistyped path is not silently ignored; the default path may be absent.
func (s *Settings) readConfig() error {
	if s.Profile == "" {
		if s.changed("config") {
			_, err := loadFile(s.ConfigFile)
			return err
		}
		return nil
	}
	p, err := loadProfile(s.ConfigFile, s.Profile)
	if err != nil {
		return err
	}
	return s.applyProfile(p, s.changed)
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
