package cognitolocal

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/secrethash"
)

// Sign-in: InitiateAuth (USER_PASSWORD_AUTH; USER_SRP_AUTH is in srp.go,
// USER_AUTH in userauth.go, REFRESH_TOKEN_AUTH in refresh.go) and
// RespondToAuthChallenge (NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA;
// PASSWORD_VERIFIER is in srp.go). The handlers run under Server.mu.

// authResponseJSON is the shape of both InitiateAuth's and
// RespondToAuthChallenge's answers. ChallengeParameters values are always
// strings: lists and objects are JSON-encoded inside the string, as Cognito
// sends them (SDKs decode them as map[string]string).
type authResponseJSON struct {
	ChallengeName        string            `json:"ChallengeName,omitempty"`
	Session              string            `json:"Session,omitempty"`
	ChallengeParameters  map[string]string `json:"ChallengeParameters"`
	AvailableChallenges  []string          `json:"AvailableChallenges,omitempty"` // USER_AUTH's SELECT_CHALLENGE
	AuthenticationResult *authResult       `json:"AuthenticationResult,omitempty"`
}

// finish signs the tokens of a finished sign-in; Server.run calls it once the
// store's lock is released.
func (r authResponseJSON) finish(s *Server) (any, *apiError) {
	if r.AuthenticationResult != nil {
		if err := r.AuthenticationResult.sign(s); err != nil {
			return nil, err
		}
	}
	return r, nil
}

type initiateAuthInput struct {
	AuthFlow        string
	ClientId        string
	AuthParameters  map[string]string
	UserContextData *userContextDataJSON
}

func (s *Server) initiateAuth(in *initiateAuthInput) (any, *apiError) {
	var v validation
	v.enum("authFlow", in.AuthFlow, true, enumAuthFlow)
	v.str("clientId", in.ClientId, true, ruleClientID)
	if err := v.err(); err != nil {
		return nil, err
	}
	c, p, err := s.lookupClient(in.ClientId)
	if err != nil {
		return nil, err
	}
	c.noteContext("InitiateAuth", in.UserContextData)
	if err := checkFlow(c, in.AuthFlow); err != nil {
		return nil, err
	}
	switch in.AuthFlow {
	case "USER_SRP_AUTH":
		return s.initiateSRP(p, c, in.AuthParameters)
	case "USER_AUTH":
		return s.initiateUserAuth(p, c, in.AuthParameters)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refreshTokenAuth(p, c, in.AuthParameters)
	}
	username, password := in.AuthParameters["USERNAME"], in.AuthParameters["PASSWORD"]
	switch {
	case username == "":
		return nil, errMissingParameter("USERNAME")
	case password == "":
		return nil, errMissingParameter("PASSWORD")
	}
	if err := checkSecretHash(c, username, in.AuthParameters["SECRET_HASH"]); err != nil {
		return nil, err
	}
	u, err := s.userByPassword(p, c, username, password)
	if err != nil {
		return nil, err
	}
	return s.afterPassword(p, c, u)
}

// userByPassword finds username and checks password, for every flow that
// sends the password itself. The password is checked before the account
// state, so a disabled account is not revealed to someone who does not know
// its password.
func (s *Server) userByPassword(p *pool, c *client, username, password string) (*user, *apiError) {
	u, ok := p.users[username]
	if !ok {
		if c.preventExistence == "ENABLED" {
			return nil, errNotAuthorized(msgIncorrectCredentials)
		}
		return nil, newErr(excUserNotFound, msgUserNotFound)
	}
	if err := s.passwordLocked(u); err != nil {
		return nil, err
	}
	if err := s.checkPassword(u, u.passwordIs(p, password)); err != nil {
		return nil, err
	}
	return u, nil
}

