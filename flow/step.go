package flow

import (
	"encoding/json"
	"time"
)

// Challenge names as Cognito spells them.
const (
	ChallengeNewPassword   = "NEW_PASSWORD_REQUIRED"
	ChallengeMFASetup      = "MFA_SETUP"
	ChallengeSoftwareToken = "SOFTWARE_TOKEN_MFA"
	ChallengeSelectMFA     = "SELECT_MFA_TYPE"
	ChallengeSMS           = "SMS_MFA"
	ChallengeEmailOTP      = "EMAIL_OTP"
	ChallengePassword      = "PASSWORD_VERIFIER"
	ChallengeSelect        = "SELECT_CHALLENGE"
)

// Tokens are what a finished sign-in returns.
type Tokens struct {
	AccessToken  string
	IDToken      string
	RefreshToken string
	ExpiresIn    time.Duration
}

// Step is what Cognito wants next: a challenge to answer within Session's
// lifetime, or, when Challenge is empty, a finished sign-in with Tokens.
type Step struct {
	Challenge  string
	Parameters map[string]string // as Cognito sent them (strings, some JSON inside)
	Session    string
	// Username is the name Cognito knows the user by (USER_ID_FOR_SRP or
	// USERNAME in the parameters, else what was typed). Answers and
	// SECRET_HASH use it, never an alias.
	Username string
	Expires  time.Time // when Session stops being accepted; zero when there is none
	Tokens   *Tokens
	// PhoneOffset is set by AnswerNewTOTP: the authenticator's estimated
	// clock offset when the accepted code was of a step next to Cognito's.
	PhoneOffset time.Duration

	// Decoded from Parameters, once, here.
	CanSetup           []string          // MFAS_CAN_SETUP
	CanChoose          []string          // MFAS_CAN_CHOOSE
	UserAttributes     map[string]string // userAttributes (NEW_PASSWORD_REQUIRED)
	RequiredAttributes []string          // requiredAttributes, without the "userAttributes." prefix
	DeliveryMedium     string            // CODE_DELIVERY_DELIVERY_MEDIUM: SMS or EMAIL
	DeliveryTo         string            // CODE_DELIVERY_DESTINATION, masked by Cognito
	Available          []string          // AvailableChallenges of SELECT_CHALLENGE
}

// SignedIn reports whether the step is a finished sign-in.
func (s Step) SignedIn() bool { return s.Challenge == "" && s.Tokens != nil }

// TimeLeft is how long Session still lives at now; zero when it has run out or there is none.
func (s Step) TimeLeft(now time.Time) time.Duration {
	if s.Expires.IsZero() || !now.Before(s.Expires) {
		return 0
	}
	return s.Expires.Sub(now)
}

// newStep decodes a challenge response. typed is the name the person typed,
// used when Cognito names nobody.
func newStep(challenge string, params map[string]string, session *string, typed string, expires time.Time) (Step, error) {
	s := Step{Challenge: challenge, Parameters: params, Username: typed}
	if session != nil {
		s.Session = *session
		s.Expires = expires
	}
	if v := params["USER_ID_FOR_SRP"]; v != "" {
		s.Username = v
	} else if v := params["USERNAME"]; v != "" {
		s.Username = v
	}
	s.DeliveryMedium = params["CODE_DELIVERY_DELIVERY_MEDIUM"]
	s.DeliveryTo = params["CODE_DELIVERY_DESTINATION"]
	var err error
	if v, ok := params["MFAS_CAN_SETUP"]; ok {
		err = firstErr(err, json.Unmarshal([]byte(v), &s.CanSetup))
	}
	if v, ok := params["MFAS_CAN_CHOOSE"]; ok {
		err = firstErr(err, json.Unmarshal([]byte(v), &s.CanChoose))
	}
	if v, ok := params["userAttributes"]; ok {
		err = firstErr(err, json.Unmarshal([]byte(v), &s.UserAttributes))
	}
	if v, ok := params["requiredAttributes"]; ok {
		var req []string
		err = firstErr(err, json.Unmarshal([]byte(v), &req))
		for _, r := range req {
			s.RequiredAttributes = append(s.RequiredAttributes, trimPrefix(r, "userAttributes."))
		}
	}
	return s, err
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
