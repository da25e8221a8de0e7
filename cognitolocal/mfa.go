package cognitolocal

import (
	"crypto/subtle"
	"encoding/json"
	"strings"
	"time"
)

// MFA factors: software token (TOTP, totp.go), SMS_MFA and EMAIL_OTP.
//
// A pool turns each factor on with SetUserPoolMfaConfig (SMS also with
// CreateUserPool MfaConfiguration ON/OPTIONAL plus SmsConfiguration); a user
// turns them on with (Admin)SetUserMFAPreference. After a good password, in a
// pool with MFA ON or OPTIONAL, the user's factors that the pool also has on
// decide the challenge (nextStep). SMS and email codes are 6 random digits,
// valid codeValidity, delivered to the server's outbox (outbox.go), never sent.
//
// Choices where Cognito's behaviour is not documented:
//   - SMS MFA needs an SNS caller ARN (any string is accepted) in
//     SmsMfaConfiguration.SmsConfiguration or the pool's SmsConfiguration;
//     email MFA needs nothing (no SES checks);
//   - a user may turn SMS on only with a phone_number attribute, email only with
//     an email attribute (verification is not required);
//   - at most one factor is preferred: preferring one clears the others;
//   - a wrong code leaves the challenge's session usable, as for TOTP.

const codeValidity = 3 * time.Minute

const (
	msgCodeExpired       = "Invalid code provided, please request a code again."
	excExpiredCode       = "ExpiredCodeException"
	msgSMSNeedsConfig    = "SMS configuration with an SnsCallerArn is required to enable SMS MFA."
	msgMFAOffWithFactor  = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	msgMFAOnWithoutOne   = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	msgNoSMSDelivery     = "User does not have delivery config set to turn on SMS_MFA"
	msgNoEmailDelivery   = "User does not have delivery config set to turn on EMAIL_OTP"
	challengeSMS         = "SMS_MFA"
	challengeTOTP        = "SOFTWARE_TOKEN_MFA"
	challengeEmail       = "EMAIL_OTP"
	challengeSelectMFA   = "SELECT_MFA_TYPE"
	challengeMFASetup    = "MFA_SETUP"
	mediumSMS, mediumEML = "SMS", "EMAIL"
)

// factorState is a user's SMS or email factor.
type factorState struct{ enabled, preferred bool }

type smsConfigJSON struct {
	SnsCallerArn string `json:"SnsCallerArn"`
	ExternalId   string `json:"ExternalId,omitempty"`
	SnsRegion    string `json:"SnsRegion,omitempty"`
}

type smsMfaConfigJSON struct {
	SmsAuthenticationMessage string         `json:"SmsAuthenticationMessage,omitempty"`
	SmsConfiguration         *smsConfigJSON `json:"SmsConfiguration,omitempty"`
}

type emailMfaConfigJSON struct {
	Message string `json:"Message,omitempty"`
	Subject string `json:"Subject,omitempty"`
}

type softwareTokenConfigJSON struct {
	Enabled bool `json:"Enabled"`
}

type mfaConfigJSON struct {
	SmsMfaConfiguration           *smsMfaConfigJSON       `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration softwareTokenConfigJSON `json:"SoftwareTokenMfaConfiguration"`
	EmailMfaConfiguration         *emailMfaConfigJSON     `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              string                  `json:"MfaConfiguration"`
	WebAuthnConfiguration         *webAuthnConfigJSON     `json:"WebAuthnConfiguration,omitempty"`
}

type setUserPoolMfaConfigInput struct {
	UserPoolId                    string
	MfaConfiguration              string
	SoftwareTokenMfaConfiguration *softwareTokenConfigJSON
	SmsMfaConfiguration           *smsMfaConfigJSON
	EmailMfaConfiguration         *emailMfaConfigJSON
	WebAuthnConfiguration         *webAuthnConfigJSON
}

