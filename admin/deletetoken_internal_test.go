package admin

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
)

// What comes back when AdminDeleteSoftwareToken, sent through AdminGetUser's
// request, meets Cognito's errors: AdminGetUser's deserializer does not know
// SoftwareTokenMFANotFoundException, so the exception must still be read by
// its name.
func TestDeleteSoftwareTokenErrorsThroughTheBorrowedRequest(t *testing.T) {
	srv := localtest.New(t)
	pool := srv.Pool(localtest.MFAOff)
	ctx := context.Background()
	if _, err := srv.Admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool.ID),
		Username: aws.String("frank"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	a, err := Connect(ctx, pool.ID, Connection{Region: localtest.Region, EndpointURL: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDINTERNAL", "dummy", "")})
	if err != nil {
		t.Fatal(err)
	}
	// cognitolocal answers a delete with nothing to delete with a success, as
	// the model says; an endpoint that answers SoftwareTokenMFANotFoundException
	// there must still read as "no TOTP".
	srv.Endpoint.InjectFault(cognitolocal.Fault{Operation: "AdminDeleteSoftwareToken", Times: 1,
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
	a.poolID = localtest.Region + "_NoSuchPool"
	if err := a.deleteSoftwareToken(ctx, "frank"); KindOf(err) != KindPoolNotFound {
		t.Errorf("unknown pool: %v", err)
	}
}
