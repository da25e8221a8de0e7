// Package flow is the enrollment logic over Cognito: sign in, answer challenges,
// associate and verify a software token, and finish with TOTP enabled. It knows
// nothing of the terminal; every operation takes a context and returns the next
// Step or a *Error whose Kind tells the caller what to do.
package flow

import (
	"context"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// API is the part of the Cognito client this package uses. The SDK's
// *cognitoidentityprovider.Client satisfies it; tests point a real one at
// cognitolocal over loopback, so the wire format is exercised too.
type API interface {
	InitiateAuth(context.Context, *cip.InitiateAuthInput, ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
	RespondToAuthChallenge(context.Context, *cip.RespondToAuthChallengeInput, ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error)
	AssociateSoftwareToken(context.Context, *cip.AssociateSoftwareTokenInput, ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error)
	VerifySoftwareToken(context.Context, *cip.VerifySoftwareTokenInput, ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error)
	SetUserMFAPreference(context.Context, *cip.SetUserMFAPreferenceInput, ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error)
	GetUser(context.Context, *cip.GetUserInput, ...func(*cip.Options)) (*cip.GetUserOutput, error)
}

// DefaultSessionValidity is Cognito's default AuthSessionValidity for an app client.
const DefaultSessionValidity = 3 * time.Minute

// DefaultIssuer is the issuer Amplify writes into authenticator apps; --issuer replaces it.
const DefaultIssuer = "AWSCognito"

// Pool says which user pool and app client to talk to.
type Pool struct {
	UserPoolID   string
	ClientID     string
	ClientSecret string // empty when the app client has none
	Region       string
	Issuer       string // the name the authenticator app shows; DefaultIssuer when empty
	// SessionValidity is the app client's AuthSessionValidity. The user API
	// cannot read it, so it is configuration; DefaultSessionValidity when zero.
	SessionValidity time.Duration
}

func (p Pool) issuer() string {
	if p.Issuer == "" {
		return DefaultIssuer
	}
	return p.Issuer
}

func (p Pool) sessionValidity() time.Duration {
	if p.SessionValidity <= 0 {
		return DefaultSessionValidity
	}
	return p.SessionValidity
}

// Client runs enrollment operations against one app client.
type Client struct {
	api       API
	pool      Pool
	now       func() time.Time
	clientIP  string       // sent as UserContextData.IpAddress when set (usercontext.go)
	clock     cognitoClock // Cognito's clock, from its latest answer
	spent     spentCode    // the latest code Cognito accepted from an authenticator being set up
	observers []Observer   // told of every call and measured code (WithObserver)
}

// Option adjusts a Client.
type Option func(*Client)

// WithClock makes the Client read time from now; tests and the session clock use it.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a Client for pool that calls api.
func New(api API, pool Pool, opts ...Option) *Client {
	c := &Client{pool: pool, now: time.Now}
	c.api = clockedAPI{next: api, c: c}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Pool returns the pool this Client talks to.
func (c *Client) Pool() Pool { return c.pool }

// Now is the Client's clock.
func (c *Client) Now() time.Time { return c.now() }
