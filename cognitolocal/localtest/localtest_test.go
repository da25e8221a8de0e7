package localtest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// At, InRegion and Through shape the endpoint: its clock starts at the time
// given, its pools carry the region, and every request, the SDK clients'
// included, passes the wrapper.
func TestOptionsShapeTheEndpoint(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var seen atomic.Int32
	srv := localtest.New(t, localtest.At(start), localtest.InRegion("eu-west-1"), localtest.Through(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen.Add(1)
			next.ServeHTTP(w, r)
		})
	}))
	if !srv.Clock.Now().Equal(start) {
		t.Errorf("the clock starts at %v, want %v", srv.Clock.Now(), start)
	}
	pool := srv.Pool(localtest.MFAOff)
	if !strings.HasPrefix(pool.ID, "eu-west-1_") || srv.Region != "eu-west-1" {
		t.Errorf("pool %s, region %s: want eu-west-1", pool.ID, srv.Region)
	}
	if seen.Load() == 0 {
		t.Error("the pool was made without passing the wrapper")
	}
}

// NewUser's user must choose a new password at the first sign-in; Demo
// seeds the demo pool with its users.
func TestNewUserAndTheDemoPool(t *testing.T) {
	srv := localtest.New(t)
	pool := srv.Pool(localtest.MFAOn)
	client := pool.Client()
	user := pool.NewUser("erin")
	out, err := srv.User.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client.ID),
		AuthParameters: map[string]string{"USERNAME": user.Name, "PASSWORD": user.Password},
	})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("first sign-in: %v, challenge %q; want NEW_PASSWORD_REQUIRED", err, out.ChallengeName)
	}
	demo := srv.Demo()
	if demo.UserPoolID == "" || demo.ClientID == "" || demo.Username == "" || demo.TemporaryPassword == "" {
		t.Fatalf("demo pool %+v", demo)
	}
}
