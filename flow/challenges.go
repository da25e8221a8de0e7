package flow

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// AuthFlow is how the wizard signs in.
type AuthFlow string

const (
	AuthSRP      AuthFlow = "srp"       // USER_SRP_AUTH: every app client allows it by default
	AuthPassword AuthFlow = "password"  // USER_PASSWORD_AUTH: needs ALLOW_USER_PASSWORD_AUTH
	AuthChoice   AuthFlow = "user-auth" // USER_AUTH: choice-based sign-in, needs ALLOW_USER_AUTH
)

// ParseAuthFlow reads --auth-flow.
func ParseAuthFlow(s string) (AuthFlow, bool) {
	f := AuthFlow(s)
	return f, f == AuthSRP || f == AuthPassword || f == AuthChoice
}

// ClientSetting is the app client setting that allows the flow.
func (f AuthFlow) ClientSetting() string {
	switch f {
	case AuthPassword:
		return "ALLOW_USER_PASSWORD_AUTH"
	case AuthChoice:
		return "ALLOW_USER_AUTH"
	}
	return "ALLOW_USER_SRP_AUTH"
}

// Other is the flow to offer when this one is refused.
func (f AuthFlow) Other() AuthFlow {
	if f == AuthSRP {
		return AuthPassword
	}
	return AuthSRP
}

// SignInWith starts a sign-in with flow f.
func (c *Client) SignInWith(ctx context.Context, f AuthFlow, username, password string) (Step, error) {
	switch f {
	case AuthPassword:
		return c.SignIn(ctx, username, password)
	case AuthChoice:
		return c.signInChoice(ctx, username, password)
	}
	return c.SignInSRP(ctx, username, password)
}

// signInChoice starts USER_AUTH without a preferred challenge, so Cognito
// answers SELECT_CHALLENGE listing what this user may do (step.Available);
// SelectChallenge answers it.
func (c *Client) signInChoice(ctx context.Context, username, password string) (Step, error) {
	const op = "sign in"
	params := map[string]string{"USERNAME": username}
	c.addSecretHash(params, username)
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:        types.AuthFlowTypeUserAuth,
		ClientId:        aws.String(c.pool.ClientID),
		AuthParameters:  params,
		UserContextData: c.userContext(),
	})
	if err != nil {
		return Step{}, classify(op, err, password)
	}
	step, err := c.step(op, string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, username)
	if err != nil {
		return Step{}, err
	}
	for _, ch := range out.AvailableChallenges {
		step.Available = append(step.Available, string(ch))
	}
	return step, nil
}

// SelectChallenge answers SELECT_CHALLENGE with a password method:
// "PASSWORD" sends the password, "PASSWORD_SRP" proves it with SRP.
func (c *Client) SelectChallenge(ctx context.Context, step Step, choice, password string) (Step, error) {
	const op = "sign in"
	switch choice {
	case "PASSWORD":
		return c.Respond(ctx, step, map[string]string{"ANSWER": "PASSWORD", "PASSWORD": password})
	case "PASSWORD_SRP":
		poolName, client, err := c.newSRP(op)
		if err != nil {
			return Step{}, err
		}
		r := map[string]string{"ANSWER": "PASSWORD_SRP", "USERNAME": step.Username, "SRP_A": client.AHex()}
		c.addSecretHash(r, step.Username)
		out, err := c.api.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName: types.ChallengeNameTypeSelectChallenge, ClientId: aws.String(c.pool.ClientID),
			ChallengeResponses: r, Session: aws.String(step.Session), UserContextData: c.userContext(),
		})
		if err != nil {
			return Step{}, classify(op, err, password, step.Session)
		}
		if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
			return c.step(op, string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, step.Username)
		}
		return c.proveSRP(ctx, op, poolName, client, out.ChallengeParameters, out.Session, password)
	}
	return Step{}, newError(KindUnexpected, op, say(i18n.ErrPasswordOnly, "Choice", choice))
}

// codeKeys are the answer keys of the challenges answered with a code.
var codeKeys = map[string]string{
	ChallengeSoftwareToken: "SOFTWARE_TOKEN_MFA_CODE",
	ChallengeSMS:           "SMS_MFA_CODE",
	ChallengeEmailOTP:      "EMAIL_OTP_CODE",
}

// AnswersWithCode reports whether challenge is answered with a 6-digit code.
func AnswersWithCode(challenge string) bool { _, ok := codeKeys[challenge]; return ok }

// AnswerCode answers SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP with the code
// the person typed.
func (c *Client) AnswerCode(ctx context.Context, step Step, typed string) (Step, error) {
	key, ok := codeKeys[step.Challenge]
	if !ok {
		return Step{}, newError(KindUnexpected, "answer "+step.Challenge, say(i18n.ErrNotCodeChallenge, "Challenge", step.Challenge))
	}
	code, err := NormalizeCode(typed)
	if err != nil {
		return Step{}, err
	}
	return c.Respond(ctx, step, map[string]string{key: code})
}

// ChooseMFA answers SELECT_MFA_TYPE with one of step.CanChoose.
func (c *Client) ChooseMFA(ctx context.Context, step Step, factor string) (Step, error) {
	if !slices.Contains(step.CanChoose, factor) {
		return Step{}, newError(KindUnexpected, "choose MFA", say(i18n.ErrFactorNotOffered, "Factor", factor))
	}
	return c.Respond(ctx, step, map[string]string{"ANSWER": factor})
}

// Account is what an access token says of its user.
type Account struct {
	Username string
	HasTOTP  bool // an authenticator is already enabled: a new one replaces it
	MFA      []string
}

// SignedInWithToken is the signed-in step for an access token the person
// already holds (--access-token-file), with what Cognito says of its user.
func (c *Client) SignedInWithToken(ctx context.Context, accessToken string) (Step, Account, error) {
	user, err := c.api.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(accessToken)})
	if err != nil {
		return Step{}, Account{}, classify("read the signed-in user", err, accessToken)
	}
	acct := Account{Username: aws.ToString(user.Username), MFA: user.UserMFASettingList,
		HasTOTP: slices.Contains(user.UserMFASettingList, ChallengeSoftwareToken)}
	return Step{Username: acct.Username, Tokens: &Tokens{AccessToken: accessToken}}, acct, nil
}