// setUserPoolMfaConfig follows Cognito: a factor left out of the request is
// turned off, and its message with it; MFA ON/OPTIONAL with no factor, or OFF
// with one, is refused. WebAuthnConfiguration left out is kept (mfaconfig.go).
// A request without MfaConfiguration keeps the pool's current value (unsure
// what Cognito does there).
func (s *Server) setUserPoolMfaConfig(in *setUserPoolMfaConfigInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.enum("mfaConfiguration", in.MfaConfiguration, false, enumMfaConfiguration)
	v.checkMfaConfigMembers(in)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	mfa := in.MfaConfiguration
	if mfa == "" {
		mfa = p.mfa
	}
	totp := in.SoftwareTokenMfaConfiguration != nil && in.SoftwareTokenMfaConfiguration.Enabled
	sms, email := in.SmsMfaConfiguration != nil, in.EmailMfaConfiguration != nil
	switch {
	case mfa == "OFF" && (totp || sms || email):
		return nil, errInvalidParameter(msgMFAOffWithFactor)
	case mfa != "OFF" && !totp && !sms && !email:
		return nil, errInvalidParameter(msgMFAOnWithoutOne)
	}
	arn, extID, region, msg := p.smsCallerArn, p.smsExternalID, p.smsRegion, ""
	if sms {
		msg = in.SmsMfaConfiguration.SmsAuthenticationMessage
		if c := in.SmsMfaConfiguration.SmsConfiguration; c != nil && c.SnsCallerArn != "" {
			arn, extID, region = c.SnsCallerArn, c.ExternalId, c.SnsRegion
		}
		if arn == "" {
			return nil, errInvalidParameter(msgSMSNeedsConfig)
		}
	}
	emailMsg, emailSubject := "", ""
	if email {
		emailMsg, emailSubject = in.EmailMfaConfiguration.Message, in.EmailMfaConfiguration.Subject
	}
	p.mfa, p.totpEnabled, p.smsEnabled, p.emailEnabled = mfa, totp, sms, email
	p.smsCallerArn, p.smsExternalID, p.smsRegion, p.smsMessage = arn, extID, region, msg
	p.emailMessage, p.emailSubject = emailMsg, emailSubject
	p.setWebAuthn(in.WebAuthnConfiguration)
	p.changed = s.clock.Now()
	s.savePool(p)
	return p.mfaConfig(), nil
}

func (p *pool) mfaConfig() mfaConfigJSON {
	out := mfaConfigJSON{SoftwareTokenMfaConfiguration: softwareTokenConfigJSON{Enabled: p.totpEnabled}, MfaConfiguration: p.mfa,
		WebAuthnConfiguration: p.webAuthnJSON()}
	if p.smsEnabled {
		out.SmsMfaConfiguration = &smsMfaConfigJSON{SmsAuthenticationMessage: p.smsMessage,
			SmsConfiguration: &smsConfigJSON{SnsCallerArn: p.smsCallerArn, ExternalId: p.smsExternalID, SnsRegion: p.smsRegion}}
	}
	if p.emailEnabled {
		out.EmailMfaConfiguration = &emailMfaConfigJSON{Message: p.emailMessage, Subject: p.emailSubject}
	}
	return out
}

type mfaSettingsJSON struct {
	Enabled      bool
	PreferredMfa bool
}

type mfaPreferenceInput struct {
	SoftwareTokenMfaSettings *mfaSettingsJSON
	SMSMfaSettings           *mfaSettingsJSON
	EmailMfaSettings         *mfaSettingsJSON
}

type setUserMFAPreferenceInput struct {
	AccessToken string
	mfaPreferenceInput
}

func (s *Server) setUserMFAPreference(in *setUserMFAPreferenceInput) (any, *apiError) {
	u, err := s.accessTokenUser(in.AccessToken)
	if err != nil {
		return nil, err
	}
	return s.applyMFAPreference(u, &in.mfaPreferenceInput)
}

type adminSetUserMFAPreferenceInput struct {
	UserPoolId, Username string
	mfaPreferenceInput
}

func (s *Server) adminSetUserMFAPreference(in *adminSetUserMFAPreferenceInput) (any, *apiError) {
	_, u, err := s.userFromInput(adminUserInput{in.UserPoolId, in.Username}, nil)
	if err != nil {
		return nil, err
	}
	return s.applyMFAPreference(u, &in.mfaPreferenceInput)
}

