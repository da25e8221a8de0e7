package peers

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/admin"
)

// `admin require-mfa` against moto, which has GetUserPoolMfaConfig,
// SetUserPoolMfaConfig and DescribeUserPool: the switch and back, with the
// SMS configuration (message, role, external ID) carried over and read back
// the same, and whatever moto returns of the email and WebAuthn parts.
func TestMotoRequireMFA(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	poolID := moto.pool(t, types.UserPoolMfaTypeOff)
	_, err := moto.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID), MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Peers code: {####}"),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/peers-sms"), ExternalId: aws.String("peers-ext")}},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Message: aws.String("Peers code {####}"), Subject: aws.String("Peers")},
		WebAuthnConfiguration:         &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.peers.example"), UserVerification: types.UserVerificationTypeRequired}})
	if err != nil {
		t.Fatal(err)
	}
	moto.newUser(t, poolID, "ana", password, true)
	read := func() *cip.GetUserPoolMfaConfigOutput {
		t.Helper()
		out, err := moto.admin.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := read()
	tr := &countingTransport{}
	run := runAdmin(t, moto.url, poolID, tr, "require-mfa", "--yes")
	if run.err != nil {
		t.Fatalf("require-mfa against moto: %v\n%s%s", run.err, run.stdout, run.stderr)
	}
	if !strings.Contains(run.stdout, "1 user has no MFA factor") {
		t.Errorf("stdout: %s", run.stdout)
	}
	after := read()
	if after.MfaConfiguration != types.UserPoolMfaTypeOn || !reflect.DeepEqual(after.SmsMfaConfiguration, before.SmsMfaConfiguration) ||
		!reflect.DeepEqual(after.EmailMfaConfiguration, before.EmailMfaConfiguration) || !reflect.DeepEqual(after.WebAuthnConfiguration, before.WebAuthnConfiguration) {
		t.Errorf("after require-mfa: %s, SMS %+v email %+v WebAuthn %+v (before %+v %+v %+v)", after.MfaConfiguration, after.SmsMfaConfiguration,
			after.EmailMfaConfiguration, after.WebAuthnConfiguration, before.SmsMfaConfiguration, before.EmailMfaConfiguration, before.WebAuthnConfiguration)
	}
	if before.WebAuthnConfiguration == nil && before.EmailMfaConfiguration == nil {
		tolerate(t, diffMfaConfigParts, "GetUserPoolMfaConfig returned neither the email nor the WebAuthn configuration that was set")
	}
	run = runAdmin(t, moto.url, poolID, tr, "require-mfa", "--yes")
	if admin.KindOf(run.err) != admin.KindPoolSetting {
		t.Errorf("a second require-mfa: %v", run.err)
	}
	run = runAdmin(t, moto.url, poolID, tr, "require-mfa", "--optional", "--yes")
	if run.err != nil || read().MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Errorf("--optional against moto: %v\n%s", run.err, run.stdout)
	}
	if n := tr.count("SetUserPoolMfaConfig"); n != 2 {
		t.Errorf("%d SetUserPoolMfaConfig calls, want 2", n)
	}
}

// moto keeps CreateUserPool's UserPoolAddOns: with threat protection
// enforced, require-mfa says what the API reference advises.
func TestMotoRequireMFAThreatProtection(t *testing.T) {
	moto := newTarget("moto", needMoto(t))
	t.Parallel()
	ctx := context.Background()
	out, err := moto.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("guarded"),
		UserPoolAddOns: &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeEnforced}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := aws.ToString(out.UserPool.Id)
	if _, err := moto.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID), MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	run := runAdmin(t, moto.url, poolID, &countingTransport{}, "require-mfa", "--skip-scan")
	if admin.KindOf(run.err) != admin.KindNotConfirmed || !strings.Contains(strings.Join(strings.Fields(run.stdout), " "), "advises MFA optional") {
		t.Errorf("threat protection enforced, no terminal: %v\n%s", run.err, run.stdout)
	}
}

// The aws CLI (botocore's own serializers) against cognitolocal: the MFA
// configuration the CLI's documented example sets reads back whole, MFA
// required with every part carried over reads back the same, and
// EnablePropagateAdditionalUserContextData is refused on a client without
// a secret.
func TestAWSCLIMfaConfigAgainstLocal(t *testing.T) {
	a := newAWSRunner(t)
	t.Parallel()
	var pool struct{ UserPool struct{ Id string } }
	a.ok(&pool, "create-user-pool", "--pool-name", "peers-cli-mfa", "--user-pool-add-ons", "AdvancedSecurityMode=ENFORCED")
	id := pool.UserPool.Id
	parts := []string{
		"--sms-mfa-configuration", `SmsAuthenticationMessage="Your code: {####}.",SmsConfiguration={SnsCallerArn=arn:aws:iam::123456789012:role/service-role/test-SMS-Role,ExternalId=a1b2c3d4,SnsRegion=us-west-2}`,
		"--software-token-mfa-configuration", "Enabled=true",
		"--email-mfa-configuration", `Message="Your code: {####}",Subject="OTP test"`,
		"--web-authn-configuration", "RelyingPartyId=auth.example.com,UserVerification=preferred",
	}
	a.ok(nil, append([]string{"set-user-pool-mfa-config", "--user-pool-id", id, "--mfa-configuration", "OPTIONAL"}, parts...)...)
	var before, after map[string]any
	a.ok(&before, "get-user-pool-mfa-config", "--user-pool-id", id)
	a.ok(nil, append([]string{"set-user-pool-mfa-config", "--user-pool-id", id, "--mfa-configuration", "ON"}, parts...)...)
	a.ok(&after, "get-user-pool-mfa-config", "--user-pool-id", id)
	if after["MfaConfiguration"] != "ON" {
		t.Fatalf("MfaConfiguration %v", after["MfaConfiguration"])
	}
	delete(before, "MfaConfiguration")
	delete(after, "MfaConfiguration")
	if !reflect.DeepEqual(before, after) || len(before) != 4 {
		t.Errorf("read back %v\nwant %v (four parts)", after, before)
	}
	var described struct {
		UserPool struct {
			UserPoolAddOns struct{ AdvancedSecurityMode string }
		}
	}
	a.ok(&described, "describe-user-pool", "--user-pool-id", id)
	if described.UserPool.UserPoolAddOns.AdvancedSecurityMode != "ENFORCED" {
		t.Errorf("describe-user-pool: UserPoolAddOns %+v", described.UserPool.UserPoolAddOns)
	}
	msg := a.fails("InvalidParameterException", "create-user-pool-client", "--user-pool-id", id, "--client-name", "public",
		"--enable-propagate-additional-user-context-data")
	if !strings.Contains(msg, "client secret") {
		t.Errorf("create-user-pool-client without a secret: %s", msg)
	}
}
