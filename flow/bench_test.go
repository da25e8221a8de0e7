package flow

import (
	"testing"
	"time"
)

// Benchmarks of the client's pure hot pieces, for benchstat. bench/run runs
// them; `go test` alone does not.

// BenchmarkDecodeChallenge is what every Cognito answer costs the client
// after the SDK: the challenge parameters decoded into a Step once.
func BenchmarkDecodeChallenge(b *testing.B) {
	session := "AYABeC" + string(make([]byte, 165))
	cases := []struct {
		name      string
		challenge string
		params    map[string]string
	}{
		{"NEW_PASSWORD_REQUIRED", ChallengeNewPassword, map[string]string{"USER_ID_FOR_SRP": "user000001",
			"requiredAttributes": `["userAttributes.email"]`, "userAttributes": `{"email_verified":"true","email":"demo@example.com"}`}},
		{"MFA_SETUP", ChallengeMFASetup, map[string]string{"USER_ID_FOR_SRP": "user000001", "MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`}},
	}
	expires := time.Now().Add(DefaultSessionValidity)
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := newStep(c.challenge, c.params, &session, "user000001", expires); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNormalizeCode is the code entry's check, typed and pasted.
func BenchmarkNormalizeCode(b *testing.B) {
	for name, in := range map[string]string{"typed": "123 456", "pasted": "Your verification code: 123-456."} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := NormalizeCode(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSecretHash is the SECRET_HASH every call to a client with a secret carries.
func BenchmarkSecretHash(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = SecretHash("1example23456789abcdefghijklmnopqrstuvwxyz0123456789", "user000001", "1example23456789abcdefghij")
	}
}

// BenchmarkOTPAuthURI builds the URI the QR code carries, and the grouped secret.
func BenchmarkOTPAuthURI(b *testing.B) {
	const secret = "MOPDM4TUQ4KPVJY6AUYX7IO42TEPADKR"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = OTPAuthURI("cognito-totp demo", "demo", secret)
		_ = GroupSecret(secret)
	}
}
