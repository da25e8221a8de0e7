package cognitolocal

// The parts of a pool's MFA configuration beyond which factors are on: SMS
// delivery (ExternalId, SnsRegion), the email message, and passkeys
// (WebAuthnConfiguration). GetUserPoolMfaConfig returns them as they were set,
// so that an administrator's tool can carry them over into the next
// SetUserPoolMfaConfig and read them back unchanged.
//
// Cognito treats WebAuthn as independent of the MFA factors: a request that
// leaves WebAuthnConfiguration out keeps the pool's, and MFA OFF may come with
// one. A factor's configuration left out turns that factor off (mfa.go).

// webAuthnConfig is a pool's WebAuthnConfiguration.
type webAuthnConfig struct {
	RelyingPartyID      string
	UserVerification    string // required or preferred
	FactorConfiguration string // SINGLE_FACTOR or MULTI_FACTOR_WITH_USER_VERIFICATION; "" when never set
}

type webAuthnConfigJSON struct {
	RelyingPartyId      string `json:"RelyingPartyId,omitempty"`
	UserVerification    string `json:"UserVerification,omitempty"`
	FactorConfiguration string `json:"FactorConfiguration,omitempty"`
}

var (
	enumUserVerification = []string{"required", "preferred"}
	enumWebAuthnFactor   = []string{"SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"}
	enumAdvancedSecurity = []string{"OFF", "AUDIT", "ENFORCED"}
	ruleSMSMessage       = rule(6, 140, `.*\{####\}.*`)
	ruleEmailMFAMessage  = rule(6, 20000, `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`)
	ruleEmailMFASubject  = rule(1, 140, `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`)
	ruleRelyingPartyID   = rule(1, 127, "")
	ruleSnsRegion        = rule(5, 32, `[-\w]+`)
)

// checkMfaConfigMembers applies the service model's constraints to the
// members of a SetUserPoolMfaConfig request beyond the pool and the mode.
func (v *validation) checkMfaConfigMembers(in *setUserPoolMfaConfigInput) {
	if c := in.SmsMfaConfiguration; c != nil {
		v.str("smsMfaConfiguration.smsAuthenticationMessage", c.SmsAuthenticationMessage, false, ruleSMSMessage)
		if sc := c.SmsConfiguration; sc != nil {
			v.str("smsMfaConfiguration.smsConfiguration.snsCallerArn", sc.SnsCallerArn, true, rule(20, 2048, ""))
			v.str("smsMfaConfiguration.smsConfiguration.snsRegion", sc.SnsRegion, false, ruleSnsRegion)
		}
	}
	if c := in.EmailMfaConfiguration; c != nil {
		v.str("emailMfaConfiguration.message", c.Message, false, ruleEmailMFAMessage)
		v.str("emailMfaConfiguration.subject", c.Subject, false, ruleEmailMFASubject)
	}
	if c := in.WebAuthnConfiguration; c != nil {
		v.str("webAuthnConfiguration.relyingPartyId", c.RelyingPartyId, false, ruleRelyingPartyID)
		v.enum("webAuthnConfiguration.userVerification", c.UserVerification, false, enumUserVerification)
		v.enum("webAuthnConfiguration.factorConfiguration", c.FactorConfiguration, false, enumWebAuthnFactor)
	}
}

// setWebAuthn keeps a request's WebAuthnConfiguration; user verification is
// preferred unless said otherwise, as on a new pool.
func (p *pool) setWebAuthn(c *webAuthnConfigJSON) {
	if c == nil {
		return
	}
	w := webAuthnConfig{RelyingPartyID: c.RelyingPartyId, UserVerification: c.UserVerification, FactorConfiguration: c.FactorConfiguration}
	if w.UserVerification == "" {
		w.UserVerification = "preferred"
	}
	p.webAuthn = &w
}

func (p *pool) webAuthnJSON() *webAuthnConfigJSON {
	if p.webAuthn == nil {
		return nil
	}
	w := p.webAuthn
	return &webAuthnConfigJSON{RelyingPartyId: w.RelyingPartyID, UserVerification: w.UserVerification, FactorConfiguration: w.FactorConfiguration}
}

// userPoolAddOnsJSON is UserPoolAddOns: threat protection's mode.
type userPoolAddOnsJSON struct {
	AdvancedSecurityMode string `json:"AdvancedSecurityMode"`
}

func (p *pool) addOns() *userPoolAddOnsJSON {
	if p.advancedSecurity == "" {
		return nil
	}
	return &userPoolAddOnsJSON{AdvancedSecurityMode: p.advancedSecurity}
}
