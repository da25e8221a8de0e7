package admin

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// The MFA factors as Cognito names them in UserMFASettingList.
const (
	FactorTOTP  = "SOFTWARE_TOKEN_MFA"
	FactorSMS   = "SMS_MFA"
	FactorEmail = "EMAIL_OTP"
)

// User is one user's account state and MFA factors, as AdminGetUser says.
type User struct {
	Username  string   `json:"username"`
	Status    string   `json:"status"` // UserStatus: CONFIRMED, FORCE_CHANGE_PASSWORD, ...
	Enabled   bool     `json:"enabled"`
	Factors   []string `json:"mfa"`                 // UserMFASettingList, in Cognito's order
	Preferred string   `json:"preferred,omitempty"` // PreferredMfaSetting
}

// HasTOTP reports whether the user has an authenticator app enabled.
func (u User) HasTOTP() bool { return slices.Contains(u.Factors, FactorTOTP) }

// withoutTOTP is u as AdminDeleteSoftwareToken leaves it.
func (u User) withoutTOTP() User {
	u.Factors = slices.DeleteFunc(slices.Clone(u.Factors), func(f string) bool { return f == FactorTOTP })
	if u.Preferred == FactorTOTP {
		u.Preferred = ""
	}
	return u
}

// PoolMFA is a pool's MFA configuration (GetUserPoolMfaConfig).
type PoolMFA struct {
	Mode  string `json:"mfa"` // OFF, ON (required) or OPTIONAL
	TOTP  bool   `json:"totp"`
	SMS   bool   `json:"sms"`
	Email bool   `json:"email"`
}

// Describe says the pool's MFA mode in words: "MFA required (authenticator app, SMS)".
func (p PoolMFA) Describe() string { return p.describe().english() }

func (p PoolMFA) describe() text {
	var on []string
	for _, f := range []struct {
		on     bool
		factor string
	}{{p.TOTP, FactorTOTP}, {p.SMS, FactorSMS}, {p.Email, FactorEmail}} {
		if f.on {
			on = append(on, f.factor)
		}
	}
	var mode text
	switch p.Mode {
	case "ON":
		mode = say(i18n.AdminPoolMFAOn)
	case "OPTIONAL":
		mode = say(i18n.AdminPoolMFAOptional)
	case "OFF":
		mode = say(i18n.AdminPoolMFAOff)
	default:
		mode = say(i18n.AdminPoolMFAOther, "Mode", p.Mode)
	}
	if p.Mode == "OFF" || len(on) == 0 {
		return mode
	}
	return say(i18n.AdminPoolMFAFactors, "Mode", mode, "Factors", joined(i18n.AdminList, on))
}

func (p PoolMFA) allows(factor string) bool {
	switch factor {
	case FactorTOTP:
		return p.TOTP
	case FactorSMS:
		return p.SMS
	case FactorEmail:
		return p.Email
	}
	return false
}

// Next is what the user's next sign-in will ask, as far as MFA goes.
type Next int

const (
	NextNoCode    Next = iota // tokens after the password: no MFA asked
	NextTOTP                  // a code from the authenticator app (SOFTWARE_TOKEN_MFA)
	NextSetUpTOTP             // set up MFA first (MFA_SETUP); the wizard enrolls an app
	NextOther                 // another factor's code (SMS_MFA or EMAIL_OTP), not the app
	NextChoose                // a choice of factor (SELECT_MFA_TYPE), then its code
	NextDisabled              // no sign-in at all: the user is disabled
)

var nextNames = [...]string{"no_code", "totp_code", "set_up_mfa", "other_factor", "choose_factor", "disabled"}

func (n Next) String() string { return nextNames[n] }

// MarshalText names n in JSON output.
func (n Next) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText reads a name MarshalText wrote.
func (n *Next) UnmarshalText(b []byte) error {
	for i, name := range nextNames {
		if name == string(b) {
			*n = Next(i)
			return nil
		}
	}
	return fmt.Errorf("unknown next sign-in %q", b)
}

// Prediction is what the next sign-in asks and a sentence saying so, in
// English (the JSON output's); In says it in another language.
type Prediction struct {
	Next     Next   `json:"asks"`
	Sentence string `json:"sentence"`
	text     text
}

func predicted(n Next, t text) Prediction { return Prediction{Next: n, Sentence: t.english(), text: t} }

// In is the sentence in l's language: what follows "Cognito" in "At their
// next sign-in Cognito asks ...".
func (p Prediction) In(l *i18n.Localizer) string {
	if p.text.key == "" {
		return p.Sentence // read back from JSON
	}
	return p.text.In(l)
}

