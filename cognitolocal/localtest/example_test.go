package localtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
)

// A user of a pool that requires MFA sets up an authenticator app at the
// first sign-in (MFA_SETUP), then signs in with a code from it.
func Example() {
	srv := localtest.NewServer() // in a test: localtest.New(t), closed when it ends
	defer srv.Close()
	pool := srv.Pool(localtest.MFAOn)
	client := pool.Client()
	bob := pool.User("bob")
	ctx := context.Background()

	signIn := func() *cip.InitiateAuthOutput {
		out, err := srv.User.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client.ID),
			AuthParameters: map[string]string{"USERNAME": bob.Name, "PASSWORD": bob.Password},
		})
		if err != nil {
			panic(err)
		}
		return out
	}

	first := signIn()
	fmt.Println(first.ChallengeName)
	assoc, _ := srv.User.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: first.Session})
	secret := aws.ToString(assoc.SecretCode)
	verified, _ := srv.User.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{
		Session: assoc.Session, UserCode: aws.String(srv.Code(secret)),
	})
	fmt.Println(verified.Status)
	done, _ := srv.User.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(client.ID), ChallengeName: types.ChallengeNameTypeMfaSetup, Session: verified.Session,
		ChallengeResponses: map[string]string{"USERNAME": bob.Name},
	})
	fmt.Println(done.AuthenticationResult != nil)

	// The next sign-in asks for a code; the same step's code cannot be used
	// twice, so the clock moves on by one step first.
	srv.Clock.Advance(30 * time.Second)
	next := signIn()
	fmt.Println(next.ChallengeName)
	in, _ := srv.User.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(client.ID), ChallengeName: next.ChallengeName, Session: next.Session,
		ChallengeResponses: map[string]string{"USERNAME": bob.Name, "SOFTWARE_TOKEN_MFA_CODE": srv.Code(secret)},
	})
	fmt.Println(in.AuthenticationResult != nil)
	// Output:
	// MFA_SETUP
	// SUCCESS
	// true
	// SOFTWARE_TOKEN_MFA
	// true
}
