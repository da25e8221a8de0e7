package flow

import (
	"context"
	"sync"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// NewLazyAPI is NewAPI made on the first call instead of at once. Loading the
// SDK's configuration reads the environment and ~/.aws and parses any
// AWS_CA_BUNDLE (tens of milliseconds with a system bundle), none of which
// the wizard's first screen needs; the first sign-in pays for it instead. An
// error loading it is that call's error, as NewAPI would have returned it; a
// later call tries again.
func NewLazyAPI(pool Pool, ep Endpoint) API {
	return &lazyAPI{pool: pool, ep: ep}
}

type lazyAPI struct {
	pool Pool
	ep   Endpoint

	mu     sync.Mutex
	client *cip.Client
}

func (l *lazyAPI) get(ctx context.Context) (*cip.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.client == nil {
		c, err := NewAPI(ctx, l.pool, l.ep)
		if err != nil {
			return nil, err
		}
		l.client = c
	}
	return l.client, nil
}

// call runs op on the client, made first if it is not yet.
func call[I, O any](ctx context.Context, l *lazyAPI, op func(*cip.Client, context.Context, *I, ...func(*cip.Options)) (*O, error), in *I, o []func(*cip.Options)) (*O, error) {
	c, err := l.get(ctx)
	if err != nil {
		return nil, err
	}
	return op(c, ctx, in, o...)
}

func (l *lazyAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, o ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	return call(ctx, l, (*cip.Client).InitiateAuth, in, o)
}

func (l *lazyAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, o ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	return call(ctx, l, (*cip.Client).RespondToAuthChallenge, in, o)
}

func (l *lazyAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, o ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	return call(ctx, l, (*cip.Client).AssociateSoftwareToken, in, o)
}

func (l *lazyAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, o ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	return call(ctx, l, (*cip.Client).VerifySoftwareToken, in, o)
}

func (l *lazyAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, o ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	return call(ctx, l, (*cip.Client).SetUserMFAPreference, in, o)
}

func (l *lazyAPI) GetUser(ctx context.Context, in *cip.GetUserInput, o ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	return call(ctx, l, (*cip.Client).GetUser, in, o)
}
