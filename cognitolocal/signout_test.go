package cognitolocal_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// refresh runs InitiateAuth REFRESH_TOKEN_AUTH (with SECRET_HASH of username
// when the client has a secret).
func (e *env) refresh(c appClient, username string, refreshToken *string) (*cip.InitiateAuthOutput, error) {
	return e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, username, map[string]string{"REFRESH_TOKEN": aws.ToString(refreshToken)}),
	})
}

// claims decodes a JWT's payload (the signature is checked by the server).
func claims(t *testing.T, token *string) map[string]any {
	t.Helper()
	parts := strings.Split(aws.ToString(token), ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(raw, &m))
	return m
}

// wantRevoked checks that every operation taking an access token refuses it.
func (e *env) wantRevoked(access *string) {
	e.t.Helper()
	const msg = "Access Token has been revoked"
	_, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: access})
	wantErr[*types.NotAuthorizedException](e.t, err, msg)
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
	wantErr[*types.NotAuthorizedException](e.t, err, msg)
	_, err = e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String("123456")})
	wantErr[*types.NotAuthorizedException](e.t, err, msg)
	_, err = e.user.SetUserMFAPreference(e.ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}})
	wantErr[*types.NotAuthorizedException](e.t, err, msg)
	_, err = e.user.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: access})
	wantErr[*types.NotAuthorizedException](e.t, err, msg)
}

func TestGlobalSignOutRevokesEveryEarlierToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "gus")
	e.confirmedUser(poolID, "other")
	laptop, phone := e.tokens(c, "gus"), e.tokens(c, "gus")
	bystander := e.tokens(c, "other")
	refreshed, err := e.refresh(c, "gus", phone.RefreshToken)
	must(t, err)

	_, err = e.user.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: laptop.AccessToken})
	must(t, err)
	e.wantRevoked(laptop.AccessToken)
	e.wantRevoked(phone.AccessToken)
	e.wantRevoked(refreshed.AuthenticationResult.AccessToken) // made from an earlier sign-in
	for _, r := range []*string{laptop.RefreshToken, phone.RefreshToken} {
		_, err = e.refresh(c, "gus", r)
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
	}
	// Another user's tokens are untouched; a new sign-in works.
	_, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: bystander.AccessToken})
	must(t, err)
	fresh := e.tokens(c, "gus")
	me, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: fresh.AccessToken})
	must(t, err)
	if aws.ToString(me.Username) != "gus" {
		t.Fatalf("GetUser = %q", aws.ToString(me.Username))
	}
	_, err = e.refresh(c, "gus", fresh.RefreshToken)
	must(t, err)
	// Unsigned, as in the service model: the anonymous client succeeded above.
	_, err = e.user.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: aws.String("not-a-token")})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
}

func TestAdminUserGlobalSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{secret: true})
	e.confirmedUser(poolID, "ada")
	before := e.tokens(c, "ada")
	// The same second as the sign-out, after it: a sign-in must still work.
	_, err := e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("ada")})
	must(t, err)
	e.wantRevoked(before.AccessToken)
	_, err = e.refresh(c, "ada", before.RefreshToken)
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
	after := e.tokens(c, "ada")
	_, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: after.AccessToken})
	must(t, err)

	// Twice in a row, or for a user never signed in, is not an error.
	e.confirmedUser(poolID, "never")
	for _, name := range []string{"never", "never"} {
		_, err = e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String(name)})
		must(t, err)
	}
	_, err = e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("ghost")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.user.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("ada")})
	wantAPIErr(t, err, "MissingAuthenticationTokenException", "Missing Authentication Token")
	// The refused unsigned call changed nothing.
	_, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: after.AccessToken})
	must(t, err)
}

func TestRefreshTokenAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	c := e.client(poolID, clientSpec{secret: true})
	e.confirmedUser(poolID, "rita")
	first := e.tokens(c, "rita")
	e.clock.Advance(10 * time.Minute)

	out, err := e.refresh(c, "rita", first.RefreshToken)
	must(t, err)
	res := out.AuthenticationResult
	if res == nil || res.RefreshToken != nil || aws.ToString(res.AccessToken) == "" || aws.ToString(res.IdToken) == "" ||
		res.ExpiresIn != 3600 || aws.ToString(res.TokenType) != "Bearer" || out.ChallengeName != "" {
		t.Fatalf("refresh answer: challenge %q, result present %v", out.ChallengeName, res != nil)
	}
	old, renewed := claims(t, first.AccessToken), claims(t, res.AccessToken)
	if renewed["origin_jti"] != old["origin_jti"] || renewed["auth_time"] != old["auth_time"] || renewed["jti"] == old["jti"] ||
		renewed["iat"].(float64) != float64(start.Add(10*time.Minute).Unix()) || renewed["username"] != "rita" {
		t.Fatalf("refreshed access token claims differ wrongly: origin same %v, auth_time same %v, jti new %v",
			renewed["origin_jti"] == old["origin_jti"], renewed["auth_time"] == old["auth_time"], renewed["jti"] != old["jti"])
	}
	if id := claims(t, res.IdToken); id["cognito:username"] != "rita" || id["email"] != "rita@example.com" {
		t.Fatalf("refreshed ID token: username %v", id["cognito:username"])
	}
	_, err = e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	must(t, err)
	// REFRESH_TOKEN is the same flow.
	alias, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshToken, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, "rita", map[string]string{"REFRESH_TOKEN": aws.ToString(first.RefreshToken)})})
	must(t, err)
	if alias.AuthenticationResult == nil {
		t.Fatal("REFRESH_TOKEN gave no tokens")
	}

	init := func(params map[string]string) error {
		_, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(c.id), AuthParameters: params})
		return err
	}
	wantErr[*types.InvalidParameterException](t, init(map[string]string{}), "Missing required parameter REFRESH_TOKEN")
	wantErr[*types.NotAuthorizedException](t, init(map[string]string{"REFRESH_TOKEN": aws.ToString(first.RefreshToken)}),
		"Client "+c.id+" is configured with secret but SECRET_HASH was not received")
	wantErr[*types.NotAuthorizedException](t, init(map[string]string{"REFRESH_TOKEN": aws.ToString(first.RefreshToken), "SECRET_HASH": *hash(c, "someone")}),
		"Unable to verify secret hash for client "+c.id)
	wantErr[*types.NotAuthorizedException](t, init(withHash(c, "rita", map[string]string{"REFRESH_TOKEN": "bm90LWEtcmVmcmVzaC10b2tlbg"})), "Invalid Refresh Token")
	// Another client's refresh token is not valid here.
	c2 := e.client(poolID, clientSpec{})
	other := e.tokens(c2, "rita")
	_, err = e.refresh(c, "rita", other.RefreshToken)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")

	// A client without ALLOW_REFRESH_TOKEN_AUTH refuses the flow.
	noRefresh := e.client(poolID, clientSpec{flows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	_, err = e.refresh(noRefresh, "rita", e.tokens(noRefresh, "rita").RefreshToken)
	wantErr[*types.InvalidParameterException](t, err, "REFRESH_TOKEN_AUTH flow not enabled for this client")

	// A disabled user cannot refresh.
	_, err = e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("rita")})
	must(t, err)
	_, err = e.refresh(c, "rita", first.RefreshToken)
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")
	_, err = e.admin.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("rita")})
	must(t, err)

	// Thirty days on, the refresh token has expired.
	e.clock.Advance(30 * 24 * time.Hour)
	_, err = e.refresh(c, "rita", first.RefreshToken)
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has expired")
}

// A refreshed token of an MFA user needs no code: the refresh token stands
// for the finished sign-in.
func TestRefreshAfterMFA(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "mia")
	_, res := e.enrollViaSession(c, "mia")
	out, err := e.refresh(c, "mia", res.RefreshToken)
	must(t, err)
	if out.ChallengeName != "" || out.AuthenticationResult == nil {
		t.Fatalf("refresh of an MFA user gave challenge %q", out.ChallengeName)
	}
}
