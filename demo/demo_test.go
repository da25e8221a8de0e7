package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/ui"
)

func TestStartServesADemoPoolWithItsStories(t *testing.T) {
	ctx := context.Background()
	o, shutdown, err := Start(ctx, "", ui.Options{Username: "kept"})
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown()
	if o.Username != "kept" || o.Client == nil || !strings.HasPrefix(o.PoolLabel, "local demo pool ") {
		t.Fatalf("options %+v", o)
	}
	if o.Client.Pool().Issuer != Issuer {
		t.Fatalf("issuer %q", o.Client.Pool().Issuer)
	}
	var names []string
	for _, u := range o.Demo.Users {
		names = append(names, u.Username)
		if u.Story == "" || u.Password == "" {
			t.Errorf("%s has no story or password", u.Username)
		}
	}
	if strings.Join(names, ",") != "demo,sms-user,totp-user,email-user,choose-user" {
		t.Fatalf("demo users %v: the optional pool's user cannot sign in here", names)
	}

	step, err := o.Client.SignInWith(ctx, flow.AuthSRP, o.Demo.Username, o.Demo.Password)
	if err != nil || step.Challenge != flow.ChallengeNewPassword {
		t.Fatalf("demo sign-in: %q %v", step.Challenge, err)
	}
	if _, ok := o.Demo.LatestCode("sms-user"); ok {
		t.Fatal("nothing was sent yet")
	}
	var sms string
	for _, u := range o.Demo.Users {
		if u.Username == "sms-user" {
			sms = u.Password
		}
	}
	step, err = o.Client.SignInWith(ctx, flow.AuthSRP, "sms-user", sms)
	if err != nil || step.Challenge != flow.ChallengeSMS {
		t.Fatalf("sms-user: %q %v", step.Challenge, err)
	}
	code, ok := o.Demo.LatestCode("sms-user")
	if !ok || code.Medium != "SMS" || len(code.Code) != 6 {
		t.Fatalf("outbox %+v %v", code, ok)
	}
	if signedIn, err := o.Client.AnswerCode(ctx, step, code.Code); err != nil || !signedIn.SignedIn() {
		t.Fatalf("the outbox code must be the one Cognito checks: %v", err)
	}
}

func TestIssuerCanBeReplaced(t *testing.T) {
	o, shutdown, err := Start(context.Background(), "Acme", ui.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown()
	if o.Client.Pool().Issuer != "Acme" {
		t.Fatalf("issuer %q", o.Client.Pool().Issuer)
	}
}