// applyMFAPreference checks every requested change before making any.
func (s *Server) applyMFAPreference(u *user, in *mfaPreferenceInput) (any, *apiError) {
	if st := in.SMSMfaSettings; st != nil && st.Enabled {
		if v, _ := u.attr("phone_number"); v == "" {
			return nil, errInvalidParameter(msgNoSMSDelivery)
		}
	}
	if st := in.EmailMfaSettings; st != nil && st.Enabled {
		if v, _ := u.attr("email"); v == "" {
			return nil, errInvalidParameter(msgNoEmailDelivery)
		}
	}
	if st := in.SoftwareTokenMfaSettings; st != nil && st.Enabled && !u.totp.verified {
		return nil, errInvalidParameter(msgTOTPNotSetUp)
	}
	preferring := false
	for _, st := range []*mfaSettingsJSON{in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings} {
		preferring = preferring || st != nil && st.Enabled && st.PreferredMfa
	}
	if preferring { // one preferred factor at most
		u.sms.preferred, u.totp.preferred, u.email.preferred = false, false, false
	}
	// A factor's settings say all of it: the SDKs never send PreferredMfa
	// false (it is the zero value), so an absent PreferredMfa means "not
	// preferred", as it must on Cognito too.
	if st := in.SMSMfaSettings; st != nil {
		u.sms = factorState{enabled: st.Enabled, preferred: st.Enabled && st.PreferredMfa}
	}
	if st := in.EmailMfaSettings; st != nil {
		u.email = factorState{enabled: st.Enabled, preferred: st.Enabled && st.PreferredMfa}
	}
	if st := in.SoftwareTokenMfaSettings; st != nil {
		u.totp.enabled = st.Enabled
		u.totp.preferred = st.Enabled && st.PreferredMfa
	}
	u.changed = s.clock.Now()
	s.saveUser(u)
	return struct{}{}, nil
}

// factors lists the MFA methods u has on that p also has on, in Cognito's
// order, and the preferred one among them ("" if none).
func (p *pool) factors(u *user) (list []string, preferred string) {
	add := func(name string, on, pref bool) {
		if on {
			list = append(list, name)
			if pref {
				preferred = name
			}
		}
	}
	add(challengeSMS, p.smsEnabled && u.sms.enabled, u.sms.preferred)
	add(challengeTOTP, p.totpEnabled && u.totp.enabled, u.totp.preferred)
	add(challengeEmail, p.emailEnabled && u.email.enabled, u.email.preferred)
	return list, preferred
}

// nextStep decides what follows a good password (or new password):
//
//	pool MFA OFF                                    -> tokens
//	user has a preferred factor, or exactly one     -> that factor's challenge
//	user has several, none preferred                -> SELECT_MFA_TYPE
//	pool MFA ON, user without any factor            -> MFA_SETUP
//	pool MFA OPTIONAL, user without any factor      -> tokens
func (s *Server) nextStep(p *pool, c *client, u *user, authTime time.Time) (any, *apiError) {
	if p.mfa == "OFF" {
		return s.tokensResponse(p, c, u, authTime)
	}
	list, preferred := p.factors(u)
	switch {
	case preferred != "":
		return s.mfaChallenge(p, c, u, preferred, authTime), nil
	case len(list) == 1:
		return s.mfaChallenge(p, c, u, list[0], authTime), nil
	case len(list) > 1:
		token, sess := s.issueSession(kindSelectMFA, c, u.username, authTime)
		sess.choices = list
		choose, _ := json.Marshal(list)
		return authResponseJSON{ChallengeName: challengeSelectMFA, Session: token,
			ChallengeParameters: map[string]string{"MFAS_CAN_CHOOSE": string(choose)}}, nil
	case p.mfa == "ON":
		canSetup := []string{}
		if p.smsEnabled {
			canSetup = append(canSetup, challengeSMS)
		}
		if p.totpEnabled {
			canSetup = append(canSetup, challengeTOTP)
		}
		if p.emailEnabled {
			canSetup = append(canSetup, challengeEmail)
		}
		list, _ := json.Marshal(canSetup)
		token, _ := s.issueSession(kindMFASetup, c, u.username, authTime)
		return authResponseJSON{
			ChallengeName: challengeMFASetup, Session: token,
			ChallengeParameters: map[string]string{"MFAS_CAN_SETUP": string(list)},
		}, nil
	}
	return s.tokensResponse(p, c, u, authTime)
}

