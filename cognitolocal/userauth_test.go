package cognitolocal_test

import (
	"crypto/rand"
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

func (e *env) userAuth(c appClient, username string, params map[string]string) (*cip.InitiateAuthOutput, error) {
	p := map[string]string{"USERNAME": username}
	for k, v := range params {
		p[k] = v
	}
	return e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, username, p)})
}

func TestUserAuthSelectChallenge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{secret: true, flows: []types.ExplicitAuthFlowsType{"ALLOW_USER_AUTH"}})
	e.confirmedUser(poolID, "uma")

	out, err := e.userAuth(c, "uma", nil)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSelectChallenge)
	if !slices.Equal(out.AvailableChallenges, []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP"}) || aws.ToString(out.Session) == "" {
		t.Fatalf("SELECT_CHALLENGE = %v, session %v", out.AvailableChallenges, out.Session)
	}
	_, err = e.respond(c, types.ChallengeNameTypeSelectChallenge, out.Session, "uma", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": "Wrong-Pass-1!"})
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	fin, err := e.respond(c, types.ChallengeNameTypeSelectChallenge, out.Session, "uma", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": password})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatalf("ANSWER=PASSWORD gave %+v", fin)
	}
	_, err = e.respond(c, types.ChallengeNameTypeSelectChallenge, out.Session, "uma", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": password})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	// PASSWORD_SRP: PASSWORD_VERIFIER as in USER_SRP_AUTH.
	out, err = e.userAuth(c, "uma", nil)
	must(t, err)
	cl, err := srp.NewClient(rand.Reader)
	must(t, err)
	next, err := e.respond(c, types.ChallengeNameTypeSelectChallenge, out.Session, "uma", map[string]string{"ANSWER": "PASSWORD_SRP", "SRP_A": cl.AHex()})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypePasswordVerifier)
	try := srpTry{client: cl, poolID: poolID, out: &cip.InitiateAuthOutput{ChallengeName: next.ChallengeName, ChallengeParameters: next.ChallengeParameters}}
	fin, err = e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatalf("PASSWORD_VERIFIER gave %+v", fin)
	}

	out, err = e.userAuth(c, "uma", nil)
	must(t, err)
	_, err = e.respond(c, types.ChallengeNameTypeSelectChallenge, out.Session, "uma", map[string]string{"ANSWER": "WEB_AUTHN"})
	wantAPIErr(t, err, "InvalidParameterException", "ANSWER must be one of")
}

func TestUserAuthPreferredChallenge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{flows: []types.ExplicitAuthFlowsType{"ALLOW_USER_AUTH"}})
	e.confirmedUser(poolID, "vic")
	out, err := e.userAuth(c, "vic", map[string]string{"PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password})
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup) // then the usual next step

	cl, err := srp.NewClient(rand.Reader)
	must(t, err)
	out, err = e.userAuth(c, "vic", map[string]string{"PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": cl.AHex()})
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypePasswordVerifier)

	_, err = e.userAuth(c, "nobody", nil)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	other := e.client(poolID, clientSpec{})
	_, err = e.userAuth(other, "vic", nil)
	wantErr[*types.InvalidParameterException](t, err, "USER_AUTH flow not enabled for this client")
}

func TestNewPasswordRequiredAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.admin.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("schema"), Schema: []types.SchemaAttributeType{
		{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
		{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
		{Name: aws.String("family_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
		{Name: aws.String("nickname"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(false)},
	}})
	must(t, err)
	poolID := aws.ToString(out.UserPool.Id)
	c := e.client(poolID, clientSpec{})
	e.tempUser(poolID, "wes") // has email

	np, err := e.signIn(c, "wes", tempPassword)
	must(t, err)
	wantChallenge(t, np.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	var req []string
	must(t, json.Unmarshal([]byte(np.ChallengeParameters["requiredAttributes"]), &req))
	if !slices.Equal(req, []string{"userAttributes.name", "userAttributes.family_name"}) {
		t.Fatalf("requiredAttributes = %q", np.ChallengeParameters["requiredAttributes"])
	}
	_, err = e.respond(c, types.ChallengeNameTypeNewPasswordRequired, np.Session, "wes", map[string]string{"NEW_PASSWORD": password})
	wantErr[*types.InvalidParameterException](t, err, "Invalid attributes given, name is missing")
	_, err = e.respond(c, types.ChallengeNameTypeNewPasswordRequired, np.Session, "wes",
		map[string]string{"NEW_PASSWORD": password, "userAttributes.name": "Wes"})
	wantErr[*types.InvalidParameterException](t, err, "Invalid attributes given, family_name is missing")
	fin, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, np.Session, "wes",
		map[string]string{"NEW_PASSWORD": password, "userAttributes.name": "Wes", "userAttributes.family_name": "Ng"})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatalf("answer gave %+v", fin)
	}
	u := e.adminGetUser(poolID, "wes")
	if attr(u.UserAttributes, "name") != "Wes" || attr(u.UserAttributes, "family_name") != "Ng" || u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("user = %+v", u)
	}
}
