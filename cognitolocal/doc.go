// Package cognitolocal is an Amazon Cognito user-pools endpoint that lives in
// memory: an http.Handler speaking the service's AWS JSON 1.1 protocol
// (POST /, Content-Type application/x-amz-json-1.1,
// X-Amz-Target AWSCognitoIdentityProviderService.<Operation>), so the real AWS
// SDKs and the aws CLI can talk to it with an endpoint override.
//
// It is written by hand: no library offers a Cognito-compatible server. Real
// Cognito is the specification (its API reference and what the service
// answers, call by call and error by error); where its
// behaviour is not documented the choice made is noted in a comment.
//
// Implemented operations:
//
//   - admin (need any SigV4 Authorization header, not verified):
//     CreateUserPool, DescribeUserPool, SetUserPoolMfaConfig,
//     GetUserPoolMfaConfig, CreateUserPoolClient, DescribeUserPoolClient,
//     AdminCreateUser, AdminSetUserPassword, AdminGetUser, AdminDisableUser,
//     AdminEnableUser, AdminSetUserMFAPreference, ListUsers (listusers.go),
//     AdminDeleteSoftwareToken (totp.go), AdminUserGlobalSignOut (refresh.go),
//     CreateGroup, GetGroup, ListGroups, AdminAddUserToGroup,
//     AdminListGroupsForUser, ListUsersInGroup (groups.go);
//   - user (unsigned): InitiateAuth (USER_PASSWORD_AUTH, USER_SRP_AUTH,
//     USER_AUTH with PASSWORD and PASSWORD_SRP, REFRESH_TOKEN_AUTH and
//     REFRESH_TOKEN), GlobalSignOut, RespondToAuthChallenge
//     (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA,
//     SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, SELECT_CHALLENGE),
//     AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference, GetUser.
//
// USER_SRP_AUTH is real SRP-6a as Cognito computes it (internal/srp): each
// user keeps a salt and a verifier, set whenever the password is, and the
// PASSWORD_VERIFIER claim is checked against them (see srp.go).
//
// It also serves GET /<poolId>/.well-known/jwks.json with the key that signs
// its tokens. MFA factors are TOTP, SMS and email (mfa.go); SMS and email codes
// are never sent but filed in an outbox (Server.Outbox, Server.OnMessage). As
// in real Cognito, CreateUserPool turns MFA on only with an SmsConfiguration
// (SMS MFA); for TOTP create the pool with MFA OFF, then call
// SetUserPoolMfaConfig with SoftwareTokenMfaConfiguration Enabled and
// MfaConfiguration ON or OPTIONAL. Wrong codes and passwords lock a user out
// with growing delays (lockout.go); Server.InjectFault makes requests fail on
// purpose, for tests of clients (faults.go). The MFA configuration keeps every
// part a request set (SMS role and message, email message, WebAuthn;
// mfaconfig.go), CreateUserPool's UserPoolAddOns sets threat protection's mode
// (not modelled beyond DescribeUserPool), and Server.UserContexts says what
// UserContextData.IpAddress each sign-in call carried (usercontext.go).
//
// Sessions expire after the app client's AuthSessionValidity and are single
// use; TOTP codes are checked per RFC 6238 with one step of drift; all times
// come from Options.Clock, so tests can move time with a ManualClock.
package cognitolocal