// mfaChallenge issues the challenge of one factor; for SMS and email it makes
// a code and delivers it to the outbox.
func (s *Server) mfaChallenge(p *pool, c *client, u *user, factor string, authTime time.Time) authResponseJSON {
	switch factor {
	case challengeSMS, challengeEmail:
		kind, medium, attr := kindSMSMFA, mediumSMS, "phone_number"
		if factor == challengeEmail {
			kind, medium, attr = kindEmailOTP, mediumEML, "email"
		}
		token, sess := s.issueSession(kind, c, u.username, authTime)
		sess.code, sess.codeExpires = randomString("0123456789", 6), s.clock.Now().Add(codeValidity)
		dest, _ := u.attr(attr)
		s.deliver(Message{Time: s.clock.Now(), PoolID: p.id, Username: u.username, Medium: medium, Destination: dest, Code: sess.code})
		return authResponseJSON{ChallengeName: factor, Session: token, ChallengeParameters: map[string]string{
			"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
			"CODE_DELIVERY_DESTINATION":     maskDestination(medium, dest),
		}}
	default:
		token, _ := s.issueSession(kindSoftwareTokenMFA, c, u.username, authTime)
		params := map[string]string{}
		if u.totp.deviceName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.totp.deviceName
		}
		return authResponseJSON{ChallengeName: challengeTOTP, Session: token, ChallengeParameters: params}
	}
}

// maskDestination hides a phone number but its last four digits
// ("+*******1234") and an address but the first letters ("d***@e***").
func maskDestination(medium, dest string) string {
	if medium == mediumEML {
		local, domain, _ := strings.Cut(dest, "@")
		first := func(s string) string {
			if s == "" {
				return ""
			}
			return string([]rune(s)[:1])
		}
		return first(local) + "***@" + first(domain) + "***"
	}
	r := []rune(dest)
	for i := range r {
		if i < len(r)-4 && !(i == 0 && r[i] == '+') {
			r[i] = '*'
		}
	}
	return string(r)
}

// answerSelectMFA takes ANSWER and issues the chosen factor's challenge.
func (s *Server) answerSelectMFA(p *pool, c *client, u *user, sess *session, resp map[string]string) (any, *apiError) {
	answer := resp["ANSWER"]
	if answer == "" {
		return nil, errMissingParameter("ANSWER")
	}
	for _, ch := range sess.choices {
		if ch == answer {
			if list, _ := p.factors(u); !contains(list, answer) {
				break // turned off since the choice was offered
			}
			sess.consume()
			return s.mfaChallenge(p, c, u, answer, sess.authTime), nil
		}
	}
	return nil, errInvalidParameter("ANSWER must be one of MFAS_CAN_CHOOSE.")
}

// answerCode checks an SMS_MFA or EMAIL_OTP code: lockout, expiry, then the code.
func (s *Server) answerCode(p *pool, c *client, u *user, sess *session, resp map[string]string) (any, *apiError) {
	key := "SMS_MFA_CODE"
	if sess.kind == kindEmailOTP {
		key = "EMAIL_OTP_CODE"
	}
	code := resp[key]
	if code == "" {
		return nil, errMissingParameter(key)
	}
	now := s.clock.Now()
	if err := s.codeLocked(u); err != nil {
		return nil, err
	}
	if !now.Before(sess.codeExpires) {
		return nil, newErr(excExpiredCode, msgCodeExpired)
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(sess.code)) != 1 {
		s.codeFailed(u)
		return nil, newErr(excCodeMismatch, msgChallengeCodeInvalid)
	}
	s.codeSucceeded(u)
	sess.consume()
	return s.tokensResponse(p, c, u, sess.authTime)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
