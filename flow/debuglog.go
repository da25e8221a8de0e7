package flow

import (
	"context"
	"log/slog"
)

// WithDebugLog records every Cognito call on log: the operation, the auth
// flow or challenge named, how long it took, the challenge Cognito answered
// with and, on failure, the exception name and Kind; and each code measured
// against Cognito's clock. It is an Observer, so it is handed names only,
// never a value: passwords, secrets, codes, sessions and tokens cannot reach
// it.
func WithDebugLog(log *slog.Logger) Option {
	if log == nil {
		return func(*Client) {}
	}
	return WithObserver(debugLog{log})
}

type debugLog struct{ log *slog.Logger }

func (d debugLog) Called(ctx context.Context, c Call) {
	attrs := []slog.Attr{slog.String("op", c.Op), slog.Duration("took", c.Took)}
	if c.Sent != "" {
		attrs = append(attrs, slog.String("sent", c.Sent))
	}
	if c.Answered != "" {
		attrs = append(attrs, slog.String("challenge", c.Answered))
	}
	if c.Failed {
		if c.Exception != "" {
			attrs = append(attrs, slog.String("exception", c.Exception))
		}
		attrs = append(attrs, slog.String("kind", c.Kind.String()))
		d.log.LogAttrs(ctx, slog.LevelWarn, "cognito call failed", attrs...)
		return
	}
	d.log.LogAttrs(ctx, slog.LevelInfo, "cognito call", attrs...)
}

// Clocked records a diagnosis: the cause and the offsets measured, never
// the code or the secret.
func (d debugLog) Clocked(ctx context.Context, c Clock) {
	msg := "code accepted from a step next to Cognito's"
	if c.Refused {
		msg = "code refused"
	}
	attrs := []slog.Attr{slog.Duration("phone_offset", c.Diagnosis.PhoneOffset), slog.Duration("cognito_offset", c.CognitoOffset)}
	if c.Diagnosis.Cause != CauseNone {
		attrs = append([]slog.Attr{slog.String("cause", string(c.Diagnosis.Cause))}, attrs...)
	}
	d.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}
