package cognitolocal

import "testing"

// Generated temporary passwords satisfy whatever policy the pool has.
func TestGeneratedPasswordsConform(t *testing.T) {
	for _, p := range []passwordPolicy{
		defaultPasswordPolicy,
		{MinimumLength: 30, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true},
		{MinimumLength: 6},
	} {
		for range 200 {
			pw := p.generatePassword()
			if err := p.check(pw); err != nil {
				t.Fatalf("policy %+v: generated password fails: %s", p, err.Message)
			}
		}
	}
}
