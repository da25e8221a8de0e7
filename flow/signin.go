package flow

import (
	"context"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// SignIn starts a sign-in with USER_PASSWORD_AUTH and returns the first Step.
func (c *Client) SignIn(ctx context.Context, username, password string) (Step, error) {
	const op = "sign in"
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	c.addSecretHash(params, username)
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:        types.AuthFlowTypeUserPasswordAuth,
		ClientId:        aws.String(c.pool.ClientID),
		AuthParameters:  params,
		UserContextData: c.userContext(),
	})
	if err != nil {
		return Step{}, classify(op, err, password)
	}
	return c.step(op, string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, username)
}

// Respond answers step's challenge with responses; USERNAME and SECRET_HASH
// are added here from the name Cognito returned.
func (c *Client) Respond(ctx context.Context, step Step, responses map[string]string) (Step, error) {
	op := "answer " + step.Challenge
	r := maps.Clone(responses)
	if r == nil {
		r = map[string]string{}
	}
	r["USERNAME"] = step.Username
	c.addSecretHash(r, step.Username)
	out, err := c.api.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName:      types.ChallengeNameType(step.Challenge),
		ClientId:           aws.String(c.pool.ClientID),
		ChallengeResponses: r,
		Session:            aws.String(step.Session),
		UserContextData:    c.userContext(),
	})
	if err != nil {
		return Step{}, classify(op, err, append(secretValues(responses), step.Session)...)
	}
	return c.step(op, string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, step.Username)
}

// SetNewPassword answers NEW_PASSWORD_REQUIRED with the new password and the
// required attributes that were still empty.
func (c *Client) SetNewPassword(ctx context.Context, step Step, newPassword string, attributes map[string]string) (Step, error) {
	r := map[string]string{"NEW_PASSWORD": newPassword}
	for name, v := range attributes {
		r["userAttributes."+name] = v
	}
	next, err := c.Respond(ctx, step, r)
	if fe, ok := err.(*Error); ok {
		fe.Op = "set new password"
	}
	return next, err
}

func (c *Client) addSecretHash(params map[string]string, username string) {
	if c.pool.ClientSecret != "" {
		params["SECRET_HASH"] = SecretHash(c.pool.ClientSecret, username, c.pool.ClientID)
	}
}

// step builds the next Step from a Cognito answer.
func (c *Client) step(op, challenge string, params map[string]string, session *string, res *types.AuthenticationResultType, username string) (Step, error) {
	if challenge == "" {
		if res == nil {
			return Step{}, newError(KindUnexpected, op, say(i18n.ErrNoResult))
		}
		return Step{Username: username, Tokens: tokens(res)}, nil
	}
	s, err := newStep(challenge, params, session, username, c.now().Add(c.pool.sessionValidity()))
	if err != nil {
		return Step{}, withCause(newError(KindUnexpected, op, say(i18n.ErrBadParameters, "Challenge", challenge)), err)
	}
	return s, nil
}

func tokens(r *types.AuthenticationResultType) *Tokens {
	return &Tokens{
		AccessToken:  aws.ToString(r.AccessToken),
		IDToken:      aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken),
		ExpiresIn:    secondsDuration(r.ExpiresIn),
	}
}

// secretValues lists the values of an answer, all of which are treated as secret.
func secretValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// AnswerTOTP answers a SOFTWARE_TOKEN_MFA challenge with a code from the authenticator.
func (c *Client) AnswerTOTP(ctx context.Context, step Step, typed string) (Step, error) {
	return c.AnswerCode(ctx, step, typed)
}

// AnswerNewTOTP answers SOFTWARE_TOKEN_MFA with a code from the
// authenticator setup just added (the test sign-in): a refused code's Cause
// is diagnosed against its secret, and an accepted one of a step next to
// Cognito's sets the answer's PhoneOffset.
func (c *Client) AnswerNewTOTP(ctx context.Context, step Step, setup Setup, typed string) (Step, error) {
	next, err := c.AnswerCode(ctx, step, typed)
	code, _ := NormalizeCode(typed)
	if err != nil {
		return next, c.refusedCode(ctx, err, setup, code)
	}
	next.PhoneOffset = c.acceptedCode(ctx, setup, code)
	return next, nil
}
