// Package admin is the logic of `cognito-totp admin`: what one user's MFA
// looks like and what their next sign-in will ask (Describe), removing a lost
// authenticator (ResetTOTP), and how far a TOTP rollout has got across a pool
// (List, then Read). Unlike the wizard these calls are signed with AWS
// credentials. No terminal code lives here: the commands are in command.go,
// the progress bar in admin/progressui.
package admin

import (
	"context"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// API is the part of the Cognito client the admin commands use. The SDK's
// *cognitoidentityprovider.Client satisfies it.
type API interface {
	poolSettingsAPI // require-mfa's calls (requiremfa.go)
	AdminGetUser(context.Context, *cip.AdminGetUserInput, ...func(*cip.Options)) (*cip.AdminGetUserOutput, error)
	ListUsers(context.Context, *cip.ListUsersInput, ...func(*cip.Options)) (*cip.ListUsersOutput, error)
	ListUsersInGroup(context.Context, *cip.ListUsersInGroupInput, ...func(*cip.Options)) (*cip.ListUsersInGroupOutput, error)
	AdminUserGlobalSignOut(context.Context, *cip.AdminUserGlobalSignOutInput, ...func(*cip.Options)) (*cip.AdminUserGlobalSignOutOutput, error)
	GetUserPoolMfaConfig(context.Context, *cip.GetUserPoolMfaConfigInput, ...func(*cip.Options)) (*cip.GetUserPoolMfaConfigOutput, error)
}

// Admin runs the admin operations on one user pool.
type Admin struct {
	api    API
	poolID string
	retry  RetrySettings
}

// New returns an Admin for poolID that calls api; retry is what the client
// was built with (AdminDeleteSoftwareToken builds its own retryer from it).
func New(api API, poolID string, retry RetrySettings) *Admin {
	return &Admin{api: api, poolID: poolID, retry: retry.withDefaults()}
}

// PoolID is the pool this Admin works on.
func (a *Admin) PoolID() string { return a.poolID }

// IAMActions are the IAM actions the admin commands call, for the README and
// for a policy: each command needs only its own.
var IAMActions = map[string][]string{
	// require-mfa reads users as status does, unless --skip-scan.
	"require-mfa": {"cognito-idp:GetUserPoolMfaConfig", "cognito-idp:DescribeUserPool", "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:ListUsers", "cognito-idp:AdminGetUser"},

	"user":       {"cognito-idp:AdminGetUser", "cognito-idp:GetUserPoolMfaConfig"},
	"reset-totp": {"cognito-idp:AdminGetUser", "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:AdminDeleteSoftwareToken", "cognito-idp:AdminUserGlobalSignOut"},
	"status":     {"cognito-idp:ListUsers", "cognito-idp:ListUsersInGroup", "cognito-idp:AdminGetUser"},
}
