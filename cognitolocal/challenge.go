package cognitolocal

import (
	"maps"
	"slices"
	"strings"
)

// RespondToAuthChallenge. Every answer carries USERNAME (the user's real
// username, as returned in USER_ID_FOR_SRP) and SECRET_HASH when the client has
// a secret, and the Session of the step it answers.

type respondToAuthChallengeInput struct {
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
	UserContextData    *userContextDataJSON
}

func (s *Server) respondToAuthChallenge(in *respondToAuthChallengeInput) (any, *apiError) {
	var v validation
	v.str("clientId", in.ClientId, true, ruleClientID)
	v.enum("challengeName", in.ChallengeName, true, enumChallengeName)
	v.str("session", in.Session, false, ruleSession)
	if err := v.err(); err != nil {
		return nil, err
	}
	c, p, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	c.noteContext("RespondToAuthChallenge", in.UserContextData)
	resp := in.ChallengeResponses
	username := resp["USERNAME"]
	if username == "" {
		return nil, errMissingParameter("USERNAME")
	}
	if err := checkSecretHash(c, username, resp["SECRET_HASH"]); err != nil {
		return nil, err
	}
	if in.ChallengeName == "PASSWORD_VERIFIER" {
		// Its state is found by PASSWORD_CLAIM_SECRET_BLOCK: Cognito returns
		// no Session with PASSWORD_VERIFIER, so none is needed (or read) here.
		return s.answerPasswordVerifier(p, c, resp)
	}
	var kind sessionKind
	switch in.ChallengeName {
	case "NEW_PASSWORD_REQUIRED":
		kind = kindNewPassword
	case "MFA_SETUP":
		// Only the session returned by a successful VerifySoftwareToken (S2)
		// answers MFA_SETUP. The MFA_SETUP challenge's own session (S0) is for
		// AssociateSoftwareToken; given here it is refused as an invalid session
		// (Cognito's exact answer to that mistake is not documented).
		kind = kindVerified
	case "SOFTWARE_TOKEN_MFA":
		kind = kindSoftwareTokenMFA
	case "SMS_MFA":
		kind = kindSMSMFA
	case "EMAIL_OTP":
		kind = kindEmailOTP
	case "SELECT_MFA_TYPE":
		kind = kindSelectMFA
	case "SELECT_CHALLENGE":
		kind = kindSelectChallenge
	default:
		return nil, errInvalidParameter("The " + in.ChallengeName + " challenge is not implemented by cognitolocal (this local endpoint).")
	}
	if in.Session == "" {
		return nil, errMissingParameter("Session")
	}
	sess, err := s.checkSession(in.Session, sessionMatch{kind: kind, clientID: c.id, username: username})
	if err != nil {
		return nil, err
	}
	if kind == kindSelectChallenge {
		return s.answerSelectChallenge(p, c, sess, resp)
	}
	u, ok := p.users[sess.username]
	if !ok {
		return nil, newErr(excUserNotFound, msgUserNotFound)
	}
	if !u.enabled {
		return nil, errNotAuthorized(msgUserDisabled)
	}
	switch kind {
	case kindNewPassword:
		return s.answerNewPassword(p, c, u, sess, resp)
	case kindSMSMFA, kindEmailOTP:
		return s.answerCode(p, c, u, sess, resp)
	case kindSelectMFA:
		return s.answerSelectMFA(p, c, u, sess, resp)
	case kindVerified:
		sess.consume()
		// Cognito turns TOTP on, and makes it preferred, when MFA_SETUP is answered.
		u.totp = totpState{secret: sess.secret, verified: true, enabled: true, preferred: true, deviceName: sess.deviceName}
		u.changed = s.clock.Now()
		s.saveUser(u)
		return s.tokensResponse(p, c, u, sess.authTime)
	default: // kindSoftwareTokenMFA
		code := resp["SOFTWARE_TOKEN_MFA_CODE"]
		if code == "" {
			return nil, errMissingParameter("SOFTWARE_TOKEN_MFA_CODE")
		}
		if err := s.codeLocked(u); err != nil {
			return nil, err
		}
		if !u.totp.enabled || !s.codeValid(u.totp.secret, code) {
			s.codeFailed(u)
			return nil, newErr(excCodeMismatch, msgChallengeCodeInvalid) // the session stays usable
		}
		s.codeSucceeded(u)
		sess.consume()
		return s.tokensResponse(p, c, u, sess.authTime)
	}
}

// attributes Cognito does not let a user write when answering NEW_PASSWORD_REQUIRED.
var readOnlyAttributes = map[string]bool{"sub": true, "email_verified": true, "phone_number_verified": true}

func (s *Server) answerNewPassword(p *pool, c *client, u *user, sess *session, resp map[string]string) (any, *apiError) {
	pw := resp["NEW_PASSWORD"]
	if pw == "" {
		return nil, errMissingParameter("NEW_PASSWORD")
	}
	var v validation
	v.str("challengeResponses.NEW_PASSWORD", pw, true, rulePassword)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := p.policy.check(pw); err != nil {
		return nil, err // the session stays usable: the person picks another password
	}
	updates := map[string]string{}
	for k, val := range resp {
		name, ok := strings.CutPrefix(k, "userAttributes.")
		if !ok {
			continue
		}
		if readOnlyAttributes[name] || name == "" || len(name) > 32 || !printable(name) {
			shown := name
			if len(name) > 32 || !printable(name) {
				shown = "(unprintable or too long)"
			}
			return nil, errInvalidParameter("Invalid user attributes: " + shown + ": Attribute cannot be updated.")
		}
		updates[name] = val
	}
	for _, name := range p.required {
		if have, _ := u.attr(name); have == "" && updates[name] == "" {
			return nil, errInvalidParameter("Invalid attributes given, " + name + " is missing")
		}
	}
	sess.consume()
	for _, name := range slices.Sorted(maps.Keys(updates)) {
		u.setAttr(name, updates[name])
	}
	u.setPassword(p, pw)
	u.status, u.changed = "CONFIRMED", s.clock.Now()
	s.saveUser(u)
	return s.nextStep(p, c, u, sess.authTime)
}
