package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
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

// Describe says the pool's MFA mode in words: "MFA required; TOTP, SMS allowed".
func (p PoolMFA) Describe() string {
	var on []string
	for _, f := range []struct {
		on   bool
		name string
	}{{p.TOTP, "authenticator app"}, {p.SMS, "SMS"}, {p.Email, "email"}} {
		if f.on {
			on = append(on, f.name)
		}
	}
	mode := map[string]string{"ON": "MFA required", "OPTIONAL": "MFA optional", "OFF": "MFA off"}[p.Mode]
	if mode == "" {
		mode = "MFA " + p.Mode
	}
	if p.Mode == "OFF" || len(on) == 0 {
		return mode
	}
	return mode + " (" + strings.Join(on, ", ") + ")"
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

// Prediction is what the next sign-in asks and a sentence saying so.
type Prediction struct {
	Next     Next   `json:"asks"`
	Sentence string `json:"sentence"`
}

// Predict says what the user's next sign-in asks, following Cognito's rules
// (the same cognitolocal implements): with MFA off, nothing; a preferred
// factor, or the only one, is asked; several with none preferred give a
// choice; none at all give MFA_SETUP in a required pool and tokens in an
// optional one. Factors the pool has turned off do not count.
func Predict(p PoolMFA, u User) Prediction {
	if !u.Enabled {
		return Prediction{NextDisabled, "cannot sign in: the user is disabled"}
	}
	// what reads after "asks "; an account that must do something before
	// any MFA says so first.
	before := map[string]string{
		string(types.UserStatusTypeForceChangePassword): "asks for a new password, then ",
		string(types.UserStatusTypeResetRequired):       "first needs a password reset (RESET_REQUIRED), then asks ",
		string(types.UserStatusTypeUnconfirmed):         "first needs the sign-up confirmed (UNCONFIRMED), then asks ",
	}[u.Status]
	say := func(n Next, what string) Prediction {
		if before == "" {
			return Prediction{n, "asks " + what}
		}
		return Prediction{n, before + what}
	}
	noCode := func(why string) Prediction {
		if u.Status == string(types.UserStatusTypeForceChangePassword) {
			return Prediction{NextNoCode, "asks for a new password and no MFA code (" + why + ")"}
		}
		return say(NextNoCode, "for no MFA code ("+why+")")
	}
	if p.Mode == "OFF" {
		return noCode("MFA is off in this pool")
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
		return say(NextChoose, "which factor to use ("+strings.Join(factorWords(factors), " or ")+"), then its code")
	case p.Mode == "ON":
		return say(NextSetUpTOTP, "to set up MFA (MFA_SETUP): the person adds an authenticator app, which the cognito-totp wizard walks them through")
	default:
		return noCode("MFA is optional in this pool and the user has no factor")
	}
	if factor == FactorTOTP {
		return say(NextTOTP, "for a code from the authenticator app (SOFTWARE_TOKEN_MFA)")
	}
	return say(NextOther, "for "+factorWord(factor)+" code ("+factor+"), not the authenticator app")
}

func factorWord(f string) string {
	switch f {
	case FactorTOTP:
		return "an authenticator app"
	case FactorSMS:
		return "an SMS"
	case FactorEmail:
		return "an email"
	}
	return f
}

func factorWords(fs []string) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = strings.TrimPrefix(strings.TrimPrefix(factorWord(f), "an "), "a ")
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
