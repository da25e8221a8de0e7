package cognitolocal_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// post sends one raw AWS JSON 1.1 request and decodes the JSON answer.
func (e *env) post(target, body string, signed bool) (*http.Response, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/", strings.NewReader(body))
	must(e.t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	}
	if signed {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260301/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	}
	resp, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	must(e.t, err)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("%s: body is not JSON: %q", target, raw)
	}
	return resp, out
}

func wantWireError(t *testing.T, resp *http.Response, body map[string]any, status int, typ, msg string) {
	t.Helper()
	if resp.StatusCode != status || resp.Header.Get("x-amzn-ErrorType") != typ ||
		resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		body["__type"] != typ || body["message"] != msg {
		t.Fatalf("got %d %q %v, want %d %s %q", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body, status, typ, msg)
	}
}

func TestWireShapes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "wes")

	resp, out := e.post("InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"`+c.id+`","AuthParameters":{"USERNAME":"wes","PASSWORD":"`+password+`"}}`, false)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		t.Fatalf("InitiateAuth: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	params, ok := out["ChallengeParameters"].(map[string]any)
	if !ok || out["ChallengeName"] != "MFA_SETUP" {
		t.Fatalf("InitiateAuth body = %v", out)
	}
	// Every value is a JSON string; lists arrive encoded inside it.
	for k, v := range params {
		if _, isString := v.(string); !isString {
			t.Fatalf("ChallengeParameters[%s] is %T, want string", k, v)
		}
	}
	if params["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("MFAS_CAN_SETUP = %#v", params["MFAS_CAN_SETUP"])
	}
	if s, _ := out["Session"].(string); len(s) < 20 || len(s) > 2048 {
		t.Fatalf("session length %d", len(s))
	}

	// Errors: header and body.
	resp, out = e.post("InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"`+c.id+`","AuthParameters":{"USERNAME":"wes","PASSWORD":"Secret-Wrong-9"}}`, false)
	wantWireError(t, resp, out, 400, "NotAuthorizedException", "Incorrect username or password.")

	resp, out = e.post("InitiateAuth", `{"AuthFlow":`, false)
	wantWireError(t, resp, out, 400, "SerializationException", "The request body is not a valid JSON object.")
	resp, out = e.post("InitiateAuth", `{"AuthFlow":42}`, false)
	wantWireError(t, resp, out, 400, "SerializationException", "Wrong JSON type for member AuthFlow.")
	resp, out = e.post("InitiateAuth", `{}`, false)
	wantWireError(t, resp, out, 400, "InvalidParameterException",
		"2 validation errors detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null; Value null at 'clientId' failed to satisfy constraint: Member must not be null")

	resp, out = e.post("DeleteEverything", `{}`, false)
	wantWireError(t, resp, out, 400, "UnknownOperationException", "The operation is not supported by this endpoint.")
	resp, out = e.post("", `{}`, false)
	wantWireError(t, resp, out, 400, "UnknownOperationException", "The operation is not supported by this endpoint.")

	resp, out = e.post("CreateUserPool", `{"PoolName":"p"}`, false)
	wantWireError(t, resp, out, 400, "MissingAuthenticationTokenException", "Missing Authentication Token")
	resp, out = e.post("CreateUserPool", `{"PoolName":"p"}`, true)
	if resp.StatusCode != 200 || out["UserPool"] == nil {
		t.Fatalf("signed CreateUserPool: %d %v", resp.StatusCode, out)
	}

	resp, out = e.post("InitiateAuth", `{"AuthFlow":"`+strings.Repeat("A", 2<<20)+`"}`, false)
	wantWireError(t, resp, out, 413, "SerializationException", "Request body is larger than 1 MiB.")
}

// Secret values are never echoed back in error messages.
func TestErrorsDoNotEchoSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const marker = "Zq9-SECRET-VALUE"
	for target, body := range map[string]string{
		"VerifySoftwareToken":    `{"Session":"` + marker + marker + `","UserCode":"` + marker + `"}`,
		"GetUser":                `{"AccessToken":"` + marker + `!"}`,
		"RespondToAuthChallenge": `{"ClientId":"nosuch","ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"` + marker + marker + `","ChallengeResponses":{"USERNAME":"x","NEW_PASSWORD":"` + marker + `"}}`,
		"InitiateAuth":           `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"nosuch","AuthParameters":{"USERNAME":"x","PASSWORD":"` + marker + `"}}`,
		"AdminCreateUser":        `{"UserPoolId":"us-east-1_abc","Username":"x","TemporaryPassword":"` + marker + ` x"}`,
	} {
		resp, out := e.post(target, body, true)
		if resp.StatusCode != 400 {
			t.Fatalf("%s: status %d", target, resp.StatusCode)
		}
		if msg, _ := out["message"].(string); strings.Contains(msg, marker) || strings.Contains(msg, "SECRET") {
			t.Fatalf("%s echoes a secret: %q", target, msg)
		}
	}
}

