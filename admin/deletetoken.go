package admin

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-totp/cognito-totp/i18n"
)

const opDeleteSoftwareToken = "AdminDeleteSoftwareToken"

// deleteSoftwareToken calls AdminDeleteSoftwareToken, which removes the
// user's software token and any TOTP preference and leaves other factors.
//
// cognitoidentityprovider v1.61.0 predates the operation. Its input,
// {"UserPoolId","Username"}, is AdminGetUser's, so this sends AdminGetUser's
// request with X-Amz-Target rewritten in the Build step, before the Finalize
// step signs it: the SDK's own endpoint resolution, SigV4 signer, HTTP client
// and retryer all apply. When the SDK gains the method, this function becomes
// one call to client.AdminDeleteSoftwareToken.
func (a *Admin) deleteSoftwareToken(ctx context.Context, username string) error {
	out, err := a.api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(a.poolID), Username: aws.String(username)},
		func(o *cip.Options) {
			o.APIOptions = append(slices.Clip(o.APIOptions), retarget(opDeleteSoftwareToken))
			// An answer that is not JSON (moto's HTML 500 page for an
			// operation it lacks) will not turn into one on a retry.
			o.Retryer = a.retry.retryer(unreadableAnswerIsFinal)
		})
	if err != nil {
		return fromAWS(opDeleteSoftwareToken, err)
	}
	if out.Username != nil || out.UserStatus != "" {
		// AdminGetUser ran instead: the rewrite did not happen.
		e := newError(KindService, say(i18n.AdminErrAnsweredAsGetUser))
		e.Action = iamAction(opDeleteSoftwareToken)
		return e
	}
	return nil
}

// retarget rewrites the request's X-Amz-Target to operation op.
func retarget(op string) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Build.Add(middleware.BuildMiddlewareFunc("cognito-totp.Retarget",
			func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				req, ok := in.Request.(*smithyhttp.Request)
				if !ok {
					return middleware.BuildOutput{}, middleware.Metadata{}, errors.New("cognito-totp: the SDK's request is not an HTTP request, so " + op + " cannot be sent")
				}
				req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
				return next.HandleBuild(ctx, in)
			}), middleware.After)
	}
}

// unreadableAnswerIsFinal stops retries of an answer the SDK could not decode.
var unreadableAnswerIsFinal = retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
})
