package admin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Connection says where the pool's Cognito is and whose credentials sign the calls.
type Connection struct {
	Region      string
	EndpointURL string                  // --endpoint-url; empty: the SDK's own resolution
	AWSProfile  string                  // --aws-profile, a profile of ~/.aws/config; empty: AWS_PROFILE, then default
	Credentials aws.CredentialsProvider // nil: the SDK's standard chain (environment, profile, SSO, instance or task role)
	HTTPClient  *http.Client            // nil: the SDK's default
	Retry       RetrySettings
}

// RetrySettings bound the SDK's retries (throttling, 5xx, network).
type RetrySettings struct {
	MaxAttempts int           // 0: 6
	MaxBackoff  time.Duration // 0: 20s, the SDK's default
}

func (r RetrySettings) withDefaults() RetrySettings {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 6
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = retry.DefaultMaxBackoff
	}
	return r
}

// retryer is the SDK's standard retryer (exponential backoff with jitter, so
// TooManyRequestsException waits longer each time) without its client-side
// retry quota, which a long status run would exhaust: admin's own rate
// limiter keeps the request rate down instead. Throttling gets MaxAttempts;
// anything else (a refused connection, a 5xx) the SDK's usual 3, so an
// unreachable endpoint is said in seconds. extra checks come first.
func (r RetrySettings) retryer(extra ...retry.IsErrorRetryable) aws.Retryer {
	r = r.withDefaults()
	return patientOnThrottle{retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = r.MaxAttempts
		o.MaxBackoff = r.MaxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append(slices.Clone(extra), o.Retryables...)
	})}
}

// otherAttempts is how many attempts an error other than throttling gets.
const otherAttempts = retry.DefaultMaxAttempts

type patientOnThrottle struct{ aws.RetryerV2 }

// RetryDelay ends the retries of an error that is not throttling after
// otherAttempts: the SDK's retry middleware stops on an error from here.
func (p patientOnThrottle) RetryDelay(attempt int, err error) (time.Duration, error) {
	if attempt >= otherAttempts && throttleCheck.IsErrorThrottle(err) != aws.TrueTernary {
		return 0, err
	}
	return p.RetryerV2.RetryDelay(attempt, err)
}

// Connect loads the AWS settings, checks that credentials can be had (before
// any call, so a missing one is said at once), and returns an Admin for poolID.
func Connect(ctx context.Context, poolID string, c Connection) (*Admin, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, awsconfig.WithRegion(c.Region))
	}
	if c.AWSProfile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(c.AWSProfile))
	}
	if c.Credentials != nil {
		opts = append(opts, awsconfig.WithCredentialsProvider(c.Credentials))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var missing awsconfig.SharedConfigProfileNotExistError
		if errors.As(err, &missing) {
			return nil, withCause(newError(KindNoCredentials, say(i18n.AdminErrNoProfile, "Profile", quote(c.AWSProfile))), err)
		}
		return nil, withCause(newError(KindNoCredentials, say(i18n.AdminErrAWSSettings, "Cause", err.Error())), err)
	}
	if cfg.Region == "" {
		return nil, newError(KindPoolNotFound, say(i18n.AdminErrNoRegion))
	}
	if err := checkCredentials(ctx, cfg.Credentials); err != nil {
		return nil, err
	}
	r := c.Retry.withDefaults()
	client := cip.NewFromConfig(cfg, func(o *cip.Options) {
		if c.EndpointURL != "" {
			o.BaseEndpoint = aws.String(c.EndpointURL)
		}
		if c.HTTPClient != nil {
			o.HTTPClient = c.HTTPClient
		}
		o.Retryer = r.retryer()
	})
	return New(client, poolID, r), nil
}

// NoCredentials is the sentence for a credential chain that found nothing.
// A function, not a variable: the catalogs are read only when a sentence is
// said, never while the program starts.
func NoCredentials() string { return say(i18n.AdminErrNoCredentials).english() }

func withCause(e *Error, err error) *Error {
	e.Err = err
	return e
}

func checkCredentials(ctx context.Context, p aws.CredentialsProvider) error {
	if p == nil {
		return newError(KindNoCredentials, say(i18n.AdminErrNoCredentials))
	}
	creds, err := p.Retrieve(ctx)
	if err == nil && creds.HasKeys() {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return withCause(newError(KindCanceled, say(i18n.AdminErrStoppedCredentials)), err)
	}
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "sso") {
		return withCause(newError(KindBadCredentials, say(i18n.AdminErrSSO)), err)
	}
	var api smithy.APIError
	if errors.As(err, &api) { // an STS answer: the chain found a source that refused
		return withCause(newError(KindBadCredentials, say(i18n.AdminErrCredentialsRefused, "Code", api.ErrorCode())), err)
	}
	return withCause(newError(KindNoCredentials, say(i18n.AdminErrNoCredentials)), err)
}

func quote(s string) string { return strconv.Quote(s) }
