package cognitolocal_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAdminOperationsNeedAuthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	anon := e.user // anonymous credentials: the SDK sends no Authorization header
	calls := map[string]func() error{
		"CreateUserPool": func() error {
			_, err := anon.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
			return err
		},
		"DescribeUserPool": func() error {
			_, err := anon.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
			return err
		},
		"SetUserPoolMfaConfig": func() error {
			_, err := anon.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID)})
			return err
		},
		"GetUserPoolMfaConfig": func() error {
			_, err := anon.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID)})
			return err
		},
		"CreateUserPoolClient": func() error {
			_, err := anon.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("c")})
			return err
		},
		"DescribeUserPoolClient": func() error {
			_, err := anon.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String("c")})
			return err
		},
		"AdminCreateUser": func() error {
			_, err := anon.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("u")})
			return err
		},
		"AdminSetUserPassword": func() error {
			_, err := anon.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("u"), Password: aws.String(password)})
			return err
		},
		"AdminGetUser": func() error {
			_, err := anon.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("u")})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		wantAPIErr(t, err, "MissingAuthenticationTokenException", "Missing Authentication Token")
		if t.Failed() {
			t.Fatalf("%s", name)
		}
	}
	// Nothing was created by the refused calls.
	_, err := e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("u")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestPoolAndClientAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("my pool")})
	must(t, err)
	p := out.UserPool
	id := aws.ToString(p.Id)
	if !regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`).MatchString(id) || aws.ToString(p.Name) != "my pool" ||
		p.MfaConfiguration != types.UserPoolMfaTypeOff || aws.ToString(p.Arn) == "" || p.CreationDate == nil {
		t.Fatalf("pool = %+v", p)
	}
	pp := p.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers || !pp.RequireSymbols {
		t.Fatalf("default password policy = %+v", pp)
	}
	desc, err := e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	must(t, err)
	if aws.ToString(desc.UserPool.Id) != id || aws.ToString(desc.UserPool.Arn) != aws.ToString(p.Arn) {
		t.Fatalf("describe = %+v", desc.UserPool)
	}
	_, err = e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_nope12345")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_nope12345 does not exist.")

	// MFA ON at creation needs SMS in real Cognito.
	_, err = e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"), MfaConfiguration: types.UserPoolMfaTypeOn})
	wantErr[*types.InvalidParameterException](t, err, "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")

	// SetUserPoolMfaConfig rules.
	set := func(mfa types.UserPoolMfaType, totp *types.SoftwareTokenMfaConfigType) (*cip.SetUserPoolMfaConfigOutput, error) {
		return e.admin.SetUserPoolMfaConfig(e.ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(id), MfaConfiguration: mfa, SoftwareTokenMfaConfiguration: totp})
	}
	_, err = set(types.UserPoolMfaTypeOn, nil)
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = set(types.UserPoolMfaTypeOptional, &types.SoftwareTokenMfaConfigType{Enabled: false})
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	_, err = set(types.UserPoolMfaTypeOff, &types.SoftwareTokenMfaConfigType{Enabled: true})
	wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	got, err := set(types.UserPoolMfaTypeOn, &types.SoftwareTokenMfaConfigType{Enabled: true})
	must(t, err)
	if got.MfaConfiguration != types.UserPoolMfaTypeOn || !got.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("set = %+v", got)
	}
	cfg, err := e.admin.GetUserPoolMfaConfig(e.ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(id)})
	must(t, err)
	if cfg.MfaConfiguration != types.UserPoolMfaTypeOn || cfg.SoftwareTokenMfaConfiguration == nil || !cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("get = %+v", cfg)
	}
	desc, err = e.admin.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	must(t, err)
	if desc.UserPool.MfaConfiguration != types.UserPoolMfaTypeOn {
		t.Fatalf("describe after set: %s", desc.UserPool.MfaConfiguration)
	}

	// Clients: defaults, secret, validity bounds.
	cl, err := e.admin.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(id), ClientName: aws.String("web")})
	must(t, err)
	uc := cl.UserPoolClient
	if !slices.Equal(uc.ExplicitAuthFlows, []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"}) ||
		aws.ToInt32(uc.AuthSessionValidity) != 3 || uc.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy ||
		uc.ClientSecret != nil || !regexp.MustCompile(`^[a-z0-9]{26}$`).MatchString(aws.ToString(uc.ClientId)) {
		t.Fatalf("client defaults = %+v", uc)
	}
	sec, err := e.admin.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(id), ClientName: aws.String("srv"), GenerateSecret: true})
	must(t, err)
	if !regexp.MustCompile(`^[a-z0-9]{51}$`).MatchString(aws.ToString(sec.UserPoolClient.ClientSecret)) {
		t.Fatalf("secret %q", aws.ToString(sec.UserPoolClient.ClientSecret))
	}
	d := e.describeClient(id, aws.ToString(sec.UserPoolClient.ClientId))
	if aws.ToString(d.ClientSecret) != aws.ToString(sec.UserPoolClient.ClientSecret) || aws.ToString(d.ClientName) != "srv" {
		t.Fatalf("describe client = %+v", d)
	}
	_, err = e.admin.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(id), ClientName: aws.String("x"), AuthSessionValidity: aws.Int32(16)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15")
	_, err = e.admin.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(id), ClientId: aws.String("nosuchclient")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
}

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10), RequireNumbers: true}}})
	must(t, err)
	poolID := aws.ToString(out.UserPool.Id)
	create := func(name, temp string) (*cip.AdminCreateUserOutput, error) {
		in := &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String(name), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}}
		if temp != "" {
			in.TemporaryPassword = aws.String(temp)
		}
		return e.admin.AdminCreateUser(e.ctx, in)
	}
	_, err = create("uma", "short1")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
	_, err = create("uma", "longenoughbutnonumber")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password must have numeric characters")
	created, err := create("uma", "lowercase1only")
	must(t, err)
	u := created.User
	if u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled || attr(u.Attributes, "sub") == "" ||
		attr(u.Attributes, "email") != "uma@example.com" {
		t.Fatalf("created = %+v", u)
	}
	_, err = create("uma", "lowercase1only")
	wantErr[*types.UsernameExistsException](t, err, "User account already exists")

	// A generated temporary password (never shown here) satisfies the policy;
	// AdminSetUserPassword moves the status both ways.
	_, err = create("vic", "")
	must(t, err)
	setPW := func(pw string, permanent bool) error {
		_, err := e.admin.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("vic"),
			Password: aws.String(pw), Permanent: permanent})
		return err
	}
	wantErr[*types.InvalidPasswordException](t, setPW("nonumbershere", true), "Password does not conform to policy: Password must have numeric characters")
	must(t, setPW("permanent12", true))
	if s := e.adminGetUser(poolID, "vic").UserStatus; s != types.UserStatusTypeConfirmed {
		t.Fatalf("status %s", s)
	}
	must(t, setPW("temporary12", false))
	if s := e.adminGetUser(poolID, "vic").UserStatus; s != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status %s", s)
	}
	g := e.adminGetUser(poolID, "vic")
	if aws.ToString(g.Username) != "vic" || !g.Enabled || g.UserCreateDate == nil || g.UserLastModifiedDate == nil || len(g.UserMFASettingList) != 0 {
		t.Fatalf("AdminGetUser = %+v", g)
	}
	_, err = e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.admin.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_nope12345"), Username: aws.String("vic")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_nope12345 does not exist.")
}
