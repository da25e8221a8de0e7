package flow

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Endpoint says where Cognito is. Both fields are optional.
type Endpoint struct {
	URL        string       // --endpoint-url; empty: the SDK's own resolution (AWS_ENDPOINT_URL_*, then AWS)
	HTTPClient *http.Client // nil: the SDK's default
}

// NewAPI builds the SDK client for pool. The SDK's environment variables
// (AWS_REGION, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, ...) apply as usual.
// Credentials are anonymous: every operation this tool calls is unsigned, so
// no credential chain or instance-metadata probe can delay a call.
func NewAPI(ctx context.Context, pool Pool, ep Endpoint) (*cip.Client, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithCredentialsProvider(aws.AnonymousCredentials{}),
	}
	if pool.Region != "" {
		opts = append(opts, awsconfig.WithRegion(pool.Region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, withCause(newError(KindMisconfigured, "load AWS settings", say(i18n.ErrAWSSettings, "Cause", err.Error())), err)
	}
	if cfg.Region == "" {
		return nil, newError(KindMisconfigured, "load AWS settings", say(i18n.ErrNoRegion))
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		if ep.URL != "" {
			o.BaseEndpoint = aws.String(ep.URL)
		}
		// Set here rather than through the config loader, which refuses a
		// plain *http.Client when AWS_CA_BUNDLE is set.
		if ep.HTTPClient != nil {
			o.HTTPClient = ep.HTTPClient
		}
	}), nil
}
