package admin

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// demo serves the local demo pool on a loopback port, as the wizard does,
// and connects to it with dummy credentials (cognitolocal checks that admin
// calls are signed, not by whom).
func (c *common) demo(ctx context.Context) (*Admin, func(), error) {
	local := cognitolocal.New(cognitolocal.Options{})
	seeded, err := local.SeedDemo()
	if err != nil {
		return nil, nil, fmt.Errorf("could not seed the local demo pool: %w", err)
	}
	url, stop, err := local.ServeLoopback()
	if err != nil {
		return nil, nil, fmt.Errorf("could not start the local demo pool: %w", err)
	}
	tr := c.tr()
	fmt.Fprintln(c.env.Stderr, wrap(tr.T(i18n.AdminDemoNotice, "PoolID", seeded.UserPoolID)))
	fmt.Fprintln(c.env.Stderr, wrap(tr.T(i18n.AdminDemoDummies)))
	a, err := Connect(ctx, seeded.UserPoolID, Connection{Region: seeded.Region, EndpointURL: url,
		Credentials: credentials.NewStaticCredentialsProvider("DEMO", "demo", ""), Retry: c.env.Retry})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return a, stop, nil
}
