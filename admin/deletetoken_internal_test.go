package admin

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
)

// What comes back when AdminDeleteSoftwareToken, sent through AdminGetUser's
// request, meets Cognito's errors: AdminGetUser's deserializer does not know
// SoftwareTokenMFANotFoundException, so the exception must still be read by
// its name.
func TestDeleteSoftwareTokenErrorsThroughTheBorrowedRequest(t *testing.T) {
	srv := localtest.New(t, localtest.InRegion("eu-west-1"))
	local := srv.Endpoint
	pool := srv.Pool(localtest.MFAOff)
	pool.User("frank")
	ctx := context.Background()
	a, err := Connect(ctx, pool.ID, Connection{Region: srv.Region, EndpointURL: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDINTERNAL", "dummy", "")})
	if err != nil {
		t.Fatal(err)
	}
	// cognitolocal answers a delete with nothing to delete with a success, as
	// the model says; an endpoint that answers SoftwareTokenMFANotFoundException
	// there must still read as "no TOTP".
	local.InjectFault(cognitolocal.Fault{Operation: "AdminDeleteSoftwareToken", Times: 1,
		Exception: "SoftwareTokenMFANotFoundException", Message: "Software Token MFA has not been associated with the user."})
	for _, c := range []struct {
		user string
		want Kind
	}{{"frank", KindNoTOTP}, {"nobody", KindUserNotFound}} {
		err := a.deleteSoftwareToken(ctx, c.user)
		if KindOf(err) != c.want {
			t.Errorf("%s: %v (kind %v), want kind %v", c.user, err, KindOf(err), c.want)
		}
	}
	a.poolID = "eu-west-1_NoSuchPool"
	if err := a.deleteSoftwareToken(ctx, "frank"); KindOf(err) != KindPoolNotFound {
		t.Errorf("unknown pool: %v", err)
	}
}
