// Package demo starts the local demo pool the wizard runs on when no pool is
// configured: cognitolocal on a loopback port, seeded with a user for each
// sign-in story, and the wizard's options for it. The wizard reaches it over
// HTTP like any Cognito, so the demo runs the same code as a real pool.
package demo

import (
	"context"
	"fmt"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/ui"
)

// Issuer is the name authenticator apps show for demo accounts.
const Issuer = "cognito-totp demo"

// Start serves a new demo pool and returns base completed for it (Client,
// Demo, PoolLabel) and how to stop it. issuer replaces Issuer when set.
func Start(ctx context.Context, issuer string, base ui.Options, flowOpts ...flow.Option) (ui.Options, func(), error) {
	local := cognitolocal.New(cognitolocal.Options{})
	seeded, err := local.SeedDemo()
	if err != nil {
		return base, nil, fmt.Errorf("could not seed the local demo pool: %w", err)
	}
	url, shutdown, err := local.ServeLoopback()
	if err != nil {
		return base, nil, fmt.Errorf("could not start the local demo pool: %w", err)
	}
	if issuer == "" {
		issuer = Issuer
	}
	pool := flow.Pool{UserPoolID: seeded.UserPoolID, ClientID: seeded.ClientID, Region: seeded.Region,
		Issuer: issuer, SessionValidity: flow.DefaultSessionValidity}
	// The SDK's configuration is loaded by the first sign-in, after the first frame.
	api := flow.NewLazyAPI(pool, flow.Endpoint{URL: url})
	o := base
	o.Client = flow.New(api, pool, flowOpts...)
	o.PoolLabel = "local demo pool " + seeded.UserPoolID // the wizard says it in its language, from PoolID
	o.Demo = &ui.Demo{Username: seeded.Username, Password: seeded.TemporaryPassword, PoolID: seeded.UserPoolID,
		LatestCode: func(username string) (ui.DemoCode, bool) { return latestCode(local, username) }}
	for _, u := range seeded.Users {
		story, ok := stories[u.Username]
		if !ok {
			continue // optional-user lives in the second pool, which this wizard does not sign in to
		}
		var secret string
		if u.Username == "totp-user" {
			secret = seeded.TOTPUserSecret
		}
		o.Demo.Users = append(o.Demo.Users, ui.DemoUser{Username: u.Username, Password: u.Password, Story: story, Secret: secret})
	}
	return o, shutdown, nil
}

// stories say in a few words what signing in as each demo user shows (the
// sentences are in the i18n catalogs).
var stories = map[string]i18n.Key{
	"demo":        i18n.DemoStoryDemo,
	"sms-user":    i18n.DemoStorySMS,
	"email-user":  i18n.DemoStoryEmail,
	"choose-user": i18n.DemoStoryChoose,
	"totp-user":   i18n.DemoStoryTOTP,
}

// latestCode is the newest SMS or email code the demo pool sent username.
func latestCode(local *cognitolocal.Server, username string) (ui.DemoCode, bool) {
	out := local.Outbox()
	for i := len(out) - 1; i >= 0; i-- {
		if m := out[i]; m.Username == username {
			return ui.DemoCode{Medium: m.Medium, Destination: m.Destination, Code: m.Code}, true
		}
	}
	return ui.DemoCode{}, false
}
