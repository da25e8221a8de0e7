package ui

import (
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
)

// Demo is set when the wizard runs against the local demo pool.
type Demo struct {
	Username, Password string
	PoolID             string                                 // the demo pool's ID, for the header; "" leaves PoolLabel as given
	Users              []DemoUser                             // more demo users, each with its story
	LatestCode         func(username string) (DemoCode, bool) // the demo's outbox: the last SMS or email code sent
}

// DemoUser is one user of the demo pool and what signing in with it shows:
// Story is the sentence's key, Secret fills the key's {{.Secret}} if it has one.
type DemoUser struct {
	Username, Password string
	Story              i18n.Key
	Secret             string
}

// DemoCode is a code the demo pool "sent", read from its local outbox.
type DemoCode struct{ Medium, Destination, Code string }

// Options configure the wizard.
type Options struct {
	Client      *flow.Client
	Username    string           // pre-fills the username field; may be empty
	Demo        *Demo            // non-nil: say "local demo pool, not AWS" on every screen, show its credentials
	PoolLabel   string           // shown in the header; "": made from Client's pool (PoolLabel), in the wizard's language
	Now         func() time.Time // clock for the session countdown; nil: time.Now
	CallTimeout time.Duration    // per call to Cognito; 0: 20s
	AuthFlow    flow.AuthFlow    // how to sign in; zero: flow.AuthSRP
	AccessToken string           // non-empty: the person is signed in already; enroll with this token
	Lang        *i18n.Localizer  // the language every screen speaks; nil: English
}

// PoolLabel names a pool for the header in tr's language: its ID (or, with
// none, its region) and the app client.
func PoolLabel(tr *i18n.Localizer, p flow.Pool) string {
	pool := p.UserPoolID
	if pool == "" {
		pool = p.Region
	}
	return tr.T(i18n.AppPoolLabel, "Pool", pool, "ClientID", p.ClientID)
}

// Outcome is how the wizard ended; the same for plain mode and serve.
type Outcome = outcome.Outcome

// The endings, named here so the wizard's callers need not import outcome.
const (
	Quit        = outcome.Quit
	Enrolled    = outcome.Enrolled
	Failed      = outcome.Failed
	Interrupted = outcome.Interrupted
)
