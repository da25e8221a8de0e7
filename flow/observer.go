package flow

import (
	"context"
	"errors"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// Observer is told what a Client does as it happens: each Cognito call as it
// ends, and each authenticator code diagnosed against the secret being set
// up. Events carry names, kinds and durations only, never a value a person
// typed or Cognito issued (password, secret, code, session, token), so an
// observer may log or count them as it likes. The debug log (WithDebugLog)
// is one observer; serve's metrics are another. Events come on the
// goroutine running the operation: an Observer shared by Clients must be
// safe for concurrent use, and it should return quickly.
type Observer interface {
	CognitoCall(context.Context, Call)
	CodeChecked(context.Context, CodeCheck)
}

// Call is one Cognito call, retries included, as it ended.
type Call struct {
	Operation string        // Cognito's operation name: "InitiateAuth", "VerifySoftwareToken"
	Sent      string        // the auth flow or challenge the request named, or the enrollment path ("session", "access token"); empty when none
	Answered  string        // the challenge or verification status the answer named; empty when none
	Took      time.Duration // from the request to the answer, retries included
	Failed    bool
	Exception string // Cognito's exception name, when it failed with one
	Kind      Kind   // what the failure means, as the error flow returns says it; KindUnknown when it did not fail
}

// CodeCheck is an authenticator code diagnosed against the secret just set
// up: one Cognito refused (Refused, with the Cause found), or one it
// accepted from a time step next to its own (PhoneOffset not zero).
type CodeCheck struct {
	Refused       bool
	Cause         Cause         // why it was refused; CauseNone when it was accepted or no cause was found
	PhoneOffset   time.Duration // the authenticator's clock minus Cognito's, as the code shows it
	CognitoOffset time.Duration // Cognito's clock minus this computer's, from its latest answer
}

// WithObserver has o told of every Cognito call the Client makes and every
// code it diagnoses. Several observers may be given; each is told in turn.
func WithObserver(o Observer) Option {
	return func(c *Client) {
		if o != nil {
			c.observers = append(c.observers, o)
		}
	}
}

// observedAPI tells the Client's observers of each call it passes on.
type observedAPI struct {
	next      API
	observers []Observer
}

// record tells of one call. sent is what the request named (a flow or
// challenge name); answered is what the answer named, if anything.
func (o observedAPI) record(ctx context.Context, op, sent, answered string, start time.Time, err error) {
	call := Call{Operation: op, Sent: sent, Answered: answered, Took: time.Since(start)}
	if err != nil {
		call.Failed = true
		var api smithy.APIError
		if errors.As(err, &api) {
			call.Exception = api.ErrorCode()
		}
		call.Kind = classify(op, err).Kind
	}
	for _, ob := range o.observers {
		ob.CognitoCall(ctx, call)
	}
}

// codeChecked tells the observers of a code diagnosed.
func (c *Client) codeChecked(ctx context.Context, check CodeCheck) {
	check.CognitoOffset, _ = c.CognitoOffset()
	for _, ob := range c.observers {
		ob.CodeChecked(ctx, check)
	}
}

func (o observedAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, opts ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	start := time.Now()
	out, err := o.next.InitiateAuth(ctx, in, opts...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	o.record(ctx, "InitiateAuth", string(in.AuthFlow), answered, start, err)
	return out, err
}

func (o observedAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, opts ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	start := time.Now()
	out, err := o.next.RespondToAuthChallenge(ctx, in, opts...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	o.record(ctx, "RespondToAuthChallenge", string(in.ChallengeName), answered, start, err)
	return out, err
}

func (o observedAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, opts ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	start := time.Now()
	out, err := o.next.AssociateSoftwareToken(ctx, in, opts...)
	o.record(ctx, "AssociateSoftwareToken", pathOf(in.Session), "", start, err)
	return out, err
}

func (o observedAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, opts ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	start := time.Now()
	out, err := o.next.VerifySoftwareToken(ctx, in, opts...)
	var status string
	if out != nil {
		status = string(out.Status)
	}
	o.record(ctx, "VerifySoftwareToken", pathOf(in.Session), status, start, err)
	return out, err
}

func (o observedAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, opts ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	start := time.Now()
	out, err := o.next.SetUserMFAPreference(ctx, in, opts...)
	o.record(ctx, "SetUserMFAPreference", "", "", start, err)
	return out, err
}

func (o observedAPI) GetUser(ctx context.Context, in *cip.GetUserInput, opts ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	start := time.Now()
	out, err := o.next.GetUser(ctx, in, opts...)
	o.record(ctx, "GetUser", "", "", start, err)
	return out, err
}

// pathOf names the enrollment path a call is on, without its credential.
func pathOf(session *string) string {
	if session != nil {
		return "session"
	}
	return "access token"
}
