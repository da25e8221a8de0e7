package cognitolocal

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Tokens are JWTs signed RS256 with the server's key, with the claims Cognito
// puts in its access and ID tokens. The refresh token is an opaque random
// string, as Cognito's (an encrypted JWE) is to its clients; the server keeps
// what it stands for (refresh.go).
//
// Every sign-in starts an origin (the tokens' origin_jti), shared by the tokens
// a refresh makes from it. A user's live origins are kept on the user; a global
// sign-out ends them all, and that is how access and refresh tokens issued
// before it are refused (userFromAccessToken, refreshTokenAuth).

const (
	tokenLifetime   = time.Hour           // Cognito's default access/ID token validity
	refreshLifetime = 30 * 24 * time.Hour // Cognito's default refresh token validity
)

type authResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int    `json:"ExpiresIn"`
	TokenType    string `json:"TokenType"`
	RefreshToken string `json:"RefreshToken,omitempty"` // absent from a refresh's answer
	IdToken      string `json:"IdToken"`

	// The claims issueTokens decided under the store's lock; sign turns them
	// into AccessToken and IdToken after the lock is released.
	accessClaims, idClaims jwt.Claims
}

type accessClaims struct {
	jwt.RegisteredClaims
	ClientID  string `json:"client_id"`
	OriginJTI string `json:"origin_jti"`
	EventID   string `json:"event_id"`
	TokenUse  string `json:"token_use"`
	Scope     string `json:"scope"`
	AuthTime  int64  `json:"auth_time"`
	Username  string `json:"username"`
}

func (s *Server) issuer(poolID string) string {
	return "https://cognito-idp." + s.region + ".amazonaws.com/" + poolID
}

// keyID names the signing key, as the kid of tokens and the JWKS.
func keyID(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func (s *Server) sign(claims jwt.Claims) (string, *apiError) {
	k, err := s.signingKey()
	if err != nil {
		return "", errInternal()
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = k.kid
	signed, err := t.SignedString(k.key)
	if err != nil {
		return "", errInternal()
	}
	return signed, nil
}

// issueTokens signs in u: it starts an origin, decides the access and ID
// tokens' claims and makes the refresh token. It runs under the store's lock,
// so it does not sign: an RS256 signature takes about a millisecond, and the
// lock would make every other request wait for it. Server.run calls sign once
// the lock is released.
func (s *Server) issueTokens(p *pool, c *client, u *user, authTime time.Time) *authResult {
	originJTI := newUUID()
	r := s.tokenClaims(p, c, u, authTime, originJTI)
	r.RefreshToken = s.newRefreshToken(p, c, u, authTime, originJTI)
	return r
}

// tokenClaims decides the claims of an access and an ID token of origin
// originJTI (a new sign-in, or a refresh of an earlier one). Under the lock.
func (s *Server) tokenClaims(p *pool, c *client, u *user, authTime time.Time, originJTI string) *authResult {
	now := s.clock.Now()
	eventID := newUUID()
	iss := s.issuer(p.id)
	access := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: iss, Subject: u.sub, ID: newUUID(),
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(tokenLifetime)),
		},
		ClientID: c.id, OriginJTI: originJTI, EventID: eventID, TokenUse: "access",
		Scope: "aws.cognito.signin.user.admin", AuthTime: authTime.Unix(), Username: u.username,
	}
	id := jwt.MapClaims{
		"sub": u.sub, "iss": iss, "aud": c.id, "cognito:username": u.username,
		"origin_jti": originJTI, "event_id": eventID, "token_use": "id",
		"auth_time": authTime.Unix(), "iat": now.Unix(), "exp": now.Add(tokenLifetime).Unix(), "jti": newUUID(),
	}
	for _, a := range u.attrs {
		switch a.Name {
		case "sub":
		case "email_verified", "phone_number_verified": // booleans in ID tokens
			id[a.Name] = a.Value == "true"
		default:
			id[a.Name] = a.Value
		}
	}
	return &authResult{
		ExpiresIn: int(tokenLifetime / time.Second), TokenType: "Bearer",
		accessClaims: access, idClaims: id,
	}
}

// sign makes the access and ID tokens from their claims, the two signatures
// at once (on two cores a sign-in's answer waits for one signature, not two).
// It must not run under the store's lock.
func (r *authResult) sign(s *Server) *apiError {
	var idErr *apiError
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.IdToken, idErr = s.sign(r.idClaims)
	}()
	var err *apiError
	r.AccessToken, err = s.sign(r.accessClaims)
	<-done
	if err == nil {
		err = idErr
	}
	return err
}

// accessTokenUser validates a required AccessToken member and returns its user.
func (s *Server) accessTokenUser(token string) (*user, *apiError) {
	var v validation
	v.str("accessToken", token, true, ruleAccessToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	_, u, err := s.userFromAccessToken(token)
	return u, err
}

// userFromAccessToken checks an access token (signature by this server's key,
// expiry by its Clock, token_use, issuer) and returns its pool and user.
func (s *Server) userFromAccessToken(token string) (*pool, *user, *apiError) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(token, &claims,
		func(*jwt.Token) (any, error) {
			k, err := s.signingKey()
			if err != nil {
				return nil, err
			}
			return &k.key.PublicKey, nil
		},
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(s.clock.Now), jwt.WithExpirationRequired())
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, nil, errNotAuthorized(msgAccessTokenExpired)
	case err != nil, claims.TokenUse != "access":
		return nil, nil, errNotAuthorized(msgInvalidAccessToken)
	}
	poolID := claims.Issuer[strings.LastIndexByte(claims.Issuer, '/')+1:]
	p, ok := s.pools[poolID]
	if !ok || claims.Issuer != s.issuer(poolID) {
		return nil, nil, errNotAuthorized(msgInvalidAccessToken)
	}
	u, ok := p.users[claims.Username]
	if !ok || u.sub != claims.Subject {
		return nil, nil, newErr(excUserNotFound, msgUserNotFound)
	}
	if !u.originLive(claims.OriginJTI, s.clock.Now()) {
		return nil, nil, errNotAuthorized(msgAccessTokenRevoked)
	}
	if !u.enabled {
		return nil, nil, errNotAuthorized(msgUserDisabled)
	}
	return p, u, nil
}

// serveJWKS answers GET /<poolId>/.well-known/jwks.json with the public key.
func (s *Server) serveJWKS(w http.ResponseWriter, r *http.Request) {
	poolID, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/.well-known/jwks.json")
	s.mu.Lock()
	_, exists := s.pools[poolID]
	s.mu.Unlock()
	if !ok || !exists {
		http.NotFound(w, r)
		return
	}
	k, err := s.signingKey()
	if err != nil {
		http.Error(w, "no signing key", http.StatusInternalServerError)
		return
	}
	pub := k.key.PublicKey
	b64 := base64.RawURLEncoding.EncodeToString
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"alg": "RS256", "e": b64(big.NewInt(int64(pub.E)).Bytes()), "kid": k.kid,
		"kty": "RSA", "n": b64(pub.N.Bytes()), "use": "sig",
	}}})
}
