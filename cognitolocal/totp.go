package cognitolocal

import (
	"crypto/rand"
	"encoding/base32"
	"slices"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Software tokens: AssociateSoftwareToken, VerifySoftwareToken,
// SetUserMFAPreference and GetUser. Each works on one of two paths:
//
//	session path (first sign-in, pool MFA ON): MFA_SETUP S0 -> Associate -> S1 -> Verify -> S2 -> answer MFA_SETUP
//	access-token path (signed-in user):        Associate -> Verify -> SetUserMFAPreference
//
// Replacing a token works as in Cognito ("Amazon Cognito disassociates an
// existing software token when you verify the new token in a
// VerifySoftwareToken API request"): Associate, on either path, only makes a
// pending secret (user.pendingTOTP); the user's current token (user.totp)
// goes on working for sign-in and stays in AdminGetUser's list. A good code at
// Verify swaps the pending secret in and the old one stops. A newer Associate
// replaces an older pending secret, whose codes then fail Verify. A person
// who abandons a replacement keeps their old authenticator.
//
// The handlers run under Server.mu.

// codeValid checks a TOTP code as Cognito does: RFC 6238, HMAC-SHA1, 6 digits,
// 30 s steps, accepting the step before and after, at the server Clock's time.
// A code is accepted once (RFC 6238 section 5.2): the step of each accepted
// code is kept while it is within the window, and a code of a kept step is
// refused, so the code that verified an app cannot sign in a moment later.
func (s *Server) codeValid(secret, code string) bool {
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	now := s.clock.Now()
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d) * 30 * time.Second)
		if ok, err := totp.ValidateCustom(code, secret, at, opts); err != nil || !ok {
			continue
		}
		step := at.Unix() / 30
		kept := slices.DeleteFunc(s.acceptedSteps[secret], func(st int64) bool { return st < now.Unix()/30-1 })
		if slices.Contains(kept, step) {
			return false
		}
		if s.acceptedSteps == nil {
			s.acceptedSteps = map[string][]int64{}
		}
		s.acceptedSteps[secret] = append(kept, step)
		return true
	}
	return false
}

// newTOTPSecret is 20 random bytes in unpadded base32: 32 characters A-Z2-7.
func newTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

type tokenOrSessionInput struct {
	AccessToken string
	Session     string
}

// validateTokenOrSession checks the shape of AccessToken and Session and that
// exactly one is given (which Cognito does when both are sent is not known;
// refusing is the safe reading of "one or the other").
func validateTokenOrSession(in tokenOrSessionInput, more func(*validation)) *apiError {
	var v validation
	v.str("accessToken", in.AccessToken, false, ruleAccessToken)
	v.str("session", in.Session, false, ruleSession)
	if more != nil {
		more(&v)
	}
	if err := v.err(); err != nil {
		return err
	}
	switch {
	case in.AccessToken == "" && in.Session == "":
		return errInvalidParameter("Either AccessToken or Session is required.")
	case in.AccessToken != "" && in.Session != "":
		return errInvalidParameter("Give either AccessToken or Session, not both.")
	}
	return nil
}

func (s *Server) associateSoftwareToken(in *tokenOrSessionInput) (any, *apiError) {
	if err := validateTokenOrSession(*in, nil); err != nil {
		return nil, err
	}
	if in.Session != "" {
		sess, err := s.checkSession(in.Session, sessionMatch{kind: kindMFASetup})
		if err != nil {
			return nil, err
		}
		if p := s.pools[sess.poolID]; p == nil || !p.totpEnabled {
			return nil, newErr(excSoftwareTokenNotFound, msgPoolTOTPDisabled)
		}
		c := s.clients[sess.clientID]
		sess.consume()
		token, next := s.issueSession(kindAssociated, c, sess.username, sess.authTime)
		next.secret = newTOTPSecret()
		if u := s.pools[sess.poolID].users[sess.username]; u != nil {
			u.pendingTOTP = next.secret // the user's newest association, whichever path made it
			s.saveUser(u)
		}
		return map[string]string{"SecretCode": next.secret, "Session": token}, nil
	}
	p, u, err := s.userFromAccessToken(in.AccessToken)
	if err != nil {
		return nil, err
	}
	if !p.totpEnabled {
		return nil, newErr(excSoftwareTokenNotFound, msgPoolTOTPDisabled)
	}
	// Pending until verified: the current token, if any, stays in use.
	u.pendingTOTP = newTOTPSecret()
	u.changed = s.clock.Now()
	s.saveUser(u)
	return map[string]string{"SecretCode": u.pendingTOTP}, nil
}

type verifySoftwareTokenInput struct {
	AccessToken        string
	Session            string
	UserCode           string
	FriendlyDeviceName string
}

