package loadkit

import (
	"context"
	"sync"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-totp/cognito-totp/flow"
)

// The operations of one enrollment on the MFA_SETUP path, in order.
const (
	OpInitiateAuth  = "InitiateAuth"
	OpNewPassword   = "RespondToAuthChallenge NEW_PASSWORD_REQUIRED"
	OpAssociate     = "AssociateSoftwareToken"
	OpVerify        = "VerifySoftwareToken"
	OpMFASetup      = "RespondToAuthChallenge MFA_SETUP"
	OpOtherResponse = "RespondToAuthChallenge other"
)

// Ops lists the operations in the order an enrollment makes them.
var Ops = []string{OpInitiateAuth, OpNewPassword, OpAssociate, OpVerify, OpMFASetup}

// Latencies collects how long each Cognito call took, by operation.
type Latencies struct {
	mu sync.Mutex
	by map[string][]time.Duration
}

func (l *Latencies) add(op string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[string][]time.Duration{}
	}
	l.by[op] = append(l.by[op], d)
}

// Take returns what was collected and starts afresh.
func (l *Latencies) Take() map[string][]time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	by := l.by
	l.by = nil
	return by
}

// TimedAPI is a flow.API that times each call of the API it wraps.
type TimedAPI struct {
	API flow.API
	Lat *Latencies
}

func timed[T any](l *Latencies, op string, f func() (T, error)) (T, error) {
	start := time.Now()
	out, err := f()
	if err == nil {
		l.add(op, time.Since(start))
	}
	return out, err
}

func (t TimedAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, o ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	return timed(t.Lat, OpInitiateAuth, func() (*cip.InitiateAuthOutput, error) { return t.API.InitiateAuth(ctx, in, o...) })
}

func (t TimedAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, o ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	op := OpOtherResponse
	switch in.ChallengeName {
	case flow.ChallengeNewPassword:
		op = OpNewPassword
	case flow.ChallengeMFASetup:
		op = OpMFASetup
	}
	return timed(t.Lat, op, func() (*cip.RespondToAuthChallengeOutput, error) { return t.API.RespondToAuthChallenge(ctx, in, o...) })
}

func (t TimedAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, o ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	return timed(t.Lat, OpAssociate, func() (*cip.AssociateSoftwareTokenOutput, error) { return t.API.AssociateSoftwareToken(ctx, in, o...) })
}

func (t TimedAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, o ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	return timed(t.Lat, OpVerify, func() (*cip.VerifySoftwareTokenOutput, error) { return t.API.VerifySoftwareToken(ctx, in, o...) })
}

func (t TimedAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, o ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	return timed(t.Lat, "SetUserMFAPreference", func() (*cip.SetUserMFAPreferenceOutput, error) { return t.API.SetUserMFAPreference(ctx, in, o...) })
}

func (t TimedAPI) GetUser(ctx context.Context, in *cip.GetUserInput, o ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	return timed(t.Lat, "GetUser", func() (*cip.GetUserOutput, error) { return t.API.GetUser(ctx, in, o...) })
}