// Predict says what the user's next sign-in asks, following Cognito's rules
// (the same cognitolocal implements): with MFA off, nothing; a preferred
// factor, or the only one, is asked; several with none preferred give a
// choice; none at all give MFA_SETUP in a required pool and tokens in an
// optional one. Factors the pool has turned off do not count.
func Predict(p PoolMFA, u User) Prediction {
	if !u.Enabled {
		return predicted(NextDisabled, say(i18n.AdminNextDisabled))
	}
	// An account that must do something before any MFA says so first.
	asks, noCodeKey := i18n.AdminNextAsks, i18n.AdminNextNoCode
	switch types.UserStatusType(u.Status) {
	case types.UserStatusTypeForceChangePassword:
		asks, noCodeKey = i18n.AdminNextAfterNewPassword, i18n.AdminNextNewPasswordNoCode
	case types.UserStatusTypeResetRequired:
		asks, noCodeKey = i18n.AdminNextAfterReset, i18n.AdminNextAfterResetNoCode
	case types.UserStatusTypeUnconfirmed:
		asks, noCodeKey = i18n.AdminNextAfterConfirm, i18n.AdminNextAfterConfirmNoCode
	}
	ask := func(n Next, what text) Prediction { return predicted(n, say(asks, "What", what)) }
	noCode := func(why i18n.Key) Prediction { return predicted(NextNoCode, say(noCodeKey, "Why", say(why))) }
	if p.Mode == "OFF" {
		return noCode(i18n.AdminWhyMFAOff)
	}
	var factors []string
	for _, f := range u.Factors {
		if p.allows(f) {
			factors = append(factors, f)
		}
	}
	factor := ""
	switch {
	case u.Preferred != "" && slices.Contains(factors, u.Preferred):
		factor = u.Preferred
	case len(factors) == 1:
		factor = factors[0]
	case len(factors) > 1:
		return ask(NextChoose, say(i18n.AdminWhatChoose, "Factors", joined(i18n.AdminOr, factors)))
	case p.Mode == "ON":
		return ask(NextSetUpTOTP, say(i18n.AdminWhatSetUp))
	default:
		return noCode(i18n.AdminWhyNoFactor)
	}
	switch factor {
	case FactorTOTP:
		return ask(NextTOTP, say(i18n.AdminWhatTOTP))
	case FactorEmail:
		return ask(NextOther, say(i18n.AdminWhatEmail))
	}
	return ask(NextOther, say(i18n.AdminWhatSMS))
}

// factorName is a factor in words ("authenticator app"); one this tool does
// not know keeps Cognito's name.
func factorName(f string) any {
	switch f {
	case FactorTOTP:
		return say(i18n.AdminFactorTOTP)
	case FactorSMS:
		return say(i18n.AdminFactorSMS)
	case FactorEmail:
		return say(i18n.AdminFactorEmail)
	}
	return f
}

// joined is factors in words, joined two at a time with key ("{{.A}} or
// {{.B}}"): "authenticator app or SMS or email".
func joined(key i18n.Key, factors []string) any {
	var out any
	for i, f := range factors {
		if i == 0 {
			out = factorName(f)
			continue
		}
		out = say(key, "A", out, "B", factorName(f))
	}
	return out
}

// UserReport is what `admin user` shows: the user, the pool's MFA mode and
// what the next sign-in asks.
type UserReport struct {
	PoolID string     `json:"user_pool_id"`
	User   User       `json:"user"`
	Pool   PoolMFA    `json:"pool"`
	Next   Prediction `json:"next_sign_in"`
}

// Describe reads username's account (AdminGetUser) and the pool's MFA
// configuration (GetUserPoolMfaConfig).
func (a *Admin) Describe(ctx context.Context, username string) (UserReport, error) {
	u, err := a.getUser(ctx, username)
	if err != nil {
		return UserReport{}, err
	}
	p, err := a.poolMFA(ctx)
	if err != nil {
		return UserReport{}, err
	}
	return UserReport{PoolID: a.poolID, User: u, Pool: p, Next: Predict(p, u)}, nil
}

func (a *Admin) getUser(ctx context.Context, username string) (User, error) {
	return a.getUserWith(ctx, username)
}

func (a *Admin) getUserWith(ctx context.Context, username string, opts ...func(*cip.Options)) (User, error) {
	out, err := a.api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(a.poolID), Username: aws.String(username)}, opts...)
	if err != nil {
		return User{}, fromAWS("AdminGetUser", err)
	}
	return User{Username: aws.ToString(out.Username), Status: string(out.UserStatus), Enabled: out.Enabled,
		Factors: out.UserMFASettingList, Preferred: aws.ToString(out.PreferredMfaSetting)}, nil
}

func (a *Admin) poolMFA(ctx context.Context) (PoolMFA, error) {
	out, err := a.api.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(a.poolID)})
	if err != nil {
		return PoolMFA{}, fromAWS("GetUserPoolMfaConfig", err)
	}
	p := PoolMFA{Mode: string(out.MfaConfiguration), SMS: out.SmsMfaConfiguration != nil, Email: out.EmailMfaConfiguration != nil}
	if p.Mode == "" {
		p.Mode = "OFF"
	}
	if out.SoftwareTokenMfaConfiguration != nil {
		p.TOTP = out.SoftwareTokenMfaConfiguration.Enabled
	}
	return p, nil
}