func (s *Server) verifySoftwareToken(in *verifySoftwareTokenInput) (any, *apiError) {
	err := validateTokenOrSession(tokenOrSessionInput{in.AccessToken, in.Session}, func(v *validation) {
		v.str("userCode", in.UserCode, true, ruleUserCode)
		v.str("friendlyDeviceName", in.FriendlyDeviceName, false, ruleDeviceName)
	})
	if err != nil {
		return nil, err
	}
	if in.Session != "" {
		sess, err := s.checkSession(in.Session, sessionMatch{kind: kindAssociated})
		if err != nil {
			return nil, err
		}
		p, u := s.pools[sess.poolID], (*user)(nil)
		if p != nil {
			u = p.users[sess.username]
		}
		if p == nil || !p.totpEnabled || u == nil {
			return nil, newErr(excSoftwareTokenNotFound, msgPoolTOTPDisabled)
		}
		if err := s.codeLocked(u); err != nil {
			return nil, err
		}
		// A secret replaced by a newer association is dead: its codes fail.
		if sess.secret != u.pendingTOTP || !s.codeValid(sess.secret, in.UserCode) {
			s.codeFailed(u)
			return nil, newErr(excEnableSoftwareToken, msgVerifyCodeMismatch) // the session stays usable
		}
		s.codeSucceeded(u)
		sess.consume()
		// The token now belongs to the user, verified, in place of any older
		// one; answering MFA_SETUP with the new session turns it on.
		u.totp = totpState{secret: sess.secret, verified: true, deviceName: in.FriendlyDeviceName}
		u.pendingTOTP = ""
		u.changed = s.clock.Now()
		s.saveUser(u)
		token, next := s.issueSession(kindVerified, s.clients[sess.clientID], sess.username, sess.authTime)
		next.secret, next.deviceName = sess.secret, in.FriendlyDeviceName
		return map[string]string{"Status": "SUCCESS", "Session": token}, nil
	}
	p, u, aerr := s.userFromAccessToken(in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	if !p.totpEnabled {
		return nil, newErr(excSoftwareTokenNotFound, msgPoolTOTPDisabled)
	}
	// The secret to verify is the pending one. Without one, a user whose
	// current token is verified may verify it again (a client retrying a
	// Verify whose answer it lost); that changes nothing.
	secret := u.pendingTOTP
	if secret == "" && u.totp.verified {
		secret = u.totp.secret
	}
	if secret == "" {
		return nil, newErr(excSoftwareTokenNotFound, msgTOTPNotAssociated)
	}
	if err := s.codeLocked(u); err != nil {
		return nil, err
	}
	if !s.codeValid(secret, in.UserCode) {
		s.codeFailed(u)
		return nil, newErr(excEnableSoftwareToken, msgVerifyCodeMismatch)
	}
	s.codeSucceeded(u)
	if u.pendingTOTP != "" {
		// The new token replaces the old one, which stops working now. It
		// keeps the old one's place among the user's MFA settings (enabled,
		// preferred); a first token is verified but not yet enabled:
		// SetUserMFAPreference does that.
		u.totp = totpState{secret: u.pendingTOTP, verified: true, enabled: u.totp.enabled, preferred: u.totp.preferred}
		u.pendingTOTP = ""
	}
	u.totp.deviceName = in.FriendlyDeviceName
	u.changed = s.clock.Now()
	s.saveUser(u)
	return map[string]string{"Status": "SUCCESS"}, nil
}

type getUserJSON struct {
	Username            string      `json:"Username"`
	UserAttributes      []attribute `json:"UserAttributes"`
	UserMFASettingList  []string    `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting string      `json:"PreferredMfaSetting,omitempty"`
}

type accessTokenInput struct{ AccessToken string }

func (s *Server) getUser(in *accessTokenInput) (any, *apiError) {
	u, err := s.accessTokenUser(in.AccessToken)
	if err != nil {
		return nil, err
	}
	list, preferred := u.mfaSettings()
	return getUserJSON{Username: u.username, UserAttributes: u.attrs, UserMFASettingList: list, PreferredMfaSetting: preferred}, nil
}

// adminDeleteSoftwareToken is AdminDeleteSoftwareToken, for a lost or replaced
// phone: it removes the user's software token, any association not yet
// verified and any TOTP preference, and leaves SMS and email MFA as they are.
// In a pool with MFA ON where no other factor is left, the next sign-in is
// MFA_SETUP; in an OPTIONAL pool it asks for no code.
//
// A user with neither a token nor a pending association gets a success that
// changes nothing (not even the modified date): the published model lists no
// error for that case, so a client that handles the documented errors must
// not meet one. An unknown username is still UserNotFoundException. It works
// whether or not the pool has TOTP on.
func (s *Server) adminDeleteSoftwareToken(in *adminUserInput) (any, *apiError) {
	_, u, err := s.userFromInput(*in, nil)
	if err != nil {
		return nil, err
	}
	if u.totp.secret == "" && u.pendingTOTP == "" {
		return struct{}{}, nil
	}
	u.totp, u.pendingTOTP = totpState{}, ""
	u.changed = s.clock.Now()
	s.saveUser(u)
	return struct{}{}, nil
}
