package cognitolocal

import (
	"strconv"
)

// Admin operations on pools and app clients. They need a SigV4 Authorization
// header (see checkSigned); the handlers run under Server.mu.

type passwordPolicyJSON struct {
	MinimumLength                 *int `json:"MinimumLength,omitempty"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	TemporaryPasswordValidityDays *int `json:"TemporaryPasswordValidityDays,omitempty"`
}

type policiesJSON struct {
	PasswordPolicy *passwordPolicyJSON `json:"PasswordPolicy,omitempty"`
}

type userPoolJSON struct {
	Id                     string       `json:"Id"`
	Name                   string       `json:"Name"`
	Arn                    string       `json:"Arn"`
	MfaConfiguration       string       `json:"MfaConfiguration"`
	Policies               policiesJSON `json:"Policies"`
	CreationDate           epoch        `json:"CreationDate"`
	LastModifiedDate       epoch        `json:"LastModifiedDate"`
	EstimatedNumberOfUsers int          `json:"EstimatedNumberOfUsers"`

	// Threat protection's mode, when the pool has it.
	UserPoolAddOns *userPoolAddOnsJSON `json:"UserPoolAddOns,omitempty"`
}

func (p *pool) describe() userPoolJSON {
	pp := p.policy
	return userPoolJSON{
		Id: p.id, Name: p.name, Arn: p.arn, MfaConfiguration: p.mfa,
		Policies: policiesJSON{PasswordPolicy: &passwordPolicyJSON{
			MinimumLength: &pp.MinimumLength, RequireUppercase: pp.RequireUppercase, RequireLowercase: pp.RequireLowercase,
			RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols,
			TemporaryPasswordValidityDays: &pp.TemporaryPasswordValidityDays,
		}},
		CreationDate: toEpoch(p.created), LastModifiedDate: toEpoch(p.changed), EstimatedNumberOfUsers: len(p.users),
		UserPoolAddOns: p.addOns(),
	}
}

type createUserPoolInput struct {
	PoolName         string
	MfaConfiguration string
	Policies         *policiesJSON
	SmsConfiguration *smsConfigJSON
	Schema           []schemaAttributeJSON
	// UserPoolAddOns turns threat protection on (AUDIT or ENFORCED). Cognito
	// also wants the Plus feature plan for it; plans are not modelled here.
	UserPoolAddOns *userPoolAddOnsJSON
}

// schemaAttributeJSON is one member of CreateUserPool's Schema; only Name and
// Required are used (Required attributes are asked for at NEW_PASSWORD_REQUIRED).
type schemaAttributeJSON struct {
	Name     string
	Required bool
}

// accountID is the account in pool ARNs; there are no accounts here.
const accountID = "000000000000"

func (s *Server) createUserPool(in *createUserPoolInput) (any, *apiError) {
	var v validation
	v.str("poolName", in.PoolName, true, ruleName)
	v.enum("mfaConfiguration", in.MfaConfiguration, false, enumMfaConfiguration)
	if in.UserPoolAddOns != nil {
		v.enum("userPoolAddOns.advancedSecurityMode", in.UserPoolAddOns.AdvancedSecurityMode, true, enumAdvancedSecurity)
	}
	policy := defaultPasswordPolicy
	if in.Policies != nil && in.Policies.PasswordPolicy != nil {
		pp := in.Policies.PasswordPolicy
		// Members left out of a given PasswordPolicy are off, as in Cognito.
		policy = passwordPolicy{
			MinimumLength: 8, RequireUppercase: pp.RequireUppercase, RequireLowercase: pp.RequireLowercase,
			RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols, TemporaryPasswordValidityDays: 7,
		}
		v.intRange("policies.passwordPolicy.minimumLength", pp.MinimumLength, 6, 99)
		v.intRange("policies.passwordPolicy.temporaryPasswordValidityDays", pp.TemporaryPasswordValidityDays, 0, 365)
		if pp.MinimumLength != nil {
			policy.MinimumLength = *pp.MinimumLength
		}
		if pp.TemporaryPasswordValidityDays != nil {
			policy.TemporaryPasswordValidityDays = *pp.TemporaryPasswordValidityDays
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	mfa := in.MfaConfiguration
	if mfa == "" {
		mfa = "OFF"
	}
	// Real Cognito cannot turn TOTP on at CreateUserPool (the request has no
	// SoftwareTokenMfaConfiguration), so MFA ON/OPTIONAL there means SMS MFA.
	var sms smsConfigJSON
	if in.SmsConfiguration != nil {
		sms = *in.SmsConfiguration
	}
	smsArn := sms.SnsCallerArn
	if mfa != "OFF" && smsArn == "" {
		return nil, errInvalidParameter("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	}
	var required []string
	for i, a := range in.Schema {
		v.str("schema."+strconv.Itoa(i+1)+".member.name", a.Name, true, rule(1, 20, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`))
		if a.Required {
			required = append(required, a.Name)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	id := s.region + "_" + randomString(alnum, 9)
	p := &pool{
		id: id, name: in.PoolName, mfa: mfa, policy: policy, created: now, changed: now,
		arn:   "arn:aws:cognito-idp:" + s.region + ":" + accountID + ":userpool/" + id,
		users: map[string]*user{}, smsCallerArn: smsArn, smsEnabled: mfa != "OFF", required: required,
		smsExternalID: sms.ExternalId, smsRegion: sms.SnsRegion,
	}
	if in.UserPoolAddOns != nil {
		p.advancedSecurity = in.UserPoolAddOns.AdvancedSecurityMode
	}
	s.pools[id] = p
	s.savePool(p)
	return map[string]any{"UserPool": p.describe()}, nil
}

