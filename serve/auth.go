package serve

import (
	"bytes"
	"fmt"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
)

// setAuth chooses how SSH clients authenticate. By default anyone may connect:
// the wizard's Cognito sign-in is the authentication, and the SSH layer only
// carries it. A key, when the client offers one, is accepted so its
// fingerprint can be logged; a client with no key gets in by
// keyboard-interactive with no questions. Passwords are never asked for, so
// nobody types their Cognito password into an SSH prompt.
//
// With an authorized_keys file, only its keys get in.
func (s *Server) setAuth() error {
	path := s.cfg.AuthorizedKeys
	if path == "" {
		s.ssh.PublicKeyHandler = func(ctx ssh.Context, _ ssh.PublicKey) bool { authenticated(ctx); return true }
		s.ssh.KeyboardInteractiveHandler = func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
			authenticated(ctx)
			return true
		}
		return nil
	}
	if _, err := loadAuthorizedKeys(path); err != nil {
		return err
	}
	s.ssh.PublicKeyHandler = func(ctx ssh.Context, key ssh.PublicKey) bool {
		// Read on each attempt, so a key removed from the file is refused
		// from then on without a restart.
		keys, err := loadAuthorizedKeys(path)
		if err != nil {
			s.log.Error("could not read the authorized keys; refusing", "error", err.Error())
			return false
		}
		for _, k := range keys {
			if ssh.KeysEqual(k, key) {
				authenticated(ctx)
				return true
			}
		}
		s.log.Info("refused", "remote", ctx.RemoteAddr().String(), "user", ctx.User(),
			"reason", "key not in the authorized keys", "key", gossh.FingerprintSHA256(key))
		return false
	}
	return nil
}

// loadAuthorizedKeys reads an OpenSSH authorized_keys file. A line that does
// not parse is an error, not a skip: a typo must not silently lock someone out.
func loadAuthorizedKeys(path string) ([]ssh.PublicKey, error) {
	b, err := boundedfile.Read(path, "authorized keys", boundedfile.AuthKeyLimit)
	if boundedfile.IsLimit(err) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("could not read the authorized keys file %s: %w", path, err)
	}
	var keys []ssh.PublicKey
	for i, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("the authorized keys file %s has a line (%d) that is not a public key: %w", path, i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("the authorized keys file %s has no keys, so nobody could connect", path)
	}
	return keys, nil
}
