package cognitolocal

import "strconv"

// Admin operations on users. They need a SigV4 Authorization header (see
// checkSigned); the handlers run under Server.mu.

type userJSON struct {
	Username             string      `json:"Username"`
	Attributes           []attribute `json:"Attributes"`
	UserCreateDate       epoch       `json:"UserCreateDate"`
	UserLastModifiedDate epoch       `json:"UserLastModifiedDate"`
	Enabled              bool        `json:"Enabled"`
	UserStatus           string      `json:"UserStatus"`
}

type adminCreateUserInput struct {
	UserPoolId             string
	Username               string
	UserAttributes         []attribute
	TemporaryPassword      string
	MessageAction          string
	DesiredDeliveryMediums []string
}

// adminCreateUser creates a user in FORCE_CHANGE_PASSWORD. No message is ever
// sent, whatever MessageAction says; RESEND resets the temporary password of an
// existing user.
func (s *Server) adminCreateUser(in *adminCreateUserInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("username", in.Username, true, ruleUsername)
	v.str("temporaryPassword", in.TemporaryPassword, false, rulePassword)
	v.enum("messageAction", in.MessageAction, false, enumMessageAction)
	for i, m := range in.DesiredDeliveryMediums {
		v.enum("desiredDeliveryMediums."+strconv.Itoa(i+1)+".member", m, true, enumDeliveryMediums)
	}
	checkAttributes(&v, "userAttributes", in.UserAttributes)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	for _, a := range in.UserAttributes {
		if a.Name == "sub" {
			return nil, errInvalidParameter("Invalid user attributes: sub: Attribute cannot be set.")
		}
	}
	u, exists := p.users[in.Username]
	switch {
	case in.MessageAction == "RESEND" && !exists:
		return nil, newErr(excUserNotFound, msgUserNotFound)
	case in.MessageAction != "RESEND" && exists:
		return nil, newErr(excUsernameExists, "User account already exists")
	}
	temp := in.TemporaryPassword
	if temp == "" {
		temp = p.policy.generatePassword()
	} else if err := p.policy.check(temp); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if !exists {
		u = &user{username: in.Username, sub: newUUID(), enabled: true, created: now}
		u.attrs = []attribute{{Name: "sub", Value: u.sub}}
		p.users[u.username] = u
	}
	for _, a := range in.UserAttributes {
		u.setAttr(a.Name, a.Value)
	}
	u.setPassword(p, temp)
	u.status, u.changed = "FORCE_CHANGE_PASSWORD", now
	s.saveUser(u)
	return map[string]any{"User": userJSON{
		Username: u.username, Attributes: u.attrs, Enabled: u.enabled, UserStatus: u.status,
		UserCreateDate: toEpoch(u.created), UserLastModifiedDate: toEpoch(u.changed),
	}}, nil
}

func checkAttributes(v *validation, field string, attrs []attribute) {
	for i, a := range attrs {
		f := field + "." + strconv.Itoa(i+1) + ".member"
		v.str(f+".name", a.Name, true, ruleAttrName)
		v.str(f+".value", a.Value, false, ruleAttrValue)
	}
}

type adminUserInput struct{ UserPoolId, Username string }

// userFromInput validates UserPoolId and Username, then finds the user.
func (s *Server) userFromInput(in adminUserInput, more func(*validation)) (*pool, *user, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("username", in.Username, true, ruleUsername)
	if more != nil {
		more(&v)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, nil, err
	}
	u, err := p.lookupUser(in.Username)
	if err != nil {
		return nil, nil, err
	}
	return p, u, nil
}

type adminSetUserPasswordInput struct {
	UserPoolId, Username, Password string
	Permanent                      bool
}

func (s *Server) adminSetUserPassword(in *adminSetUserPasswordInput) (any, *apiError) {
	p, u, err := s.userFromInput(adminUserInput{in.UserPoolId, in.Username}, func(v *validation) {
		v.str("password", in.Password, true, rulePassword)
	})
	if err != nil {
		return nil, err
	}
	if err := p.policy.check(in.Password); err != nil {
		return nil, err
	}
	u.setPassword(p, in.Password)
	u.status = "FORCE_CHANGE_PASSWORD"
	if in.Permanent {
		u.status = "CONFIRMED"
	}
	u.changed = s.clock.Now()
	s.saveUser(u)
	return struct{}{}, nil
}

type adminGetUserJSON struct {
	Username             string      `json:"Username"`
	UserAttributes       []attribute `json:"UserAttributes"`
	UserCreateDate       epoch       `json:"UserCreateDate"`
	UserLastModifiedDate epoch       `json:"UserLastModifiedDate"`
	Enabled              bool        `json:"Enabled"`
	UserStatus           string      `json:"UserStatus"`
	UserMFASettingList   []string    `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting  string      `json:"PreferredMfaSetting,omitempty"`
}

func (s *Server) adminGetUser(in *adminUserInput) (any, *apiError) {
	_, u, err := s.userFromInput(*in, nil)
	if err != nil {
		return nil, err
	}
	list, preferred := u.mfaSettings()
	return adminGetUserJSON{
		Username: u.username, UserAttributes: u.attrs, Enabled: u.enabled, UserStatus: u.status,
		UserCreateDate: toEpoch(u.created), UserLastModifiedDate: toEpoch(u.changed),
		UserMFASettingList: list, PreferredMfaSetting: preferred,
	}, nil
}

func (s *Server) adminDisableUser(in *adminUserInput) (any, *apiError) {
	return s.setEnabled(in, false)
}

func (s *Server) adminEnableUser(in *adminUserInput) (any, *apiError) { return s.setEnabled(in, true) }

func (s *Server) setEnabled(in *adminUserInput, enabled bool) (any, *apiError) {
	_, u, err := s.userFromInput(*in, nil)
	if err != nil {
		return nil, err
	}
	u.enabled, u.changed = enabled, s.clock.Now()
	s.saveUser(u)
	return struct{}{}, nil
}
