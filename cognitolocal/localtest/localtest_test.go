package localtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

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

func TestStartAtSetsTheClock(t *testing.T) {
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	srv := localtest.New(t, localtest.StartAt(at))
	if got := srv.Clock.Now(); !got.Equal(at) {
		t.Fatalf("the clock starts at %v, want %v", got, at)
	}
	// The endpoint itself keeps that time: a code of the step before is
	// refused at sign-in, one of this step is taken.
	pool := srv.Pool(localtest.MFAOn)
	client := pool.Client()
	user := pool.User("erin")
	ctx := context.Background()
	first, err := srv.User.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client.ID),
		AuthParameters: map[string]string{"USERNAME": user.Name, "PASSWORD": user.Password},
	})
	if err != nil {
		t.Fatal(err)
	}
	assoc, err := srv.User.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: first.Session})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(assoc.SecretCode)
	stale, err := totp.GenerateCode(secret, at.Add(-5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.User.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(stale)}); err == nil {
		t.Fatal("a code from five minutes before the clock's time was taken")
	}
	if _, err := srv.User.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(srv.Code(secret))}); err != nil {
		t.Fatalf("the code at the clock's time: %v", err)
	}
}

func TestDemoSeedsTheDemoPool(t *testing.T) {
	srv := localtest.New(t)
	demo := srv.Demo()
	out, err := srv.Admin.AdminGetUser(context.Background(), &cip.AdminGetUserInput{
		UserPoolId: aws.String(demo.UserPoolID), Username: aws.String(demo.Username)})
	if err != nil {
		t.Fatalf("the demo user: %v", err)
	}
	if out.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("the demo user is %s, want FORCE_CHANGE_PASSWORD (it signs in with a temporary password)", out.UserStatus)
	}
}
