package cognitolocal_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

func (e *env) signInWith(client *cip.Client, ctx context.Context, c appClient) error {
	_, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.id),
		AuthParameters: map[string]string{"USERNAME": "fay", "PASSWORD": password}})
	return err
}

func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("error %v: want HTTP status %d", err, status)
	}
}

func TestFaultsAsTypedErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "fay")
	signIn := func() error { return e.signInWith(e.user, e.ctx, c) }

	e.server.InjectFault(cognitolocal.Fault{Exception: "TooManyRequestsException", Message: "Rate exceeded"})
	err := signIn()
	wantErr[*types.TooManyRequestsException](t, err, "Rate exceeded")
	wantStatus(t, err, 400)
	wantErr[*types.TooManyRequestsException](t, signIn(), "Rate exceeded") // Times 0: until cleared
	e.server.ClearFaults()
	must(t, signIn())

	e.server.InjectFault(cognitolocal.Fault{Times: 1, Exception: "InternalErrorException", Message: "boom"})
	err = signIn()
	wantErr[*types.InternalErrorException](t, err, "boom")
	wantStatus(t, err, 500)
	must(t, signIn()) // Times 1: gone

	e.server.InjectFault(cognitolocal.Fault{Times: 1, Exception: "ForbiddenException", Message: "Request blocked by AWS WAF", Status: 403})
	err = signIn()
	wantErr[*types.ForbiddenException](t, err, "Request blocked by AWS WAF")
	wantStatus(t, err, 403)

	e.server.InjectFault(cognitolocal.Fault{Operation: "AssociateSoftwareToken", Times: 1, Exception: "ConcurrentModificationException", Message: "busy"})
	must(t, signIn()) // another operation: untouched
	tok := e.tokens(c, "fay").AccessToken
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	wantErr[*types.ConcurrentModificationException](t, err, "busy")
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tok})
	wantErr[*types.SoftwareTokenMFANotFoundException](t, err, "Software Token MFA has not been enabled by the userPool.") // reached the operation
}

func TestFaultsAndTheSDKRetryer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "fay")
	attempts := 0
	retrying := cip.New(cip.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(e.url), Credentials: aws.AnonymousCredentials{},
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { attempts++; return 0, nil })
		}),
	})
	e.server.InjectFault(cognitolocal.Fault{Times: 1, Exception: "TooManyRequestsException", Message: "Rate exceeded"})
	must(t, e.signInWith(retrying, e.ctx, c)) // absorbed by one retry
	e.server.InjectFault(cognitolocal.Fault{Times: 2, Exception: "InternalErrorException", Message: "boom"})
	must(t, e.signInWith(retrying, e.ctx, c))
	if attempts != 3 {
		t.Fatalf("retries = %d, want 3", attempts)
	}
	e.server.InjectFault(cognitolocal.Fault{Exception: "TooManyRequestsException", Message: "Rate exceeded"})
	err := e.signInWith(retrying, e.ctx, c)
	wantErr[*types.TooManyRequestsException](t, err, "Rate exceeded")
	if attempts != 5 {
		t.Fatalf("retries = %d, want 5 (3 attempts for the last call)", attempts)
	}
}

func TestFaultDelayAndDrop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "fay")

	e.server.InjectFault(cognitolocal.Fault{Times: 1, Delay: time.Minute})
	ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	err := e.signInWith(e.user, ctx, c)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > 10*time.Second {
		t.Fatalf("slow answer: error %v after %v, want the context deadline", err, time.Since(began))
	}
	// A delay alone then lets the request through.
	e.server.InjectFault(cognitolocal.Fault{Times: 1, Delay: 10 * time.Millisecond})
	must(t, e.signInWith(e.user, e.ctx, c))

	e.server.InjectFault(cognitolocal.Fault{Times: 1, Drop: true})
	err = e.signInWith(e.user, e.ctx, c)
	var api smithy.APIError
	var send *smithyhttp.RequestSendError
	if err == nil || errors.As(err, &api) || !errors.As(err, &send) {
		t.Fatalf("dropped connection: error %v (%T), want a transport error", err, err)
	}
	must(t, e.signInWith(e.user, e.ctx, c))
}
