package flow

import (
	"context"
	"log/slog"
)

// WithDebugLog records every Cognito call on log: the operation, the auth
// flow or challenge named, how long it took, the challenge Cognito answered
// with and, on failure, the exception name and Kind; and each code
// diagnosed, with its cause and the clocks' offsets. It is an Observer, so
// it sees names only, never a value: passwords, secrets, codes, sessions
// and tokens cannot reach it.
func WithDebugLog(log *slog.Logger) Option {
	if log == nil {
		return func(*Client) {}
	}
	return WithObserver(debugLog{log})
}

// debugLog writes the events an Observer is told of as slog records.
type debugLog struct{ log *slog.Logger }

func (l debugLog) CognitoCall(ctx context.Context, c Call) {
	attrs := []slog.Attr{slog.String("op", c.Operation), slog.Duration("took", c.Took)}
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
		l.log.LogAttrs(ctx, slog.LevelWarn, "cognito call failed", attrs...)
		return
	}
	l.log.LogAttrs(ctx, slog.LevelInfo, "cognito call", attrs...)
}

func (l debugLog) CodeChecked(ctx context.Context, c CodeCheck) {
	msg := "code accepted from a step next to Cognito's"
	if c.Refused {
		msg = "code refused"
	}
	attrs := []slog.Attr{slog.Duration("phone_offset", c.PhoneOffset), slog.Duration("cognito_offset", c.CognitoOffset)}
	if c.Cause != CauseNone {
		attrs = append([]slog.Attr{slog.String("cause", string(c.Cause))}, attrs...)
	}
	l.log.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}
