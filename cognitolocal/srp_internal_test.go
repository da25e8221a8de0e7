package cognitolocal

import (
	"crypto/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// Both flows check one salted hash (SRP's x); USER_SRP_AUTH makes its verifier
// from it at the first SRP sign-in, keeps it, and checks that verifier and
// nothing else: with the verifier replaced SRP follows the verifier, not the
// password that was set, while USER_PASSWORD_AUTH still checks x. A new
// password drops the verifier. Nothing in the user record holds the password.
func TestSRPChecksTheStoredVerifier(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := New(Options{Clock: clock})
	s.mu.Lock()
	defer s.mu.Unlock()

	created, err := s.createUserPool(&createUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.pools[created.(map[string]any)["UserPool"].(userPoolJSON).Id]
	cl, err := s.createUserPoolClient(&createUserPoolClientInput{UserPoolId: p.id, ClientName: "c",
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	clientID := cl.(map[string]any)["UserPoolClient"].(userPoolClientJSON).ClientId
	const pw = "Good-Pass-456!"
	if _, err := s.adminCreateUser(&adminCreateUserInput{UserPoolId: p.id, Username: "eve", TemporaryPassword: "Temp-Pass-123!", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.adminSetUserPassword(&adminSetUserPasswordInput{UserPoolId: p.id, Username: "eve", Password: pw, Permanent: true}); err != nil {
		t.Fatal(err)
	}
	u := p.users["eve"]

	passwordFlow := func(password string) *apiError {
		_, err := s.initiateAuth(&initiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientID,
			AuthParameters: map[string]string{"USERNAME": "eve", "PASSWORD": password}})
		return err
	}
	srpFlow := func(password string) *apiError {
		c, err := srp.NewClient(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		out, aerr := s.initiateAuth(&initiateAuthInput{AuthFlow: "USER_SRP_AUTH", ClientId: clientID,
			AuthParameters: map[string]string{"USERNAME": "eve", "SRP_A": c.AHex()}})
		if aerr != nil {
			return aerr
		}
		s.mu.Unlock() // the SRP math is done outside the lock, as Server.run does it
		out, aerr = out.(finisher).finish(s)
		s.mu.Lock()
		if aerr != nil {
			return aerr
		}
		ps := out.(authResponseJSON).ChallengeParameters
		sig, ts, err := c.Claim(srp.Challenge{PoolName: p.srpName(), UserID: ps["USER_ID_FOR_SRP"], Salt: ps["SALT"],
			B: ps["SRP_B"], SecretBlock: ps["SECRET_BLOCK"]}, password, clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, aerr = s.respondToAuthChallenge(&respondToAuthChallengeInput{ClientId: clientID, ChallengeName: "PASSWORD_VERIFIER",
			ChallengeResponses: map[string]string{"USERNAME": "eve", "PASSWORD_CLAIM_SIGNATURE": sig,
				"PASSWORD_CLAIM_SECRET_BLOCK": ps["SECRET_BLOCK"], "TIMESTAMP": ts}})
		return aerr
	}
	wantIncorrect := func(what string, err *apiError) {
		t.Helper()
		if err == nil || err.Message != msgIncorrectCredentials {
			t.Fatalf("%s: %v, want %q", what, err, msgIncorrectCredentials)
		}
	}

	if u.srpVerifier != nil {
		t.Fatal("a verifier was made before any SRP sign-in")
	}
	if err := passwordFlow(pw); err != nil {
		t.Fatalf("password flow before: %v", err)
	}
	wantIncorrect("password flow with another password", passwordFlow("Other-Pass-789!"))
	if u.srpVerifier != nil {
		t.Fatal("USER_PASSWORD_AUTH made a verifier")
	}
	if err := srpFlow(pw); err != nil {
		t.Fatalf("SRP before: %v", err)
	}
	if u.srpVerifier == nil || u.srpSalt == nil {
		t.Fatal("no verifier kept after the first SRP sign-in")
	}

	// Nothing stores the password as text.
	v := reflect.ValueOf(*u)
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && strings.Contains(f.String(), pw) {
			t.Fatalf("user.%s holds the password", v.Type().Field(i).Name)
		}
	}

	// Replace the verifier with one for another password: SRP follows it, and
	// the password flow, which checks x, does not.
	const other = "Other-Pass-789!"
	u.srpVerifier = srp.Verifier(srp.X(u.srpSalt, p.srpName(), "eve", other))
	wantIncorrect("SRP with the password whose verifier was replaced", srpFlow(pw))
	if err := srpFlow(other); err != nil {
		t.Fatalf("SRP with the password of the stored verifier: %v", err)
	}
	if err := passwordFlow(pw); err != nil {
		t.Fatalf("the password flow must check x, not the verifier: %v", err)
	}

	// A new password drops the kept verifier: SRP follows the new password.
	const third = "Third-Pass-012!"
	if _, err := s.adminSetUserPassword(&adminSetUserPasswordInput{UserPoolId: p.id, Username: "eve", Password: third, Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if u.srpVerifier != nil {
		t.Fatal("a new password kept the old verifier")
	}
	wantIncorrect("SRP with the old password", srpFlow(other))
	if err := srpFlow(third); err != nil {
		t.Fatalf("SRP with the new password: %v", err)
	}
	wantIncorrect("password flow with the old password", passwordFlow(pw))
	if err := passwordFlow(third); err != nil {
		t.Fatalf("password flow with the new password: %v", err)
	}
}
