// Package sshbench holds what the benchmarks of serve share: a pool on a
// running cognito-totp local to point serve at, and a free loopback port.
package sshbench

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// SetupPool makes a pool named name with MFA required and TOTP on, and an
// app client allowing SRP, password and refresh sign-ins, on the endpoint.
func SetupPool(endpoint, name string) (poolID, clientID string, err error) {
	ctx := context.Background()
	admin := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		HTTPClient:  &http.Client{Timeout: 20 * time.Second},
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "dummy", "")})
	p, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		return "", "", err
	}
	poolID = aws.ToString(p.UserPool.Id)
	if _, err := admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		return "", "", err
	}
	c, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String(name),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		return "", "", err
	}
	return poolID, aws.ToString(c.UserPoolClient.ClientId), nil
}

// FreePort is a loopback TCP port that was free a moment ago.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}
