package flow_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
)

// The lazy API reads the SDK's configuration on the first call, not when it
// is made: settings that cannot be read are that call's error, the one NewAPI
// gives, and once they can be read a later call goes through.
func TestLazyAPILoadsTheSDKConfigurationOnTheFirstCall(t *testing.T) {
	srv := localtest.New(t)
	fp := flow.Pool{ClientID: "nope", Region: "us-east-1"}
	ep := flow.Endpoint{URL: srv.URL}
	t.Setenv("AWS_CA_BUNDLE", filepath.Join(t.TempDir(), "missing.pem"))
	if _, err := flow.NewAPI(context.Background(), fp, ep); err == nil {
		t.Fatal("NewAPI read a CA bundle that does not exist")
	}

	api := flow.NewLazyAPI(fp, ep) // nothing read yet, so nothing to refuse
	_, err := flow.New(api, fp).SignIn(context.Background(), "u", "Passw0rd!x")
	var fe *flow.Error
	if !errors.As(err, &fe) || fe.Op != "load AWS settings" {
		t.Fatalf("first call with unreadable settings: %v, want the settings' error", err)
	}

	t.Setenv("AWS_CA_BUNDLE", "")
	_, err = flow.New(api, fp).SignIn(context.Background(), "u", "Passw0rd!x")
	// The call reached the server: an unknown client answers ResourceNotFound.
	if !errors.As(err, &fe) || fe.Op == "load AWS settings" || fe.Kind != flow.KindMisconfigured {
		t.Fatalf("second call: %v, want Cognito's answer for an unknown client", err)
	}
}
