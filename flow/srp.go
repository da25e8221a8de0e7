package flow

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// SignInSRP signs in with USER_SRP_AUTH, the flow every app client allows by
// default (and the only one many allow): the password never leaves this
// process. It answers Cognito's PASSWORD_VERIFIER itself and returns the step
// after it (NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA, tokens...).
//
// The SRP math needs the pool's name, the part of UserPoolID after "_", so an
// empty UserPoolID is a KindMisconfigured error and no call is made. The
// answer, and its SECRET_HASH, use USER_ID_FOR_SRP, the name Cognito returned,
// not what was typed; the TIMESTAMP is Cognito's time (the Client's clock
// moved by the offset measured on Cognito's answers).
func (c *Client) SignInSRP(ctx context.Context, username, password string) (Step, error) {
	const op = "sign in"
	poolName, client, err := c.newSRP(op)
	if err != nil {
		return Step{}, err
	}
	params := map[string]string{"USERNAME": username, "SRP_A": client.AHex()}
	c.addSecretHash(params, username)
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:        types.AuthFlowTypeUserSrpAuth,
		ClientId:        aws.String(c.pool.ClientID),
		AuthParameters:  params,
		UserContextData: c.userContext(),
	})
	if err != nil {
		return Step{}, classify(op, err, password)
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return c.step(op, string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, username)
	}

	return c.proveSRP(ctx, op, poolName, client, out.ChallengeParameters, out.Session, password)
}

// newSRP checks the pool ID SRP needs and draws the client's ephemeral key.
func (c *Client) newSRP(op string) (string, *srp.Client, error) {
	if c.pool.UserPoolID == "" {
		return "", nil, newError(KindMisconfigured, op, say(i18n.ErrSRPPoolID))
	}
	_, poolName, ok := strings.Cut(c.pool.UserPoolID, "_")
	if !ok || poolName == "" {
		return "", nil, newError(KindMisconfigured, op, say(i18n.ErrSRPPoolIDForm, "PoolID", c.pool.UserPoolID))
	}
	client, err := srp.NewClient(rand.Reader)
	if err != nil {
		return "", nil, withCause(newError(KindUnexpected, op, say(i18n.ErrSRPRandom)), err)
	}
	return poolName, client, nil
}

// proveSRP answers PASSWORD_VERIFIER: after USER_SRP_AUTH, or after choosing
// PASSWORD_SRP at SELECT_CHALLENGE.
func (c *Client) proveSRP(ctx context.Context, op, poolName string, client *srp.Client, p map[string]string, session *string, password string) (Step, error) {
	userID := p["USER_ID_FOR_SRP"]
	if userID == "" {
		return Step{}, newError(KindUnexpected, op, say(i18n.ErrSRPNoUserID))
	}
	signature, timestamp, err := client.Claim(srp.Challenge{
		PoolName: poolName, UserID: userID, Salt: p["SALT"], B: p["SRP_B"], SecretBlock: p["SECRET_BLOCK"],
	}, password, c.CognitoNow())
	if errors.Is(err, srp.ErrBadSecretBlock) {
		// Cognito's SECRET_BLOCK is base64; an emulator's fake SRP (moto's) sends
		// something else. The other flow works there: the UI offers ctrl+o.
		return Step{}, withCause(newError(KindFlowNotEnabled, op, say(i18n.ErrFakeSRP)), err)
	}
	if err != nil {
		// srp's errors name the bad value, never a secret one.
		return Step{}, withCause(newError(KindUnexpected, op, say(i18n.ErrSRPVerifier, "Cause", strings.TrimPrefix(err.Error(), "srp: "))), err)
	}
	responses := map[string]string{
		"USERNAME":                    userID,
		"PASSWORD_CLAIM_SIGNATURE":    signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"TIMESTAMP":                   timestamp,
	}
	c.addSecretHash(responses, userID)
	in := &cip.RespondToAuthChallengeInput{
		ChallengeName:      types.ChallengeNameTypePasswordVerifier,
		ClientId:           aws.String(c.pool.ClientID),
		ChallengeResponses: responses,
		UserContextData:    c.userContext(),
	}
	// Cognito sends no Session with PASSWORD_VERIFIER; pass one only if it did
	// (an empty Session would break the member's 20-character minimum).
	if aws.ToString(session) != "" {
		in.Session = session
	}
	res, err := c.api.RespondToAuthChallenge(ctx, in)
	if err != nil {
		return Step{}, classify(op, err, password, signature, p["SECRET_BLOCK"], aws.ToString(session))
	}
	return c.step(op, string(res.ChallengeName), res.ChallengeParameters, res.Session, res.AuthenticationResult, userID)
}
