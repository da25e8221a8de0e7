package admin

import (
	"context"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Making MFA required for a whole pool (`admin require-mfa`), and optional
// again. Cognito allows it on an existing pool only through
// SetUserPoolMfaConfig, whose one request sets the SMS, email, TOTP and
// WebAuthn configurations together: a part left out may switch off a factor
// people sign in with. So the change carries over every part exactly as
// GetUserPoolMfaConfig returned it, then reads the configuration back and
// compares.

// poolSettingsAPI is what require-mfa calls beyond API's reads.
type poolSettingsAPI interface {
	DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error)
	SetUserPoolMfaConfig(context.Context, *cip.SetUserPoolMfaConfigInput, ...func(*cip.Options)) (*cip.SetUserPoolMfaConfigOutput, error)
}

// KindPoolSetting: the pool's configuration rules the change out (TOTP not
// enabled, MFA already so), or the change did not read back as asked.
const KindPoolSetting Kind = 100

// MfaConfig is a pool's MFA configuration as GetUserPoolMfaConfig returns it.
type MfaConfig struct {
	Mode     types.UserPoolMfaType
	SMS      *types.SmsMfaConfigType
	TOTP     *types.SoftwareTokenMfaConfigType
	Email    *types.EmailMfaConfigType
	WebAuthn *types.WebAuthnConfigurationType
}

// TOTPEnabled reports whether people can set up an authenticator app.
func (m MfaConfig) TOTPEnabled() bool { return m.TOTP != nil && m.TOTP.Enabled }

// pool is m as admin user says it: "MFA optional (authenticator app, SMS)".
func (m MfaConfig) pool() PoolMFA {
	mode := string(m.Mode)
	if mode == "" {
		mode = "OFF"
	}
	return PoolMFA{Mode: mode, TOTP: m.TOTPEnabled(), SMS: m.SMS != nil, Email: m.Email != nil}
}

// MfaConfig reads the pool's MFA configuration.
func (a *Admin) MfaConfig(ctx context.Context) (MfaConfig, error) {
	out, err := a.api.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(a.poolID)})
	if err != nil {
		return MfaConfig{}, fromAWS("GetUserPoolMfaConfig", err)
	}
	return MfaConfig{Mode: out.MfaConfiguration, SMS: out.SmsMfaConfiguration, TOTP: out.SoftwareTokenMfaConfiguration,
		Email: out.EmailMfaConfiguration, WebAuthn: out.WebAuthnConfiguration}, nil
}

// ThreatProtectionEnforced reports whether the pool's threat protection
// (UserPoolAddOns.AdvancedSecurityMode) is ENFORCED, as DescribeUserPool says.
func (a *Admin) ThreatProtectionEnforced(ctx context.Context) (bool, error) {
	out, err := a.api.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(a.poolID)})
	if err != nil {
		return false, fromAWS("DescribeUserPool", err)
	}
	return out.UserPool != nil && out.UserPool.UserPoolAddOns != nil &&
		out.UserPool.UserPoolAddOns.AdvancedSecurityMode == types.AdvancedSecurityModeTypeEnforced, nil
}

// CheckSwitch says why the pool cannot be switched to mode from now, or nil.
func CheckSwitch(poolID string, now MfaConfig, mode types.UserPoolMfaType) error {
	switch {
	case mode == types.UserPoolMfaTypeOn && now.Mode == types.UserPoolMfaTypeOn:
		return newError(KindPoolSetting, say(i18n.AdminErrRequireAlready, "PoolID", poolID))
	case mode == types.UserPoolMfaTypeOn && !now.TOTPEnabled():
		return newError(KindPoolSetting, say(i18n.AdminErrRequireNoTOTP, "PoolID", poolID, "MFA", now.pool().describe()))
	case mode == types.UserPoolMfaTypeOptional && now.Mode != types.UserPoolMfaTypeOn:
		return newError(KindPoolSetting, say(i18n.AdminErrOptionalAlready, "PoolID", poolID, "MFA", now.pool().describe()))
	}
	return nil
}

// SetMfaMode sets the pool's MfaConfiguration to mode with every other part
// of the configuration as in now, then reads the configuration back: it
// returns what it read, and an error if MFA is not mode or any other part
// differs from now.
func (a *Admin) SetMfaMode(ctx context.Context, now MfaConfig, mode types.UserPoolMfaType) (MfaConfig, error) {
	_, err := a.api.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(a.poolID), MfaConfiguration: mode,
		SmsMfaConfiguration: now.SMS, SoftwareTokenMfaConfiguration: now.TOTP, EmailMfaConfiguration: now.Email,
		WebAuthnConfiguration: now.WebAuthn})
	if err != nil {
		return MfaConfig{}, fromAWS("SetUserPoolMfaConfig", err)
	}
	after, err := a.MfaConfig(ctx)
	if err != nil {
		return MfaConfig{}, err
	}
	if after.Mode != mode {
		return after, newError(KindPoolSetting, say(i18n.AdminErrRequireNotSet, "PoolID", a.poolID, "MFA", after.pool().describe()))
	}
	if parts := changedParts(now, after); len(parts) > 0 {
		return after, newError(KindPoolSetting, say(i18n.AdminErrRequireChanged, "PoolID", a.poolID, "Parts", listOf(parts)))
	}
	return after, nil
}

// changedParts names the parts of the configuration that differ, MFA's mode
// aside.
func changedParts(before, after MfaConfig) []text {
	var parts []text
	for _, p := range []struct {
		a, b any
		name i18n.Key
	}{
		{before.SMS, after.SMS, i18n.AdminFactorSMS},
		{before.Email, after.Email, i18n.AdminFactorEmail},
		{before.TOTPEnabled(), after.TOTPEnabled(), i18n.AdminFactorTOTP},
		{before.WebAuthn, after.WebAuthn, i18n.AdminRequirePartWebauthn},
	} {
		if !reflect.DeepEqual(p.a, p.b) {
			parts = append(parts, say(p.name))
		}
	}
	return parts
}

// listOf joins texts two at a time: "SMS, email".
func listOf(ts []text) any {
	var out any
	for i, t := range ts {
		if i == 0 {
			out = t
			continue
		}
		out = say(i18n.AdminList, "A", out, "B", t)
	}
	return out
}

// Affected is who a switch to MFA required touches, from a status scan.
type Affected struct {
	NoFactor  int // will be asked to set up an authenticator app (MFA_SETUP)
	OtherOnly int // SMS or email MFA only: keep that factor
	TOTP      int // already have an authenticator app
	Disabled  int // not read; cannot sign in
}

// AffectedBy counts a status report's users by what require-mfa does to them.
func AffectedBy(r Report) Affected {
	return Affected{NoFactor: r.Summary.NoMFA, OtherOnly: r.Summary.OtherMFA, TOTP: r.Summary.TOTP, Disabled: r.Summary.Disabled}
}
