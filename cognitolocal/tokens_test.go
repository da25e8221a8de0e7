package cognitolocal_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/golang-jwt/jwt/v5"
)

func TestTokensVerifyWithJWKS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "sam")
	res := e.tokens(c, "sam")
	sub := attr(e.adminGetUser(poolID, "sam").UserAttributes, "sub")
	keys := e.jwks(poolID)
	iss := "https://cognito-idp.us-east-1.amazonaws.com/" + poolID

	parse := func(tok string) (jwt.MapClaims, *jwt.Token) {
		claims := jwt.MapClaims{}
		parsed, err := jwt.ParseWithClaims(tok, claims, func(tk *jwt.Token) (any, error) {
			return keys[tk.Header["kid"].(string)], nil
		}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(e.clock.Now))
		must(t, err)
		return claims, parsed
	}
	access, _ := parse(aws.ToString(res.AccessToken))
	for k, want := range map[string]any{
		"sub": sub, "iss": iss, "client_id": c.id, "token_use": "access", "username": "sam",
		"scope": "aws.cognito.signin.user.admin", "exp": float64(start.Add(time.Hour).Unix()),
		"iat": float64(start.Unix()), "auth_time": float64(start.Unix()),
	} {
		if access[k] != want {
			t.Errorf("access %s = %v, want %v", k, access[k], want)
		}
	}
	if access["jti"] == nil {
		t.Error("access token has no jti")
	}
	id, _ := parse(aws.ToString(res.IdToken))
	for k, want := range map[string]any{
		"sub": sub, "iss": iss, "aud": c.id, "token_use": "id", "cognito:username": "sam", "email": "sam@example.com",
	} {
		if id[k] != want {
			t.Errorf("id %s = %v, want %v", k, id[k], want)
		}
	}
}

func TestAccessTokenChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "tia")
	res := e.tokens(c, "tia")
	getUser := func(tok string) error {
		_, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(tok)})
		return err
	}
	must(t, getUser(*res.AccessToken))

	// An ID token is not an access token; neither is a token with a changed payload
	// or one signed by another server's key.
	wantErr[*types.NotAuthorizedException](t, getUser(*res.IdToken), "Invalid Access Token")
	parts := strings.Split(*res.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(payload), `"username":"tia"`, `"username":"tib"`, 1)
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	wantErr[*types.NotAuthorizedException](t, getUser(strings.Join(parts, ".")), "Invalid Access Token")
	wantErr[*types.NotAuthorizedException](t, getUser("garbage"), "Invalid Access Token")
	other := newEnv(t)
	otherPool := other.pool(poolSpec{})
	other.confirmedUser(otherPool, "tia")
	foreign := other.tokens(other.client(otherPool, clientSpec{}), "tia")
	wantErr[*types.NotAuthorizedException](t, getUser(*foreign.AccessToken), "Invalid Access Token")

	// A disabled user's token stops working.
	_, err := e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("tia")})
	must(t, err)
	wantErr[*types.NotAuthorizedException](t, getUser(*res.AccessToken), "User is disabled.")
	_, err = e.admin.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("tia")})
	must(t, err)

	// Expiry by the server clock: fine at 59:59, expired at 60:00.
	e.clock.Advance(time.Hour - time.Second)
	must(t, getUser(*res.AccessToken))
	e.clock.Advance(time.Second)
	wantErr[*types.NotAuthorizedException](t, getUser(*res.AccessToken), "Access Token has expired")
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has expired")
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: res.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has expired")
}

// jwks fetches the pool's JWKS and returns its keys by kid.
func (e *env) jwks(poolID string) map[string]*rsa.PublicKey {
	e.t.Helper()
	resp, err := http.Get(e.url + "/" + poolID + "/.well-known/jwks.json")
	must(e.t, err)
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Kid, Kty, Alg, N, E string }
	}
	must(e.t, json.NewDecoder(resp.Body).Decode(&set))
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		must(e.t, err)
		eb, err := base64.RawURLEncoding.DecodeString(k.E)
		must(e.t, err)
		if k.Kty != "RSA" || k.Alg != "RS256" {
			e.t.Fatalf("key %+v", k)
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(eb).Int64())}
	}
	if len(keys) == 0 {
		e.t.Fatal("JWKS has no keys")
	}
	return keys
}
