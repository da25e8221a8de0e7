package cognitolocal

import "time"

// USER_AUTH, the choice-based sign-in: InitiateAuth with USERNAME (and
// SECRET_HASH) and an optional PREFERRED_CHALLENGE.
//
//	PREFERRED_CHALLENGE PASSWORD + PASSWORD     -> as USER_PASSWORD_AUTH
//	PREFERRED_CHALLENGE PASSWORD_SRP + SRP_A    -> PASSWORD_VERIFIER, as USER_SRP_AUTH
//	none                                        -> SELECT_CHALLENGE, AvailableChallenges, Session
//
// SELECT_CHALLENGE is answered with ANSWER PASSWORD (+ PASSWORD) or
// PASSWORD_SRP (+ SRP_A). Passwordless methods (EMAIL_OTP, SMS_OTP, WEB_AUTHN)
// are not implemented, so they are never offered. Choices where Cognito's
// behaviour is not documented: a PREFERRED_CHALLENGE that is not offered, or
// is missing its parameter, gives SELECT_CHALLENGE (Cognito falls back to the
// choice too); an unknown user is UserNotFoundException (or SELECT_CHALLENGE
// with PreventUserExistenceErrors, refused at the password); a wrong password
// at SELECT_CHALLENGE leaves its session usable.

var userAuthChallenges = []string{"PASSWORD", "PASSWORD_SRP"}

func (s *Server) initiateUserAuth(p *pool, c *client, params map[string]string) (any, *apiError) {
	username := params["USERNAME"]
	if username == "" {
		return nil, errMissingParameter("USERNAME")
	}
	if err := checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	switch {
	case params["PREFERRED_CHALLENGE"] == "PASSWORD_SRP" && params["SRP_A"] != "":
		return s.initiateSRP(p, c, params)
	case params["PREFERRED_CHALLENGE"] == "PASSWORD" && params["PASSWORD"] != "":
		return s.userAuthPassword(p, c, username, params["PASSWORD"], nil)
	}
	if _, ok := p.users[username]; !ok && c.preventExistence != "ENABLED" {
		return nil, newErr(excUserNotFound, msgUserNotFound)
	}
	token, _ := s.issueSession(kindSelectChallenge, c, username, time.Time{})
	return authResponseJSON{
		ChallengeName: "SELECT_CHALLENGE", Session: token, ChallengeParameters: map[string]string{},
		AvailableChallenges: userAuthChallenges,
	}, nil
}

// userAuthPassword checks a password given in USER_AUTH; on success it
// consumes sess (if any) and goes on as after any good password.
func (s *Server) userAuthPassword(p *pool, c *client, username, password string, sess *session) (any, *apiError) {
	u, err := s.userByPassword(p, c, username, password)
	if err != nil {
		return nil, err
	}
	if sess != nil {
		sess.consume()
	}
	return s.afterPassword(p, c, u)
}

// answerSelectChallenge is RespondToAuthChallenge SELECT_CHALLENGE. u is nil
// for an unknown user under PreventUserExistenceErrors.
func (s *Server) answerSelectChallenge(p *pool, c *client, sess *session, resp map[string]string) (any, *apiError) {
	switch resp["ANSWER"] {
	case "":
		return nil, errMissingParameter("ANSWER")
	case "PASSWORD":
		if resp["PASSWORD"] == "" {
			return nil, errMissingParameter("PASSWORD")
		}
		return s.userAuthPassword(p, c, sess.username, resp["PASSWORD"], sess)
	case "PASSWORD_SRP":
		if resp["SRP_A"] == "" {
			return nil, errMissingParameter("SRP_A")
		}
		out, err := s.initiateSRP(p, c, map[string]string{"USERNAME": sess.username, "SRP_A": resp["SRP_A"], "SECRET_HASH": resp["SECRET_HASH"]})
		if err == nil {
			sess.consume()
		}
		return out, err
	}
	return nil, errInvalidParameter("ANSWER must be one of AvailableChallenges: PASSWORD, PASSWORD_SRP.")
}
