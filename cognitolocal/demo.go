package cognitolocal

// Demo names the pool, client and user made by SeedDemo.
type Demo struct{ Region, UserPoolID, ClientID, Username, TemporaryPassword string }

// The demo account. The temporary password is fixed and readable on purpose:
// the wizard shows it so anyone can try the whole enrollment without AWS.
const (
	demoName         = "cognito-totp-demo"
	demoUsername     = "demo"
	demoEmail        = "demo@example.com"
	demoTempPassword = "Demo-Temp-1234!"
)

// SeedDemo creates, in-process, the demo pool used when the wizard runs with no
// pool configured: pool "cognito-totp-demo" with MFA ON (TOTP enabled, SMS off),
// a client "cognito-totp-demo" without secret allowing ALLOW_USER_PASSWORD_AUTH,
// ALLOW_USER_SRP_AUTH and ALLOW_REFRESH_TOKEN_AUTH, and a user "demo"
// (demo@example.com, verified) with a temporary password, so its first sign-in
// answers NEW_PASSWORD_REQUIRED, then MFA_SETUP. Each call makes a new pool.
func (s *Server) SeedDemo() (Demo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	created, err := s.createUserPool(&createUserPoolInput{PoolName: demoName, MfaConfiguration: "OFF"})
	if err != nil {
		return Demo{}, err
	}
	poolID := created.(map[string]any)["UserPool"].(userPoolJSON).Id
	enabled := &softwareTokenConfigJSON{Enabled: true}
	if _, err := s.setUserPoolMfaConfig(&setUserPoolMfaConfigInput{
		UserPoolId: poolID, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: enabled,
	}); err != nil {
		return Demo{}, err
	}
	cl, err := s.createUserPoolClient(&createUserPoolClientInput{
		UserPoolId: poolID, ClientName: demoName,
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	})
	if err != nil {
		return Demo{}, err
	}
	clientID := cl.(map[string]any)["UserPoolClient"].(userPoolClientJSON).ClientId
	if _, err := s.adminCreateUser(&adminCreateUserInput{
		UserPoolId: poolID, Username: demoUsername, TemporaryPassword: demoTempPassword, MessageAction: "SUPPRESS",
		UserAttributes: []attribute{{Name: "email", Value: demoEmail}, {Name: "email_verified", Value: "true"}},
	}); err != nil {
		return Demo{}, err
	}
	return Demo{Region: s.region, UserPoolID: poolID, ClientID: clientID, Username: demoUsername, TemporaryPassword: demoTempPassword}, nil
}
