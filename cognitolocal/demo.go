package cognitolocal

// Demo names the pools, clients and users made by SeedDemo. Region,
// UserPoolID, ClientID, Username and TemporaryPassword describe the first user,
// "demo"; Users describes them all.
type Demo struct {
	Region, UserPoolID, ClientID, Username, TemporaryPassword string

	Users            []DemoUser  // the story users, one per sign-in path; the wizard lists these
	Crowd            []CrowdUser // more users of the first pool, in a rollout's mixed states (crowd.go)
	TOTPUserSecret   string      // totp-user's TOTP secret (base32), to compute its codes
	OptionalPoolID   string      // the second pool, MFA OPTIONAL
	OptionalClientID string

	// Groups are the first pool's groups and their members, a team each (groups.go).
	Groups map[string][]string
}

// DemoUser is one seeded user: its password (temporary for "demo") and, in
// one line, what signing in does.
type DemoUser struct{ Username, Password, Story string }

// The demo accounts. Passwords and the TOTP secret are fixed and readable on
// purpose: the wizard shows them so anyone can try every path without AWS.
const (
	demoName         = "cognito-totp-demo"
	demoOptionalName = "cognito-totp-demo-optional"
	demoUsername     = "demo"
	demoEmail        = "demo@example.com"
	demoTempPassword = "Demo-Temp-1234!"
	demoPassword     = "Demo-Pass-1234!"
	demoPhone        = "+15555550100"
	demoTOTPSecret   = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	demoSNSCallerArn = "arn:aws:iam::000000000000:role/cognito-totp-demo-sms"
	demoCrowdSize    = len(crowdPattern)
)

