// Package localtest starts a local Amazon Cognito user-pools endpoint for a
// test, in the manner of net/http/httptest: one line to start it, closed by
// the test's cleanup, and a few calls to make a pool, an app client and users.
// Everything is made through the real AWS SDK over loopback HTTP, so a test
// that uses it exercises the same wire format as one against Cognito.
//
//	srv := localtest.New(t)
//	pool := srv.Pool(localtest.MFAOn)
//	client := pool.Client()
//	user := pool.User("alice")
//	// sign in as user.Name with user.Password through client.ID at srv.URL,
//	// and answer a TOTP challenge with srv.Code(secret).
package localtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// Region is the region the endpoint and its pools say they are in, unless
// InRegion says another.
const Region = "us-east-1"

// Password is the permanent password of users made by Pool.User.
const Password = "Local-Test-Pass-1!"

// Server is a running endpoint. Its clock starts at the real time and moves
// only when the test moves it (Clock.Advance), so session expiry and TOTP
// steps can be tested in microseconds.
type Server struct {
	// URL is the endpoint's base URL, for an SDK's BaseEndpoint or the aws
	// CLI's --endpoint-url.
	URL string
	// Region is the region the endpoint and its pools say they are in.
	Region string
	// Clock is the endpoint's clock.
	Clock *cognitolocal.ManualClock
	// Endpoint is the server itself, for what the SDK cannot reach (the
	// outbox of SMS and email codes, injected faults).
	Endpoint *cognitolocal.Server
	// Admin is an SDK client signed with dummy credentials, for the
	// administrators' operations; User is unsigned, as an app's client is.
	Admin, User *cip.Client

	helper func()
	fatalf func(format string, args ...any)
	close  func()
}

// Option changes the endpoint New and NewServer start.
type Option func(*settings)

type settings struct {
	start  time.Time
	region string
	wrap   func(http.Handler) http.Handler
}

// At starts the endpoint's clock at t instead of the real time, for a test
// whose codes and tokens must come out the same on every run.
func At(t time.Time) Option { return func(s *settings) { s.start = t } }

// InRegion makes the endpoint and its pools say they are in region.
func InRegion(region string) Option { return func(s *settings) { s.region = region } }

// Through puts wrap in front of the endpoint, so that a test can count or
// inspect the requests that reach it; the SDK clients go through it too.
func Through(wrap func(http.Handler) http.Handler) Option {
	return func(s *settings) { s.wrap = wrap }
}

// New starts an empty endpoint on loopback and stops it when the test ends.
// A failure to make anything fails the test.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := start(opts)
	s.helper, s.fatalf = t.Helper, t.Fatalf
	t.Cleanup(s.Close)
	return s
}

// NewServer starts an empty endpoint on loopback, outside a test (an example,
// a development tool); the caller closes it. A failure to make anything
// panics.
func NewServer(opts ...Option) *Server {
	s := start(opts)
	s.helper = func() {}
	s.fatalf = func(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
	return s
}

// Close stops the endpoint.
func (s *Server) Close() { s.close() }

func start(opts []Option) *Server {
	set := settings{start: time.Now().UTC().Truncate(time.Second), region: Region}
	for _, o := range opts {
		o(&set)
	}
	clock := cognitolocal.NewManualClock(set.start)
	endpoint := cognitolocal.New(cognitolocal.Options{Clock: clock, Region: set.region})
	var h http.Handler = endpoint
	if set.wrap != nil {
		h = set.wrap(endpoint)
	}
	hs := httptest.NewServer(h)
	mk := func(creds aws.CredentialsProvider) *cip.Client {
		return cip.New(cip.Options{
			Region: set.region, BaseEndpoint: aws.String(hs.URL), Credentials: creds,
			HTTPClient: hs.Client(), RetryMaxAttempts: 1,
		})
	}
	return &Server{
		URL: hs.URL, Region: set.region, Clock: clock, Endpoint: endpoint, close: hs.Close,
		Admin: mk(credentials.NewStaticCredentialsProvider("local", "local", "")),
		User:  mk(aws.AnonymousCredentials{}),
	}
}

// Demo seeds the endpoint's demo pool (the one `cognito-totp` runs on with
// no pool configured: a user for each sign-in path, with their passwords)
// and returns it.
func (s *Server) Demo() cognitolocal.Demo {
	s.helper()
	demo, err := s.Endpoint.SeedDemo()
	s.check("seed the demo pool", err)
	return demo
}

// Code is the TOTP code of secret at the endpoint's time now.
func (s *Server) Code(secret string) string {
	s.helper()
	code, err := totp.GenerateCode(secret, s.Clock.Now())
	s.check("compute a TOTP code", err)
	return code
}

func (s *Server) check(what string, err error) {
	s.helper()
	if err != nil {
		s.fatalf("localtest: %s: %v", what, err)
	}
}

// MFA is a pool's MFA setting, with TOTP enabled when it is not off.
type MFA string

// The pool's MFA settings, as Cognito names them.
const (
	MFAOff      MFA = "OFF"
	MFAOptional MFA = "OPTIONAL"
	MFAOn       MFA = "ON"
)

// Pool is a user pool on the endpoint.
type Pool struct {
	ID  string
	srv *Server
}

// Pool makes a user pool with the given MFA setting (TOTP is the factor
// enabled when MFA is not off).
func (s *Server) Pool(mfa MFA) *Pool {
	s.helper()
	ctx := context.Background()
	out, err := s.Admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("localtest")})
	s.check("CreateUserPool", err)
	p := &Pool{ID: aws.ToString(out.UserPool.Id), srv: s}
	if mfa != MFAOff {
		_, err := s.Admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{
			UserPoolId:                    aws.String(p.ID),
			MfaConfiguration:              types.UserPoolMfaType(mfa),
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		})
		s.check("SetUserPoolMfaConfig", err)
	}
	return p
}

