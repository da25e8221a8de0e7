package flow

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// FriendlyDeviceName is what Cognito records as the authenticator's name.
const FriendlyDeviceName = "cognito-totp"

// Setup is a software token being enrolled: the secret to put in the
// authenticator app, and how to finish (with a session on the MFA_SETUP path,
// with an access token on the signed-in path).
type Setup struct {
	Secret      string
	URI         string // otpauth:// key URI for the QR code
	Issuer      string
	Account     string // the username shown in the app
	Username    string // the name Cognito knows the user by
	Session     string // MFA_SETUP path; empty on the access-token path
	Expires     time.Time
	AccessToken string // access-token path; empty on the MFA_SETUP path
	// Replaces says the account already has an authenticator, which this
	// one replaces once verified; the caller knows it and sets it, so a code
	// of the old entry is named as such.
	Replaces bool
}

// ViaSession reports whether the setup finishes by answering MFA_SETUP.
func (s Setup) ViaSession() bool { return s.AccessToken == "" }

// TimeLeft is how long the setup's session still lives at now; zero on the
// access-token path, which holds no session.
func (s Setup) TimeLeft(now time.Time) time.Duration {
	if s.Expires.IsZero() || !now.Before(s.Expires) {
		return 0
	}
	return s.Expires.Sub(now)
}

// Enrolled is a finished enrollment.
type Enrolled struct {
	Username  string
	Preferred bool    // TOTP is the user's preferred MFA
	Tokens    *Tokens // the tokens the MFA_SETUP answer returned; nil on the access-token path
	// PhoneOffset is the authenticator's estimated clock offset from
	// Cognito's when the accepted code was of the step before or after
	// Cognito's own (the phone 30 s or more off); zero otherwise.
	PhoneOffset time.Duration
}

// BeginTOTP asks Cognito for a new secret: with the session of an MFA_SETUP
// challenge, or with the access token of a signed-in step. The secret is
// pending: an authenticator the user already has keeps working until
// ConfirmTOTP's code is accepted, and from then on only the new one does
// (Cognito "disassociates an existing software token when you verify the new
// token"). A replacement abandoned halfway changes nothing.
func (c *Client) BeginTOTP(ctx context.Context, step Step) (Setup, error) {
	const op = "start authenticator setup"
	in := &cip.AssociateSoftwareTokenInput{}
	setup := Setup{Issuer: c.pool.issuer(), Username: step.Username, Account: step.Username}
	switch {
	case step.Challenge == ChallengeMFASetup:
		if len(step.CanSetup) > 0 && !slices.Contains(step.CanSetup, ChallengeSoftwareToken) {
			return Setup{}, newError(KindTOTPNotEnabled, op, say(i18n.ErrNoTOTPSetup))
		}
		in.Session = aws.String(step.Session)
	case step.SignedIn():
		in.AccessToken = aws.String(step.Tokens.AccessToken)
		setup.AccessToken = step.Tokens.AccessToken
	default:
		return Setup{}, newError(KindUnexpected, op, say(i18n.ErrSetupNeeds, "Challenge", step.Challenge))
	}
	out, err := c.api.AssociateSoftwareToken(ctx, in)
	if err != nil {
		return Setup{}, classify(op, err, step.Session, setup.AccessToken)
	}
	setup.Secret = aws.ToString(out.SecretCode)
	setup.URI = OTPAuthURI(setup.Issuer, setup.Account, setup.Secret)
	if out.Session != nil {
		setup.Session = *out.Session
		setup.Expires = c.now().Add(c.pool.sessionValidity())
	}
	return setup, nil
}

// ConfirmTOTP verifies the first code and finishes: on the MFA_SETUP path it
// answers the challenge with the session Verify returned; on the access-token
// path it makes TOTP enabled and preferred and reads the user back to confirm.
// A wrong code returns KindWrongCode, with its Cause diagnosed against
// setup's secret, and leaves setup usable for another try.
func (c *Client) ConfirmTOTP(ctx context.Context, setup Setup, typed string) (Enrolled, error) {
	code, err := NormalizeCode(typed)
	if err != nil {
		return Enrolled{}, err
	}
	const op = "verify code"
	in := &cip.VerifySoftwareTokenInput{UserCode: aws.String(code), FriendlyDeviceName: aws.String(FriendlyDeviceName)}
	if setup.ViaSession() {
		in.Session = aws.String(setup.Session)
	} else {
		in.AccessToken = aws.String(setup.AccessToken)
	}
	out, err := c.api.VerifySoftwareToken(ctx, in)
	if err != nil {
		return Enrolled{}, c.refusedCode(ctx, classify(op, err, code, setup.Session, setup.AccessToken), setup, code)
	}
	if out.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		return Enrolled{}, newError(KindWrongCode, op, say(i18n.ErrCodeStatus, "Status", string(out.Status)))
	}
	offset := c.acceptedCode(ctx, setup, code)
	var done Enrolled
	if setup.ViaSession() {
		done, err = c.finishMFASetup(ctx, setup, aws.ToString(out.Session))
	} else {
		done, err = c.preferTOTP(ctx, setup.AccessToken)
	}
	done.PhoneOffset = offset
	return done, err
}

func (c *Client) finishMFASetup(ctx context.Context, setup Setup, session string) (Enrolled, error) {
	step := Step{Challenge: ChallengeMFASetup, Session: session, Username: setup.Username}
	next, err := c.Respond(ctx, step, nil)
	if err != nil {
		if fe, ok := err.(*Error); ok {
			fe.Op = "finish sign-in"
		}
		return Enrolled{}, err
	}
	if !next.SignedIn() {
		return Enrolled{}, newError(KindUnexpected, "finish sign-in", say(i18n.ErrAfterSetup, "Challenge", next.Challenge))
	}
	return Enrolled{Username: setup.Username, Preferred: true, Tokens: next.Tokens}, nil
}

func (c *Client) preferTOTP(ctx context.Context, accessToken string) (Enrolled, error) {
	_, err := c.api.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{
		AccessToken:              aws.String(accessToken),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true},
	})
	if err != nil {
		return Enrolled{}, classify("make the authenticator your MFA", err, accessToken)
	}
	const op = "confirm enrollment"
	user, err := c.api.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(accessToken)})
	if err != nil {
		return Enrolled{}, classify(op, err, accessToken)
	}
	if !slices.Contains(user.UserMFASettingList, ChallengeSoftwareToken) {
		return Enrolled{}, newError(KindUnexpected, op, say(i18n.ErrNotListed))
	}
	return Enrolled{Username: aws.ToString(user.Username), Preferred: aws.ToString(user.PreferredMfaSetting) == ChallengeSoftwareToken}, nil
}

func secondsDuration(s int32) time.Duration { return time.Duration(s) * time.Second }