// afterPassword is what follows a proven password, in either flow: the
// account state, then NEW_PASSWORD_REQUIRED or the next step.
func (s *Server) afterPassword(p *pool, c *client, u *user) (any, *apiError) {
	if !u.enabled {
		return nil, errNotAuthorized(msgUserDisabled)
	}
	switch u.status {
	case "UNCONFIRMED":
		return nil, newErr(excUserNotConfirmed, "User is not confirmed.")
	case "RESET_REQUIRED":
		return nil, newErr(excPasswordResetRequired, "Password reset required for the user")
	}
	now := s.clock.Now()
	if u.status == "FORCE_CHANGE_PASSWORD" {
		days := p.policy.TemporaryPasswordValidityDays
		if days > 0 && now.After(u.changed.Add(time.Duration(days)*24*time.Hour)) {
			return nil, errNotAuthorized("Temporary password has expired and must be reset by an administrator.")
		}
		return s.newPasswordChallenge(p, c, u, now), nil
	}
	return s.nextStep(p, c, u, now)
}

// checkFlow refuses flows the app client does not allow, with Cognito's
// message, and valid flows this endpoint does not implement, saying so.
func checkFlow(c *client, flow string) *apiError {
	if strings.HasPrefix(flow, "ADMIN_") {
		return errInvalidParameter("Initiate Auth method not supported.")
	}
	allowed := map[string][]string{
		"USER_PASSWORD_AUTH": {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"},
		"USER_SRP_AUTH":      {"ALLOW_USER_SRP_AUTH"},
		"REFRESH_TOKEN_AUTH": {"ALLOW_REFRESH_TOKEN_AUTH"},
		"REFRESH_TOKEN":      {"ALLOW_REFRESH_TOKEN_AUTH"},
		"CUSTOM_AUTH":        {"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"},
		"USER_AUTH":          {"ALLOW_USER_AUTH"},
	}[flow]
	ok := false
	for _, a := range allowed {
		ok = ok || c.allows(a)
	}
	if !ok {
		return errInvalidParameter(flow + " flow not enabled for this client")
	}
	if flow == "CUSTOM_AUTH" {
		return errInvalidParameter("The " + flow + " flow is not implemented by cognitolocal (this local endpoint); use USER_PASSWORD_AUTH, USER_SRP_AUTH, USER_AUTH or REFRESH_TOKEN_AUTH.")
	}
	return nil
}

// checkSecretHash requires a correct SECRET_HASH when the client has a secret.
// A client without a secret ignores one, as Cognito does.
func checkSecretHash(c *client, username, given string) *apiError {
	if c.secret == "" {
		return nil
	}
	if given == "" {
		return errNotAuthorized("Client " + c.id + " is configured with secret but SECRET_HASH was not received")
	}
	if !secrethash.Equal(given, secrethash.Of(c.secret, username, c.id)) {
		return errNotAuthorized("Unable to verify secret hash for client " + c.id)
	}
	return nil
}

// newPasswordChallenge asks a FORCE_CHANGE_PASSWORD user for a new password.
// userAttributes carries the user's attributes except sub; Cognito includes
// email_verified there (client libraries strip it before answering).
func (s *Server) newPasswordChallenge(p *pool, c *client, u *user, authTime time.Time) authResponseJSON {
	attrs := map[string]string{}
	for _, a := range u.attrs {
		if a.Name != "sub" {
			attrs[a.Name] = a.Value
		}
	}
	attrJSON, _ := json.Marshal(attrs)
	token, _ := s.issueSession(kindNewPassword, c, u.username, authTime)
	required := []string{}
	for _, name := range p.required {
		if v, _ := u.attr(name); v == "" {
			required = append(required, "userAttributes."+name)
		}
	}
	reqJSON, _ := json.Marshal(required)
	return authResponseJSON{
		ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session:       token,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":    u.username,
			"requiredAttributes": string(reqJSON),
			"userAttributes":     string(attrJSON),
		},
	}
}

func (s *Server) tokensResponse(p *pool, c *client, u *user, authTime time.Time) (any, *apiError) {
	return authResponseJSON{ChallengeParameters: map[string]string{}, AuthenticationResult: s.issueTokens(p, c, u, authTime)}, nil
}