// AppClient is an app client of a pool. Secret is empty unless it was made
// WithSecret.
type AppClient struct {
	ID, Secret string
}

// ClientOption changes the app client Pool.Client makes.
type ClientOption func(*cip.CreateUserPoolClientInput)

// WithSecret gives the app client a secret, so every sign-in needs a
// SECRET_HASH.
func WithSecret() ClientOption {
	return func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }
}

// WithFlows replaces the sign-in flows the client allows (by default
// ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH and ALLOW_REFRESH_TOKEN_AUTH).
func WithFlows(flows ...types.ExplicitAuthFlowsType) ClientOption {
	return func(in *cip.CreateUserPoolClientInput) { in.ExplicitAuthFlows = flows }
}

// Client makes an app client of the pool.
func (p *Pool) Client(opts ...ClientOption) AppClient {
	p.srv.helper()
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(p.ID), ClientName: aws.String("localtest"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	}
	for _, o := range opts {
		o(in)
	}
	out, err := p.srv.Admin.CreateUserPoolClient(context.Background(), in)
	p.srv.check("CreateUserPoolClient", err)
	return AppClient{ID: aws.ToString(out.UserPoolClient.ClientId), Secret: aws.ToString(out.UserPoolClient.ClientSecret)}
}

// User is a user of a pool.
type User struct {
	Name, Password string
}

// User makes a confirmed user with the permanent password Password and an
// email address name@example.com; attributes are added as given (name,
// value pairs).
func (p *Pool) User(name string, attributes ...string) User {
	p.srv.helper()
	ctx := context.Background()
	attrs := []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}
	for i := 0; i+1 < len(attributes); i += 2 {
		attrs = append(attrs, types.AttributeType{Name: aws.String(attributes[i]), Value: aws.String(attributes[i+1])})
	}
	_, err := p.srv.Admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(p.ID), Username: aws.String(name), UserAttributes: attrs,
		MessageAction: types.MessageActionTypeSuppress,
	})
	p.srv.check("AdminCreateUser", err)
	_, err = p.srv.Admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(p.ID), Username: aws.String(name), Password: aws.String(Password), Permanent: true,
	})
	p.srv.check("AdminSetUserPassword", err)
	return User{Name: name, Password: Password}
}

// TemporaryPassword is the password of users made by Pool.NewUser.
const TemporaryPassword = "Local-Test-Temp-1!"

// NewUser makes a user as an administrator does, with the temporary
// password TemporaryPassword: its first sign-in must choose a new one
// (NEW_PASSWORD_REQUIRED).
func (p *Pool) NewUser(name string) User {
	p.srv.helper()
	_, err := p.srv.Admin.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(p.ID), Username: aws.String(name), TemporaryPassword: aws.String(TemporaryPassword),
		MessageAction: types.MessageActionTypeSuppress,
	})
	p.srv.check("AdminCreateUser", err)
	return User{Name: name, Password: TemporaryPassword}
}
