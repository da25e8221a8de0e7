package serve

import (
	"context"

	"github.com/cognito-totp/cognito-totp/demo"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/ui"
)

// Wizard is one session's wizard: the options for ui.New, and what to release
// when the session ends.
type Wizard struct {
	Options ui.Options
	Close   func() // may be nil
}

// Wizards makes a new Wizard for each SSH session; ctx is the connection's.
// The server adds flow options of its own (its metrics) to each.
type Wizards func(ctx context.Context, more ...flow.Option) (Wizard, error)

// PoolWizards gives each session its own flow.Client on one configured pool,
// all over one SDK client (which is safe to share and holds no session).
// base carries what every session shares: username to pre-fill, pool label,
// call timeout.
func PoolWizards(api flow.API, pool flow.Pool, base ui.Options, flowOpts ...flow.Option) Wizards {
	return func(_ context.Context, more ...flow.Option) (Wizard, error) {
		o := base
		o.Client = flow.New(api, pool, append(append([]flow.Option{}, flowOpts...), more...)...)
		return Wizard{Options: o}, nil
	}
}

// DemoWizards gives each session a demo pool and user of its own, so people
// trying the demo at once never share an account, and the pool goes away
// with the session. The wizard says on screen that it is a local demo.
func DemoWizards(issuer string, base ui.Options, flowOpts ...flow.Option) Wizards {
	return func(ctx context.Context, more ...flow.Option) (Wizard, error) {
		o, shutdown, err := demo.Start(ctx, issuer, base, append(append([]flow.Option{}, flowOpts...), more...)...)
		if err != nil {
			return Wizard{}, err
		}
		return Wizard{Options: o, Close: shutdown}, nil
	}
}