type poolIDInput struct{ UserPoolId string }

func (s *Server) poolFromInput(poolID string) (*pool, *apiError) {
	var v validation
	v.str("userPoolId", poolID, true, rulePoolID)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.lookupPool(poolID)
}

func (s *Server) describeUserPool(in *poolIDInput) (any, *apiError) {
	p, err := s.poolFromInput(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return map[string]any{"UserPool": p.describe()}, nil
}

func (s *Server) getUserPoolMfaConfig(in *poolIDInput) (any, *apiError) {
	p, err := s.poolFromInput(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return p.mfaConfig(), nil
}

type userPoolClientJSON struct {
	UserPoolId                      string   `json:"UserPoolId"`
	ClientName                      string   `json:"ClientName"`
	ClientId                        string   `json:"ClientId"`
	ClientSecret                    string   `json:"ClientSecret,omitempty"`
	ExplicitAuthFlows               []string `json:"ExplicitAuthFlows"`
	AuthSessionValidity             int      `json:"AuthSessionValidity"`
	PreventUserExistenceErrors      string   `json:"PreventUserExistenceErrors"`
	RefreshTokenValidity            int      `json:"RefreshTokenValidity"`
	AllowedOAuthFlowsUserPoolClient bool     `json:"AllowedOAuthFlowsUserPoolClient"`
	EnableTokenRevocation           bool     `json:"EnableTokenRevocation"`
	CreationDate                    epoch    `json:"CreationDate"`
	LastModifiedDate                epoch    `json:"LastModifiedDate"`

	EnablePropagateAdditionalUserContextData bool `json:"EnablePropagateAdditionalUserContextData"`
}

func (c *client) describe() userPoolClientJSON {
	return userPoolClientJSON{
		UserPoolId: c.poolID, ClientName: c.name, ClientId: c.id, ClientSecret: c.secret,
		ExplicitAuthFlows: c.flows, AuthSessionValidity: c.sessionMinutes, PreventUserExistenceErrors: c.preventExistence,
		RefreshTokenValidity: 30, EnableTokenRevocation: true, EnablePropagateAdditionalUserContextData: c.propagateContext,
		CreationDate: toEpoch(c.created), LastModifiedDate: toEpoch(c.changed),
	}
}

type createUserPoolClientInput struct {
	UserPoolId                 string
	ClientName                 string
	GenerateSecret             bool
	ClientSecret               string
	ExplicitAuthFlows          []string
	AuthSessionValidity        *int
	PreventUserExistenceErrors string
	// EnablePropagateAdditionalUserContextData lets sign-in calls carry the
	// end user's address (UserContextData); only a client with a secret may.
	EnablePropagateAdditionalUserContextData bool
}

func (s *Server) createUserPoolClient(in *createUserPoolClientInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("clientName", in.ClientName, true, ruleName)
	v.str("clientSecret", in.ClientSecret, false, ruleClientSecret)
	for i, f := range in.ExplicitAuthFlows {
		v.enum("explicitAuthFlows."+strconv.Itoa(i+1)+".member", f, true, enumExplicitAuthFlows)
	}
	v.intRange("authSessionValidity", in.AuthSessionValidity, 3, 15)
	v.enum("preventUserExistenceErrors", in.PreventUserExistenceErrors, false, enumPreventExistence)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	c := &client{
		id: randomString(lowerAlnum, 26), name: in.ClientName, poolID: p.id,
		flows: in.ExplicitAuthFlows, sessionMinutes: 3, preventExistence: "LEGACY",
		created: now, changed: now,
	}
	if len(c.flows) == 0 {
		c.flows = append([]string(nil), defaultExplicitFlows...)
	}
	switch {
	case in.ClientSecret != "":
		c.secret = in.ClientSecret
	case in.GenerateSecret:
		c.secret = randomString(lowerAlnum, 51)
	}
	if in.EnablePropagateAdditionalUserContextData && c.secret == "" {
		return nil, errInvalidParameter(msgPropagateNeedsSecret)
	}
	c.propagateContext = in.EnablePropagateAdditionalUserContextData
	if in.AuthSessionValidity != nil {
		c.sessionMinutes = *in.AuthSessionValidity
	}
	if in.PreventUserExistenceErrors != "" {
		c.preventExistence = in.PreventUserExistenceErrors
	}
	s.clients[c.id] = c
	s.saveClient(c)
	return map[string]any{"UserPoolClient": c.describe()}, nil
}

type describeUserPoolClientInput struct{ UserPoolId, ClientId string }

func (s *Server) describeUserPoolClient(in *describeUserPoolClientInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("clientId", in.ClientId, true, ruleClientID)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	c, ok := s.clients[in.ClientId]
	if !ok || c.poolID != p.id {
		return nil, errClientNotFound(in.ClientId)
	}
	return map[string]any{"UserPoolClient": c.describe()}, nil
}
