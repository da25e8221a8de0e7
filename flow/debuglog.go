package flow

import (
	"context"
	"errors"
	"log/slog"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// WithDebugLog records every Cognito call on log: the operation, the auth
// flow or challenge named, how long it took, the challenge Cognito answered
// with and, on failure, the exception name and Kind. It records names only,
// never a value, so passwords, secrets, codes, sessions and tokens cannot
// reach it.
func WithDebugLog(log *slog.Logger) Option {
	return func(c *Client) {
		if log != nil {
			c.api = loggedAPI{next: c.api, log: log}
			c.logs = append(c.logs, log)
		}
	}
}

type loggedAPI struct {
	next API
	log  *slog.Logger
}

// record logs one call. sent is what the request named (a flow or challenge
// name); answered is the challenge the response named, if any.
func (l loggedAPI) record(ctx context.Context, op, sent, answered string, start time.Time, err error) {
	attrs := []slog.Attr{slog.String("op", op), slog.Duration("took", time.Since(start))}
	if sent != "" {
		attrs = append(attrs, slog.String("sent", sent))
	}
	if answered != "" {
		attrs = append(attrs, slog.String("challenge", answered))
	}
	if err != nil {
		var api smithy.APIError
		if errors.As(err, &api) {
			attrs = append(attrs, slog.String("exception", api.ErrorCode()))
		}
		attrs = append(attrs, slog.String("kind", classify(op, err).Kind.String()))
		l.log.LogAttrs(ctx, slog.LevelWarn, "cognito call failed", attrs...)
		return
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "cognito call", attrs...)
}

func (l loggedAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, o ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	start := time.Now()
	out, err := l.next.InitiateAuth(ctx, in, o...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	l.record(ctx, "InitiateAuth", string(in.AuthFlow), answered, start, err)
	return out, err
}

func (l loggedAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, o ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	start := time.Now()
	out, err := l.next.RespondToAuthChallenge(ctx, in, o...)
	var answered string
	if out != nil {
		answered = string(out.ChallengeName)
	}
	l.record(ctx, "RespondToAuthChallenge", string(in.ChallengeName), answered, start, err)
	return out, err
}

func (l loggedAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, o ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	start := time.Now()
	out, err := l.next.AssociateSoftwareToken(ctx, in, o...)
	l.record(ctx, "AssociateSoftwareToken", pathOf(in.Session), "", start, err)
	return out, err
}

func (l loggedAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, o ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	start := time.Now()
	out, err := l.next.VerifySoftwareToken(ctx, in, o...)
	var status string
	if out != nil {
		status = string(out.Status)
	}
	l.record(ctx, "VerifySoftwareToken", pathOf(in.Session), status, start, err)
	return out, err
}

func (l loggedAPI) SetUserMFAPreference(ctx context.Context, in *cip.SetUserMFAPreferenceInput, o ...func(*cip.Options)) (*cip.SetUserMFAPreferenceOutput, error) {
	start := time.Now()
	out, err := l.next.SetUserMFAPreference(ctx, in, o...)
	l.record(ctx, "SetUserMFAPreference", "", "", start, err)
	return out, err
}

func (l loggedAPI) GetUser(ctx context.Context, in *cip.GetUserInput, o ...func(*cip.Options)) (*cip.GetUserOutput, error) {
	start := time.Now()
	out, err := l.next.GetUser(ctx, in, o...)
	l.record(ctx, "GetUser", "", "", start, err)
	return out, err
}

// pathOf names the enrollment path a call is on, without its credential.
func pathOf(session *string) string {
	if session != nil {
		return "session"
	}
	return "access token"
}
