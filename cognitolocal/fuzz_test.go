package cognitolocal

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzRequestDecoding sends arbitrary bodies to every operation. The server
// must answer each with a well-formed JSON response and never reach its
// panic guard (a 500 here means a handler panicked on input).
func FuzzRequestDecoding(f *testing.F) {
	ops := []string{"InitiateAuth", "RespondToAuthChallenge", "AssociateSoftwareToken", "VerifySoftwareToken",
		"SetUserMFAPreference", "GetUser", "CreateUserPool", "SetUserPoolMfaConfig", "CreateUserPoolClient",
		"AdminCreateUser", "AdminSetUserPassword", "AdminGetUser", "DescribeUserPoolClient", "GetUserPoolMfaConfig"}
	seeds := []string{
		`{}`, `null`, `[]`, `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"x","AuthParameters":{"USERNAME":"demo","PASSWORD":"p"}}`,
		`{"ChallengeName":"MFA_SETUP","ClientId":"x","Session":"` + strings.Repeat("a", 40) + `","ChallengeResponses":null}`,
		`{"UserCode":123456}`, `{"Session":{"x":1}}`, `{"AuthParameters":{"USERNAME":null}}`, `{"PoolName":"` + strings.Repeat("é", 200) + `"}`,
		`{"UserPoolId":"us-east-1_x","Username":"u","UserAttributes":[{"Name":null}]}`, `{"AuthSessionValidity":-5}`, "\x00\xff",
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	srv := New(Options{Clock: NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))})
	demo, err := srv.SeedDemo()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		body = strings.ReplaceAll(body, "POOL", demo.UserPoolID)
		body = strings.ReplaceAll(body, "CLIENT", demo.ClientID)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+ops[int(op)%len(ops)])
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20261123/us-east-1/cognito-idp/aws4_request")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s answered %d to %q: %s", ops[int(op)%len(ops)], rec.Code, body, rec.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("response is not a JSON object: %q", rec.Body.String())
		}
		if rec.Code >= 400 {
			if typ, _ := out["__type"].(string); typ == "" || rec.Header().Get("x-amzn-ErrorType") == "" {
				t.Fatalf("error without __type or x-amzn-ErrorType: %q", rec.Body.String())
			}
		}
	})
}
