package bench

import (
	"crypto/rand"
	"encoding/base64"
	"math/big"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// Benchmarks of the SRP step (USER_SRP_AUTH) on both sides, for benchstat.
// They live here because internal/srp belongs to another part of the work;
// bench/run runs them with the others.

const (
	srpPool     = "AbC123def"
	srpUser     = "user000001"
	srpPassword = "N3w-Passw0rd!"
)

// BenchmarkSRPVerifier is what storing a password costs (salt and verifier),
// as cognitolocal does at AdminCreateUser and at every new password.
func BenchmarkSRPVerifier(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := srp.NewVerifier(rand.Reader, srpPool, srpUser, srpPassword); err != nil {
			b.Fatal(err)
		}
	}
}

// srpFixture is one user's verifier and a challenge a server has issued.
func srpFixture(b *testing.B) (salt, v *big.Int, block []byte) {
	salt, v, err := srp.NewVerifier(rand.Reader, srpPool, srpUser, srpPassword)
	if err != nil {
		b.Fatal(err)
	}
	block = make([]byte, 1024)
	rand.Read(block)
	return salt, v, block
}

// BenchmarkSRPClientStep is the client's whole share of a sign-in: A, then
// the PASSWORD_VERIFIER answer (the claim signature).
func BenchmarkSRPClientStep(b *testing.B) {
	salt, v, block := srpFixture(b)
	c0, err := srp.NewClient(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	s, err := srp.NewServer(rand.Reader, v, c0.A())
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := srp.NewClient(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		ch := srp.Challenge{PoolName: srpPool, UserID: srpUser, Salt: salt.Text(16), B: s.BHex(), SecretBlock: base64.StdEncoding.EncodeToString(block)}
		if _, _, err := c.Claim(ch, srpPassword, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSRPServerStep is the server's share: B for the client's A, then
// the check of the client's claim.
func BenchmarkSRPServerStep(b *testing.B) {
	salt, v, block := srpFixture(b)
	c, err := srp.NewClient(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := srp.NewServer(rand.Reader, v, c.A())
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 { // one real claim, so Verify does its whole work and is checked
			b.StopTimer()
			sig, ts, err := c.Claim(srp.Challenge{PoolName: srpPool, UserID: srpUser, Salt: salt.Text(16), B: s.BHex(),
				SecretBlock: base64.StdEncoding.EncodeToString(block)}, srpPassword, now)
			if err != nil || !s.Verify(srpPool, srpUser, block, ts, sig) {
				b.Fatalf("the claim did not verify: %v", err)
			}
			b.StartTimer()
			continue
		}
		s.Verify(srpPool, srpUser, block, srp.Timestamp(now), "bm90LWEtc2lnbmF0dXJl")
	}
}
