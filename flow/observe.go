package flow

import (
	"context"
	"errors"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// Observer is told what a Client does: each Cognito call, and each
// authenticator code whose timing was diagnosed. It is handed names, kinds
// and durations only, never a value, so no password, secret, code, session
// or token can reach it. The debug log and serve's metrics are observers.
// Its methods run on the goroutine that made the call and must not block.
type Observer interface {
	Called(ctx context.Context, c Call)
	Clocked(ctx context.Context, c Clock)
}

// Call is one Cognito call as an Observer sees it.
type Call struct {
	Op       string        // the API operation: InitiateAuth, VerifySoftwareToken, ...
	Sent     string        // the auth flow or challenge the request named, or the enrollment path
	Answered string        // the challenge or status the answer named; "" when none
	Took     time.Duration // from the request to the answer
	// Failed is true when the call returned an error; Kind is then what
	// the person can do about it, and Exception Cognito's exception name
	// when it answered with one.
	Failed    bool
	Kind      Kind
	Exception string
}

// Clock is an authenticator code measured against Cognito's clock: a code
// Cognito refused, with Diagnosis.Cause saying why, or one it accepted from
// a step next to its own (Refused false, Cause CauseNone).
type Clock struct {
	Refused       bool
	Diagnosis     Diagnosis
	CognitoOffset time.Duration // Cognito's clock minus this computer's, as last measured
}

// WithObserver tells o what the Client does. Several observers may be
// given; each is told everything, in the order given.
func WithObserver(o Observer) Option {
	return func(c *Client) {
		if o == nil {
			return
		}
		if len(c.observers) == 0 {
			c.api = observedAPI{next: c.api, c: c}
		}
		c.observers = append(c.observers, o)
	}
}

// clocked tells the observers of a code measured against Cognito's clock.
func (c *Client) clocked(ctx context.Context, refused bool, d Diagnosis) {
	if len(c.observers) == 0 {
		return
	}
	cognito, _ := c.CognitoOffset()
	for _, o := range c.observers {
		o.Clocked(ctx, Clock{Refused: refused, Diagnosis: d, CognitoOffset: cognito})
	}
}

// observedAPI tells the Client's observers of every call that passes.
type observedAPI struct {
	next API
	c    *Client
}

// called tells the observers of one call. sent is what the request named
// (a flow or challenge name); answered is what the response named, if any.
func (o observedAPI) called(ctx context.Context, op, sent, answered string, start time.Time, err error) {
	call := Call{Op: op, Sent: sent, Answered: answered, Took: time.Since(start)}
	if err != nil {
		call.Failed = true
		call.Kind = classify(op, err).Kind
		var api smithy.APIError
		if errors.As(err, &api) {
			call.Exception = api.ErrorCode()
		}
	}
	for _, ob := range o.c.observers {
		ob.Called(ctx, call)
	}
}

func (o observedAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, opts ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	start := time.Now()
	out, err := o.next.InitiateAuth(ctx, in, opts...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	o.called(ctx, "InitiateAuth", string(in.AuthFlow), answered, start, err)
	return out, err
}

func (o observedAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, opts ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	start := time.Now()
	out, err := o.next.RespondToAuthChallenge(ctx, in, opts...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	o.called(ctx, "RespondToAuthChallenge", string(in.ChallengeName), answered, start, err)
	return out, err
}

func (o observedAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, opts ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	start := time.Now()
	out, err := o.next.AssociateSoftwareToken(ctx, in, opts...)
	o.called(ctx, "AssociateSoftwareToken", pathOf(in.Session), "", start, err)
	return out, err
}

func (o observedAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, opts ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	start := time.Now()
	out, err := o.next.VerifySoftwareToken(ctx, in, opts...)
	var status string
	if out != nil {
		status = string(out.Status)
	}
	o.called(ctx, "VerifySoftwareToken", pathOf(in.Session), status, start, err)
	return out, err
}

func (o observedAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, opts ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	start := time.Now()
	out, err := o.next.SetUserMFAPreference(ctx, in, opts...)
	o.called(ctx, "SetUserMFAPreference", "", "", start, err)
	return out, err
}

func (o observedAPI) GetUser(ctx context.Context, in *cip.GetUserInput, opts ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	start := time.Now()
	out, err := o.next.GetUser(ctx, in, opts...)
	o.called(ctx, "GetUser", "", "", start, err)
	return out, err
}

// pathOf names the enrollment path a call is on, without its credential.
func pathOf(session *string) string {
	if session != nil {
		return "session"
	}
	return "access token"
}