// SeedDemo creates, in-process, the demo pools used when the wizard runs with
// no pool configured. Each call makes new pools.
//
// Pool "cognito-totp-demo": MFA ON with TOTP and SMS (any SNS caller ARN; codes
// go to the Outbox), a client "cognito-totp-demo" without secret allowing
// ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_USER_AUTH and ALLOW_REFRESH_TOKEN_AUTH,
// and these users:
//   - "demo" (demo@example.com, verified), temporary password Demo-Temp-1234!:
//     NEW_PASSWORD_REQUIRED, then MFA_SETUP (enroll TOTP on the session path);
//   - "sms-user" (CONFIRMED, +15555550100 verified), Demo-Pass-1234!, SMS MFA
//     enabled and preferred: SMS_MFA with the code in the Outbox, then tokens;
//     TOTP is then enrolled with the access token;
//   - "totp-user" (CONFIRMED), Demo-Pass-1234!, TOTP enabled with the fixed
//     secret Demo.TOTPUserSecret: SOFTWARE_TOKEN_MFA, then tokens;
//   - "email-user" (CONFIRMED, email verified), email MFA preferred: EMAIL_OTP;
//   - "choose-user" (CONFIRMED), SMS and email MFA, neither preferred:
//     SELECT_MFA_TYPE.
//
// The clients also allow ALLOW_USER_AUTH, for the choice-based sign-in.
//
// The first pool also holds Demo.Crowd: 42 users in the mixed states of a
// TOTP rollout (TOTP, SMS, email, none, disabled, FORCE_CHANGE_PASSWORD,
// UNCONFIRMED, RESET_REQUIRED; see crowd.go), for `cognito-totp admin status`
// and `admin user`. They are not story users: the wizard does not list them.
// Tests of the admin commands call SeedDemo on their own Server, and
// SeedCrowd for a bigger pool.
//
// Pool "cognito-totp-demo-optional": MFA OPTIONAL with TOTP, the same kind of
// client (Demo.OptionalClientID), and
//   - "optional-user" (CONFIRMED), Demo-Pass-1234!: straight to tokens; TOTP
//     can be added with the access token.
func (s *Server) SeedDemo() (Demo, error) {
	s.mu.Lock()
	defer s.unlockSeeded()
	poolID, clientID, err := s.seedPool(demoName, &setUserPoolMfaConfigInput{
		MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: &softwareTokenConfigJSON{Enabled: true},
		SmsMfaConfiguration:   &smsMfaConfigJSON{SmsConfiguration: &smsConfigJSON{SnsCallerArn: demoSNSCallerArn}},
		EmailMfaConfiguration: &emailMfaConfigJSON{},
	})
	if err != nil {
		return Demo{}, err
	}
	optPoolID, optClientID, err := s.seedPool(demoOptionalName, &setUserPoolMfaConfigInput{
		MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: &softwareTokenConfigJSON{Enabled: true},
	})
	if err != nil {
		return Demo{}, err
	}
	d := Demo{
		Region: s.region, UserPoolID: poolID, ClientID: clientID, Username: demoUsername, TemporaryPassword: demoTempPassword,
		TOTPUserSecret: demoTOTPSecret, OptionalPoolID: optPoolID, OptionalClientID: optClientID,
	}
	if _, err := s.adminCreateUser(&adminCreateUserInput{
		UserPoolId: poolID, Username: demoUsername, TemporaryPassword: demoTempPassword, MessageAction: "SUPPRESS",
		UserAttributes: []attribute{{Name: "email", Value: demoEmail}, {Name: "email_verified", Value: "true"}},
	}); err != nil {
		return Demo{}, err
	}
	d.Users = append(d.Users, DemoUser{demoUsername, demoTempPassword,
		"temporary password: NEW_PASSWORD_REQUIRED, then MFA_SETUP to enroll an authenticator"})

	sms, err := s.seedUser(poolID, "sms-user", attribute{"phone_number", demoPhone}, attribute{"phone_number_verified", "true"})
	if err != nil {
		return Demo{}, err
	}
	sms.sms = factorState{enabled: true, preferred: true}
	d.Users = append(d.Users, DemoUser{"sms-user", demoPassword,
		"SMS MFA preferred: SMS_MFA with the code in the outbox, then tokens; then enroll TOTP with the access token"})

	tu, err := s.seedUser(poolID, "totp-user", attribute{"email", "totp-user@example.com"}, attribute{"email_verified", "true"})
	if err != nil {
		return Demo{}, err
	}
	tu.totp = totpState{secret: demoTOTPSecret, verified: true, enabled: true, preferred: true, deviceName: "demo authenticator"}
	d.Users = append(d.Users, DemoUser{"totp-user", demoPassword,
		"TOTP already enabled with the fixed secret " + demoTOTPSecret + ": SOFTWARE_TOKEN_MFA, then tokens"})

	eu, err := s.seedUser(poolID, "email-user", attribute{"email", "email-user@example.com"}, attribute{"email_verified", "true"})
	if err != nil {
		return Demo{}, err
	}
	eu.email = factorState{enabled: true, preferred: true}
	d.Users = append(d.Users, DemoUser{"email-user", demoPassword,
		"email MFA preferred: EMAIL_OTP with the code in the outbox, then tokens; then enroll TOTP with the access token"})

	cu, err := s.seedUser(poolID, "choose-user", attribute{"email", "choose-user@example.com"}, attribute{"email_verified", "true"},
		attribute{"phone_number", "+15555550101"}, attribute{"phone_number_verified", "true"})
	if err != nil {
		return Demo{}, err
	}
	cu.sms, cu.email = factorState{enabled: true}, factorState{enabled: true}
	d.Users = append(d.Users, DemoUser{"choose-user", demoPassword,
		"SMS and email MFA, neither preferred: SELECT_MFA_TYPE, then that factor's code, then tokens"})

	d.Crowd = s.seedCrowd(s.pools[poolID], demoCrowdSize)
	d.Groups = seedGroups(s.pools[poolID], d.Crowd, s.clock.Now())

	if _, err := s.seedUser(optPoolID, "optional-user", attribute{"email", "optional-user@example.com"}, attribute{"email_verified", "true"}); err != nil {
		return Demo{}, err
	}
	d.Users = append(d.Users, DemoUser{"optional-user", demoPassword,
		"pool " + demoOptionalName + " with MFA OPTIONAL: straight to tokens; TOTP can be added with the access token"})
	return d, nil
}

// seedPool makes a pool (MFA OFF, then cfg) and its demo client. Under s.mu.
func (s *Server) seedPool(name string, cfg *setUserPoolMfaConfigInput) (poolID, clientID string, err *apiError) {
	created, err := s.createUserPool(&createUserPoolInput{PoolName: name, MfaConfiguration: "OFF"})
	if err != nil {
		return "", "", err
	}
	poolID = created.(map[string]any)["UserPool"].(userPoolJSON).Id
	cfg.UserPoolId = poolID
	if _, err := s.setUserPoolMfaConfig(cfg); err != nil {
		return "", "", err
	}
	cl, err := s.createUserPoolClient(&createUserPoolClientInput{
		UserPoolId: poolID, ClientName: name,
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	})
	if err != nil {
		return "", "", err
	}
	return poolID, cl.(map[string]any)["UserPoolClient"].(userPoolClientJSON).ClientId, nil
}

// seedUser makes a CONFIRMED user with demoPassword. Under s.mu.
func (s *Server) seedUser(poolID, username string, attrs ...attribute) (*user, *apiError) {
	if _, err := s.adminCreateUser(&adminCreateUserInput{
		UserPoolId: poolID, Username: username, TemporaryPassword: demoPassword, MessageAction: "SUPPRESS", UserAttributes: attrs,
	}); err != nil {
		return nil, err
	}
	if _, err := s.adminSetUserPassword(&adminSetUserPasswordInput{UserPoolId: poolID, Username: username, Password: demoPassword, Permanent: true}); err != nil {
		return nil, err
	}
	return s.pools[poolID].users[username], nil
}
