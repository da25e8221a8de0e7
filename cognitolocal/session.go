package cognitolocal

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// Sessions are the opaque strings that carry a sign-in from one step to the
// next. Each is bound to the pool, client and user it was issued for and to
// the one step that may take it (sessionKind). It lives for the client's
// AuthSessionValidity from the moment it is issued, by the server's Clock.
//
// A session is single-use: the step that takes it successfully consumes it and
// issues a new one. A failed attempt does NOT consume it — a wrong code at
// VerifySoftwareToken or at the SOFTWARE_TOKEN_MFA challenge, or a new password
// that breaks the policy — so the person can correct the input and retry in
// place while the session lives. Real Cognito documents neither way; this is
// the behaviour people rely on when they mistype a code, and the only one that
// lets a wizard retry without restarting sign-in.
type sessionKind int

const (
	kindNewPassword      sessionKind = iota + 1 // answers NEW_PASSWORD_REQUIRED
	kindMFASetup                                // S0: taken by AssociateSoftwareToken
	kindAssociated                              // S1: taken by VerifySoftwareToken
	kindVerified                                // S2: answers MFA_SETUP
	kindSoftwareTokenMFA                        // answers SOFTWARE_TOKEN_MFA
	kindPasswordVerifier                        // SRP state, found by its SECRET_BLOCK (see srp.go)
	kindSMSMFA                                  // answers SMS_MFA
	kindEmailOTP                                // answers EMAIL_OTP
	kindSelectMFA                               // answers SELECT_MFA_TYPE
	kindSelectChallenge                         // answers SELECT_CHALLENGE (USER_AUTH)
)

type session struct {
	kind             sessionKind
	poolID, clientID string
	username         string
	expires          time.Time
	used             bool
	authTime         time.Time   // when the password was checked; the tokens' auth_time
	secret           string      // S1, S2: the TOTP secret being set up
	deviceName       string      // S2: FriendlyDeviceName given at VerifySoftwareToken
	srp              *srp.Server // PASSWORD_VERIFIER: the server half of SRP
	secretBlock      []byte      // PASSWORD_VERIFIER: the SECRET_BLOCK bytes the claim signs
	noUser           bool        // PASSWORD_VERIFIER for an unknown user (PreventUserExistenceErrors)
	code             string      // SMS_MFA, EMAIL_OTP: the code sent
	codeExpires      time.Time   // SMS_MFA, EMAIL_OTP: when the code stops working
	choices          []string    // SELECT_MFA_TYPE: MFAS_CAN_CHOOSE
}

const (
	sessionRandomBytes = 128 // 171 characters of base64url after the prefix: inside the model's 20..2048
	// sessionPrefix begins every session, as "AYAB" begins Cognito's (the
	// header of an AWS Encryption SDK message in base64). It also keeps a
	// session from starting with '-', which the aws CLI would read as an
	// option: `--session -x...` fails with "expected one argument".
	sessionPrefix    = "AYAB"
	sweepEvery       = 512 // sessions issued between sweeps of long-dead ones
	keepDeadSessions = time.Hour
)

// issueSession stores a new session for the next step and returns its string.
func (s *Server) issueSession(kind sessionKind, c *client, username string, authTime time.Time) (string, *session) {
	b := make([]byte, sessionRandomBytes)
	rand.Read(b)
	token := sessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, s.storeSession(token, kind, c, username, authTime)
}

// storeSession files a session under key (a session string, or a SECRET_BLOCK).
func (s *Server) storeSession(key string, kind sessionKind, c *client, username string, authTime time.Time) *session {
	s.issuedSweeped++
	if s.issuedSweeped >= sweepEvery {
		s.sweepSessions()
	}
	sess := &session{
		kind:     kind,
		poolID:   c.poolID,
		clientID: c.id,
		username: username,
		expires:  s.clock.Now().Add(time.Duration(c.sessionMinutes) * time.Minute),
		authTime: authTime,
	}
	s.sessions[key] = sess
	return sess
}

// sweepSessions forgets sessions dead for a while. Until then an expired or
// used session still gets its precise message rather than the generic one.
func (s *Server) sweepSessions() {
	s.issuedSweeped = 0
	cutoff := s.clock.Now().Add(-keepDeadSessions)
	for k, v := range s.sessions {
		if v.expires.Before(cutoff) {
			delete(s.sessions, k)
		}
	}
}

// sessionMatch says what a step requires of the session it is given.
// clientID and username are checked only when the request names them.
type sessionMatch struct {
	kind     sessionKind
	clientID string
	username string
}

// checkSession finds a live, unused session fit for the step. It does not
// consume it: the caller calls consume once the step has succeeded.
func (s *Server) checkSession(token string, m sessionMatch) (*session, *apiError) {
	sess, ok := s.sessions[token]
	switch {
	case !ok:
		return nil, errNotAuthorized(msgSessionInvalid)
	case !s.clock.Now().Before(sess.expires):
		return nil, errNotAuthorized(msgSessionExpired)
	case sess.used:
		return nil, errNotAuthorized(msgSessionUsed)
	case sess.kind != m.kind,
		m.clientID != "" && m.clientID != sess.clientID,
		m.username != "" && m.username != sess.username:
		return nil, errNotAuthorized(msgSessionInvalid)
	}
	return sess, nil
}

func (sess *session) consume() { sess.used = true }
