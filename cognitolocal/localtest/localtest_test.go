package localtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/internal/secrethash"
)

func TestAClientWithASecretNeedsTheHash(t *testing.T) {
	srv := localtest.New(t)
	pool := srv.Pool(localtest.MFAOff)
	client := pool.Client(localtest.WithSecret())
	user := pool.User("carol", "name", "Carol")
	if client.Secret == "" {
		t.Fatal("WithSecret made a client without a secret")
	}
	ctx := context.Background()
	in := &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client.ID),
		AuthParameters: map[string]string{"USERNAME": user.Name, "PASSWORD": user.Password},
	}
	var refused *types.NotAuthorizedException
	if _, err := srv.User.InitiateAuth(ctx, in); !errors.As(err, &refused) {
		t.Fatalf("without SECRET_HASH: %v, want NotAuthorizedException", err)
	}
	in.AuthParameters["SECRET_HASH"] = secrethash.Of(client.Secret, user.Name, client.ID)
	out, err := srv.User.InitiateAuth(ctx, in)
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("with SECRET_HASH, MFA off: %v, %+v", err, out)
	}
	got, err := srv.Admin.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool.ID), Username: aws.String(user.Name)})
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{}
	for _, a := range got.UserAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if got.UserStatus != types.UserStatusTypeConfirmed || attrs["name"] != "Carol" || attrs["email"] != "carol@example.com" {
		t.Fatalf("user: %s %v", got.UserStatus, attrs)
	}
}

func TestWithFlowsLimitsTheClient(t *testing.T) {
	srv := localtest.New(t)
	pool := srv.Pool(localtest.MFAOff)
	client := pool.Client(localtest.WithFlows(types.ExplicitAuthFlowsTypeAllowUserSrpAuth))
	user := pool.User("dan")
	_, err := srv.User.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client.ID),
		AuthParameters: map[string]string{"USERNAME": user.Name, "PASSWORD": user.Password},
	})
	var refused *types.InvalidParameterException
	if !errors.As(err, &refused) {
		t.Fatalf("USER_PASSWORD_AUTH on an SRP-only client: %v, want InvalidParameterException", err)
	}
}
