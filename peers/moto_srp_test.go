package peers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/flow"
)

// moto's SRP is fake (diffFakeSRP): its SECRET_BLOCK is not base64, so no
// PASSWORD_VERIFIER answer can be computed. The person must be told that the
// endpoint is at fault and what works there: the password flow (ctrl+o in
// the wizard, which KindFlowNotEnabled offers at sign-in).
func TestMotoFakeSRPSaysUseThePasswordFlow(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID := moto.pool(t, types.UserPoolMfaTypeOn)
	clientID, _ := moto.client(t, poolID, false, types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth)
	moto.newUser(t, poolID, "sam", password, true)
	c := moto.flowClient(t, poolID, clientID, "")

	_, err := c.SignInWith(ctx, flow.AuthSRP, "sam", password)
	var fe *flow.Error
	if !errors.As(err, &fe) {
		t.Fatalf("SRP sign-in against moto: %v, want a *flow.Error", err)
	}
	tolerate(t, diffFakeSRP, "SECRET_BLOCK not base64")
	if fe.Kind != flow.KindFlowNotEnabled {
		t.Errorf("kind %v, want FlowNotEnabled (the wizard then offers ctrl+o)", fe.Kind)
	}
	for _, want := range []string{"does not do real SRP", "--auth-flow password", "ctrl+o"} {
		if !strings.Contains(fe.Message, want) {
			t.Errorf("message %q lacks %q", fe.Message, want)
		}
	}
	if strings.Contains(fe.Error(), password) {
		t.Error("the error carries the password")
	}
	// What the hint says works does work: the password flow signs in.
	if _, err := c.SignInWith(ctx, flow.AuthPassword, "sam", password); err != nil {
		t.Fatalf("--auth-flow password against moto: %v", err)
	}
}
