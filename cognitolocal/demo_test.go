package cognitolocal_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	if d.Region != "us-east-1" || !strings.HasPrefix(d.UserPoolID, "us-east-1_") || d.Username != "demo" || d.ClientID == "" {
		t.Fatalf("demo = %+v", d)
	}
	pool, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(d.UserPoolID)})
	must(t, err)
	if aws.ToString(pool.UserPool.Name) != "cognito-totp-demo" || pool.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("pool = %+v", pool.UserPool)
	}
	cfg, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(d.UserPoolID)})
	must(t, err)
	if !cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatal("demo pool has TOTP off")
	}
	cl := e.describeClient(d.UserPoolID, d.ClientID)
	if aws.ToString(cl.ClientName) != "cognito-totp-demo" || cl.ClientSecret != nil || len(cl.ExplicitAuthFlows) != 3 {
		t.Fatalf("client = %+v", cl)
	}
	u := e.adminGetUser(d.UserPoolID, "demo")
	if attr(u.UserAttributes, "email") != "demo@example.com" || attr(u.UserAttributes, "email_verified") != "true" {
		t.Fatalf("user attributes = %+v", u.UserAttributes)
	}

	c := appClient{id: d.ClientID}
	out, err := e.signIn(c, d.Username, d.TemporaryPassword)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "demo", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)
}