// A panic inside an operation becomes a bare 500 InternalErrorException.
func TestPanicBecomesInternalError(t *testing.T) {
	t.Parallel()
	var zero cognitolocal.Server // no clock, no maps: any operation panics
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"PoolName":"p"}`))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
	rec := httptest.NewRecorder()
	zero.ServeHTTP(rec, req)
	if rec.Code != 500 || rec.Header().Get("x-amzn-ErrorType") != "InternalErrorException" ||
		strings.TrimSpace(rec.Body.String()) != `{"__type":"InternalErrorException","message":"Internal server error."}` {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestJWKSUnknownPool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, err := http.Get(e.url + "/us-east-1_nope12345/.well-known/jwks.json")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// Odd inputs to every operation give 4xx answers, never a 500 (a recovered panic).
func TestOddInputsNeverPanic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	e.confirmedUser(poolID, "zed")
	ops := []string{"CreateUserPool", "DescribeUserPool", "SetUserPoolMfaConfig", "GetUserPoolMfaConfig",
		"CreateUserPoolClient", "DescribeUserPoolClient", "AdminCreateUser", "AdminSetUserPassword", "AdminGetUser",
		"AdminDisableUser", "AdminEnableUser", "InitiateAuth", "RespondToAuthChallenge", "AssociateSoftwareToken",
		"VerifySoftwareToken", "SetUserMFAPreference", "GetUser"}
	long := strings.Repeat("é", 3000)
	bodies := []string{
		``, `null`, `[]`, `"x"`, `{"a":1}`, `{}`,
		`{"UserPoolId":"` + poolID + `","Username":"` + long + `","ClientId":"` + c.id + `"}`,
		`{"UserPoolId":"` + poolID + `","Username":"zed","ClientId":"` + c.id + `","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{}}`,
		`{"ClientId":"` + c.id + `","ChallengeName":"MFA_SETUP","ChallengeResponses":{"USERNAME":"zed"},"Session":"` + long + `"}`,
		`{"AccessToken":"a.b.c","UserCode":"123456","Session":"` + strings.Repeat("s", 30) + `"}`,
		`{"AccessToken":"eyJhbGciOiJub25lIn0.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ."}`,
		`{"UserPoolId":"` + poolID + `","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":null,"Policies":{"PasswordPolicy":{"MinimumLength":-1}}}`,
		`{"UserPoolId":"` + poolID + `","PoolName":"p","ClientName":"c","ExplicitAuthFlows":["NOPE"],"AuthSessionValidity":99999999999}`,
		`{"UserPoolId":"` + poolID + `","Username":"new","UserAttributes":[{"Name":"","Value":null},{"Name":"sub","Value":"x"}]}`,
	}
	for _, op := range ops {
		for _, body := range bodies {
			resp, out := e.post(op, body, true)
			if resp.StatusCode >= 500 {
				t.Fatalf("%s %.80q: %d %v", op, body, resp.StatusCode, out)
			}
		}
	}
}
