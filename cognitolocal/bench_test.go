package cognitolocal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// Benchmarks of the endpoint's hot pieces, for benchstat. bench/run runs them;
// `go test` alone does not. Throughput over real HTTP, against peers, is
// bench/cmd/load's job.

// benchCall sends one AWS JSON 1.1 request straight to the handler, no
// network, and decodes the answer.
func benchCall(b *testing.B, s *Server, op string, admin bool, in any) map[string]any {
	body, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("X-Amz-Target", targetPrefix+op)
	r.Header.Set("Content-Type", contentType)
	if admin {
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260301/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != http.StatusOK {
		b.Fatalf("%s: status %d: %s", op, w.Code, w.Body.Bytes())
	}
	return out
}

// benchPool makes a pool with MFA ON and TOTP, and a client for USER_PASSWORD_AUTH.
func benchPool(b *testing.B, s *Server) (poolID, clientID string) {
	out := benchCall(b, s, "CreateUserPool", true, map[string]any{"PoolName": "bench"})
	poolID = out["UserPool"].(map[string]any)["Id"].(string)
	benchCall(b, s, "SetUserPoolMfaConfig", true, map[string]any{"UserPoolId": poolID, "MfaConfiguration": "ON",
		"SoftwareTokenMfaConfiguration": map[string]any{"Enabled": true}})
	out = benchCall(b, s, "CreateUserPoolClient", true, map[string]any{"UserPoolId": poolID, "ClientName": "bench",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	return poolID, out["UserPoolClient"].(map[string]any)["ClientId"].(string)
}

// BenchmarkEnrollment is one whole enrollment on the MFA_SETUP path, the
// five calls bench/cmd/load makes over HTTP, through ServeHTTP in memory.
// Besides the wall time it reports cpu-ns/op, the CPU the process spent per
// enrollment on all cores: the two token signatures run at once, so an
// enrollment costs more CPU than it takes time.
func BenchmarkEnrollment(b *testing.B) {
	s := New(Options{})
	poolID, clientID := benchPool(b, s)
	users := make([]string, b.N)
	for i := range users {
		users[i] = fmt.Sprintf("u%07d", i)
		benchCall(b, s, "AdminCreateUser", true, map[string]any{"UserPoolId": poolID, "Username": users[i],
			"TemporaryPassword": "Temp-Passw0rd!", "MessageAction": "SUPPRESS"})
	}
	// The signing key is made on first use: make it here, so its
	// making is not counted in the process CPU per enrollment.
	if _, err := s.signingKey(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	for i := 0; i < b.N; i++ {
		u := users[i]
		out := benchCall(b, s, "InitiateAuth", false, map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID,
			"AuthParameters": map[string]string{"USERNAME": u, "PASSWORD": "Temp-Passw0rd!"}})
		out = benchCall(b, s, "RespondToAuthChallenge", false, map[string]any{"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": clientID,
			"Session": out["Session"], "ChallengeResponses": map[string]string{"USERNAME": u, "NEW_PASSWORD": "N3w-Passw0rd!"}})
		out = benchCall(b, s, "AssociateSoftwareToken", false, map[string]any{"Session": out["Session"]})
		code, err := totp.GenerateCode(out["SecretCode"].(string), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		out = benchCall(b, s, "VerifySoftwareToken", false, map[string]any{"Session": out["Session"], "UserCode": code})
		out = benchCall(b, s, "RespondToAuthChallenge", false, map[string]any{"ChallengeName": "MFA_SETUP", "ClientId": clientID,
			"Session": out["Session"], "ChallengeResponses": map[string]string{"USERNAME": u}})
		if _, ok := out["AuthenticationResult"]; !ok {
			b.Fatalf("no tokens: %v", out)
		}
	}
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkDecodeRequest is the request decoding every operation starts with.
func BenchmarkDecodeRequest(b *testing.B) {
	body := []byte(`{"ChallengeName":"MFA_SETUP","ClientId":"1example23456789abcdefghij","Session":"` +
		string(bytes.Repeat([]byte("s"), 171)) + `","ChallengeResponses":{"USERNAME":"user000001"}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		var in respondToAuthChallengeInput
		if err := decodeBody(body, &in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTOTPCheck is one RFC 6238 check with a step of drift either way,
// as VerifySoftwareToken and the SOFTWARE_TOKEN_MFA answer make it.
func BenchmarkTOTPCheck(b *testing.B) {
	s := New(Options{Clock: NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))})
	secret := newTOTPSecret()
	code, err := totp.GenerateCode(secret, s.clock.Now().Add(-30*time.Second)) // the worst case that passes: the step before
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !s.codeValid(secret, code) {
			b.Fatal("code refused")
		}
	}
}

// BenchmarkIssueTokens signs the access and ID tokens a finished sign-in returns.
func BenchmarkIssueTokens(b *testing.B) {
	s := New(Options{})
	demo, err := s.SeedDemo()
	if err != nil {
		b.Fatal(err)
	}
	p := s.pools[demo.UserPoolID]
	c := s.clients[demo.ClientID]
	u := p.users[demo.Username]
	now := time.Now()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := s.issueTokens(p, c, u, now).sign(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetPassword stores a password, as AdminCreateUser and the
// NEW_PASSWORD_REQUIRED answer do: a salt and the salted hash x (the SRP
// verifier is made later, at the first SRP sign-in).
func BenchmarkSetPassword(b *testing.B) {
	s := New(Options{})
	demo, err := s.SeedDemo()
	if err != nil {
		b.Fatal(err)
	}
	p := s.pools[demo.UserPoolID]
	u := p.users[demo.Username]
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		u.setPassword(p, "N3w-Passw0rd!")
	}
}

// BenchmarkNewServer is a server ready to sign tokens: the 2048-bit RSA key
// its first request starts making in the background, waited for here.
func BenchmarkNewServer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{}).signingKey(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeedDemo is what seeding the demo pools costs the demo default
// before its first frame. One server serves every round (each SeedDemo makes
// new pools): the signing key is not part of it.
func BenchmarkSeedDemo(b *testing.B) {
	s := New(Options{})
	if _, err := s.signingKey(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.SeedDemo(); err != nil {
			b.Fatal(err)
		}
	}
}
