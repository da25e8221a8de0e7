package config

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// BindPool registers only the flags that say which pool and where it is
// (--profile, --config, --user-pool-id, --region, --endpoint-url), for the
// admin commands, which name a pool but no app client.
func (s *Settings) BindPool(fs *pflag.FlagSet) {
	s.flags = fs
	fs.StringVar(&s.Profile, "profile", "", "Use this named pool from the config file (env "+EnvProfile+"); not an AWS profile")
	fs.StringVar(&s.ConfigFile, "config", DefaultConfigPath(), "The config file of named pools")
	fs.StringVar(&s.UserPoolID, "user-pool-id", "", "user pool ID, e.g. eu-west-1_AbC123 (env "+EnvUserPoolID+")")
	fs.StringVar(&s.Region, "region", "", "the pool's region (default: the user pool ID's prefix, then AWS_REGION)")
	fs.StringVar(&s.EndpointURL, "endpoint-url", "", "Cognito endpoint URL, for a local or private endpoint")
}

// CompletePool is Complete for BindPool's flags: the pool ID from the
// environment or the profile, and the region from its prefix. No pool at all
// is not an error (Local reports it); an app client is not needed.
func (s *Settings) CompletePool(getenv func(string) string) error {
	if s.UserPoolID == "" {
		s.UserPoolID = strings.TrimSpace(getenv(EnvUserPoolID))
	}
	if s.Profile == "" {
		s.Profile = strings.TrimSpace(getenv(EnvProfile))
	}
	if err := s.readConfig(); err != nil {
		return err
	}
	if err := s.checkWhere(); err != nil {
		return err
	}
	if s.UserPoolID == "" {
		if s.EndpointURL != "" {
			return fmt.Errorf("--endpoint-url needs the pool too: give --user-pool-id (or %s)", EnvUserPoolID)
		}
		return nil
	}
	region, err := RegionOf(s.UserPoolID)
	if err != nil {
		return err
	}
	if s.Region == "" {
		s.Region = region
	}
	return nil
}
