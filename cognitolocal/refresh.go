package cognitolocal

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// Refresh tokens (REFRESH_TOKEN_AUTH) and global sign-out (GlobalSignOut,
// AdminUserGlobalSignOut). The handlers run under Server.mu.
//
// A refresh token stands for one origin (see tokens.go): refreshing makes a
// new access and ID token of the same origin and auth_time, and no new
// refresh token (refresh-token rotation is not implemented). A global
// sign-out ends every origin of the user, so every access token and refresh
// token issued before it is refused:
//
//	access token  -> NotAuthorizedException "Access Token has been revoked"
//	refresh token -> NotAuthorizedException "Refresh Token has been revoked"

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	poolID, clientID string
	username, sub    string
	originJTI        string
	authTime         time.Time
	expires          time.Time
}

const (
	refreshTokenBytes = 96
	originSweepAt     = 64 // a user's origins are swept of dead ones from this many on
)

// newRefreshToken records origin originJTI as live for u and returns a new
// refresh token for it. Under the lock.
func (s *Server) newRefreshToken(p *pool, c *client, u *user, authTime time.Time, originJTI string) string {
	now := s.clock.Now()
	expires := now.Add(refreshLifetime)
	if u.origins == nil {
		u.origins = map[string]time.Time{}
	}
	if len(u.origins) >= originSweepAt {
		for o, until := range u.origins {
			if !now.Before(until) {
				delete(u.origins, o)
			}
		}
	}
	u.origins[originJTI] = expires
	s.saveOrigins(u)

	b := make([]byte, refreshTokenBytes)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	s.refreshIssued++
	if s.refreshIssued >= sweepEvery {
		s.sweepRefreshTokens(now)
	}
	s.refreshTokens[token] = &refreshGrant{
		poolID: p.id, clientID: c.id, username: u.username, sub: u.sub,
		originJTI: originJTI, authTime: authTime, expires: expires,
	}
	s.saveRefreshToken(token)
	return token
}

// sweepRefreshTokens forgets refresh tokens that are expired or whose origin
// was ended. Under the lock.
func (s *Server) sweepRefreshTokens(now time.Time) {
	s.refreshIssued = 0
	for token, g := range s.refreshTokens {
		if u := s.grantUser(g); u == nil || !u.originLive(g.originJTI, now) {
			delete(s.refreshTokens, token)
			s.saveRefreshToken(token)
		}
	}
}

// grantUser is the user a grant was issued to, or nil if it no longer exists
// (a user of the same name made since has another sub).
func (s *Server) grantUser(g *refreshGrant) *user {
	p := s.pools[g.poolID]
	if p == nil {
		return nil
	}
	u := p.users[g.username]
	if u == nil || u.sub != g.sub {
		return nil
	}
	return u
}

// originLive reports whether tokens of origin o may still be used: it was
// issued to u and no global sign-out has ended it since.
func (u *user) originLive(o string, now time.Time) bool {
	until, ok := u.origins[o]
	return ok && now.Before(until)
}

// signOutEverywhere ends every origin of u.
func (u *user) signOutEverywhere() { u.origins = nil }

// refreshTokenAuth is InitiateAuth REFRESH_TOKEN_AUTH (and REFRESH_TOKEN).
// SECRET_HASH, when the client has a secret, is the hash of the user's
// username (the one in the tokens' "username" claim), not of whatever alias
// was typed at sign-in, as Cognito checks it; USERNAME is not needed.
func (s *Server) refreshTokenAuth(p *pool, c *client, params map[string]string) (any, *apiError) {
	token := params["REFRESH_TOKEN"]
	if token == "" {
		return nil, errMissingParameter("REFRESH_TOKEN")
	}
	g, ok := s.refreshTokens[token]
	if !ok || g.clientID != c.id || g.poolID != p.id {
		return nil, errNotAuthorized(msgInvalidRefreshToken)
	}
	if err := checkSecretHash(c, g.username, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := s.grantUser(g)
	switch {
	case u == nil:
		return nil, newErr(excUserNotFound, msgUserNotFound)
	case !now.Before(g.expires):
		return nil, errNotAuthorized(msgRefreshTokenExpired)
	case !u.originLive(g.originJTI, now):
		return nil, errNotAuthorized(msgRefreshTokenRevoked)
	case !u.enabled:
		return nil, errNotAuthorized(msgUserDisabled)
	}
	return authResponseJSON{ChallengeParameters: map[string]string{},
		AuthenticationResult: s.tokenClaims(p, c, u, g.authTime, g.originJTI)}, nil
}

// globalSignOut is GlobalSignOut: the access token's own user signs out of
// every device. The token must itself be valid (a revoked one is refused).
func (s *Server) globalSignOut(in *accessTokenInput) (any, *apiError) {
	u, err := s.accessTokenUser(in.AccessToken)
	if err != nil {
		return nil, err
	}
	u.signOutEverywhere()
	s.saveUser(u)
	return struct{}{}, nil
}

// adminUserGlobalSignOut is AdminUserGlobalSignOut. Signing out a user with
// no live tokens is not an error.
func (s *Server) adminUserGlobalSignOut(in *adminUserInput) (any, *apiError) {
	_, u, err := s.userFromInput(*in, nil)
	if err != nil {
		return nil, err
	}
	u.signOutEverywhere()
	s.saveUser(u)
	return struct{}{}, nil
}
