package flow

import (
	"context"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/middleware"
)

// cognitoClock is the offset between Cognito's clock and this computer's,
// from the latest answer that carried the server's time. Codes are checked
// by Cognito's clock, so that is the one the wizard shows and diagnoses by.
type cognitoClock struct {
	mu     sync.Mutex
	offset time.Duration
	known  bool
}

// CognitoOffset is Cognito's clock minus this computer's, measured on the
// latest answer; ok is false until an answer carried the server's time.
// The server's time has whole seconds, so this is within a second.
func (c *Client) CognitoOffset() (offset time.Duration, ok bool) {
	c.clock.mu.Lock()
	defer c.clock.mu.Unlock()
	return c.clock.offset, c.clock.known
}

// CognitoNow is the time by Cognito's clock: this computer's clock moved by
// the latest measured offset (unmoved before any answer).
func (c *Client) CognitoNow() time.Time {
	offset, _ := c.CognitoOffset()
	return c.now().Add(offset)
}

// observe notes the server time of an answer, from the SDK's response
// metadata, whether the call worked or not.
func (c *Client) observe(serverTime time.Time) {
	offset := serverTime.Sub(c.now())
	c.clock.mu.Lock()
	c.clock.offset, c.clock.known = offset, true
	c.clock.mu.Unlock()
}

// serverTimeOption makes one SDK call report the server time it read. The
// SDK records it in the response metadata, which a failed call's error does
// not carry, so a step of the call's own middleware stack reads it there.
func (c *Client) serverTimeOption() func(*cip.Options) {
	read := middleware.DeserializeMiddlewareFunc("CognitoTOTPServerTime", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if t, ok := awsmiddleware.GetServerTime(md); ok {
			c.observe(t)
		}
		return out, md, err
	})
	return func(o *cip.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Deserialize.Add(read, middleware.Before)
		})
	}
}

// clockedAPI adds serverTimeOption to every call.
type clockedAPI struct {
	next API
	c    *Client
}

func (a clockedAPI) with(o []func(*cip.Options)) []func(*cip.Options) {
	return append(o[:len(o):len(o)], a.c.serverTimeOption())
}

func (a clockedAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, o ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	return a.next.InitiateAuth(ctx, in, a.with(o)...)
}

func (a clockedAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, o ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	return a.next.RespondToAuthChallenge(ctx, in, a.with(o)...)
}

func (a clockedAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, o ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	return a.next.AssociateSoftwareToken(ctx, in, a.with(o)...)
}

func (a clockedAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, o ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	return a.next.VerifySoftwareToken(ctx, in, a.with(o)...)
}

func (a clockedAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, o ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	return a.next.SetUserMFAPreference(ctx, in, a.with(o)...)
}

func (a clockedAPI) GetUser(ctx context.Context, in *cip.GetUserInput, o ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	return a.next.GetUser(ctx, in, a.with(o)...)
}
