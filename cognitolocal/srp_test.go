package cognitolocal_test

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// srpTry is one USER_SRP_AUTH sign-in in progress: the client half and
// Cognito's PASSWORD_VERIFIER challenge.
type srpTry struct {
	client *srp.Client
	out    *cip.InitiateAuthOutput
	poolID string
}

func (e *env) srpStart(c appClient, poolID, username string) (srpTry, error) {
	e.t.Helper()
	cl, err := srp.NewClient(rand.Reader)
	must(e.t, err)
	out, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.id),
		AuthParameters: withHash(c, username, map[string]string{"USERNAME": username, "SRP_A": cl.AHex()}),
	})
	return srpTry{client: cl, out: out, poolID: poolID}, err
}

func (e *env) mustSRPStart(c appClient, poolID, username string) srpTry {
	e.t.Helper()
	try, err := e.srpStart(c, poolID, username)
	must(e.t, err)
	wantChallenge(e.t, try.out.ChallengeName, types.ChallengeNameTypePasswordVerifier)
	return try
}

func (try srpTry) challenge() srp.Challenge {
	p := try.out.ChallengeParameters
	_, poolName, _ := strings.Cut(try.poolID, "_")
	return srp.Challenge{PoolName: poolName, UserID: p["USER_ID_FOR_SRP"], Salt: p["SALT"], B: p["SRP_B"], SecretBlock: p["SECRET_BLOCK"]}
}

// claim signs timestamp (the canonical text for the server's now when empty)
// with password.
func (e *env) claim(try srpTry, password, timestamp string) map[string]string {
	e.t.Helper()
	if timestamp == "" {
		timestamp = srp.Timestamp(e.clock.Now())
	}
	sig, err := try.client.Sign(try.challenge(), password, timestamp)
	must(e.t, err)
	return map[string]string{
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"PASSWORD_CLAIM_SECRET_BLOCK": try.out.ChallengeParameters["SECRET_BLOCK"],
		"TIMESTAMP":                   timestamp,
	}
}

// answer sends a PASSWORD_VERIFIER answer as USER_ID_FOR_SRP, without a Session.
func (e *env) answer(c appClient, try srpTry, claim map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.respond(c, types.ChallengeNameTypePasswordVerifier, nil, try.out.ChallengeParameters["USER_ID_FOR_SRP"], claim)
}

func TestSRPSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "ann")

	try := e.mustSRPStart(c, poolID, "ann")
	p := try.out.ChallengeParameters
	if try.out.Session != nil {
		t.Fatal("PASSWORD_VERIFIER carries no Session in Cognito")
	}
	if p["USER_ID_FOR_SRP"] != "ann" || p["USERNAME"] != "ann" || p["SALT"] == "" || p["SRP_B"] == "" {
		t.Fatalf("challenge parameters %v", p)
	}
	if _, err := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"]); err != nil || len(p["SECRET_BLOCK"]) < 20 {
		t.Fatalf("SECRET_BLOCK %q is not base64", p["SECRET_BLOCK"])
	}
	// The salt is the user's, stable across sign-ins; B is new each time.
	again := e.mustSRPStart(c, poolID, "ann")
	if again.out.ChallengeParameters["SALT"] != p["SALT"] || again.out.ChallengeParameters["SRP_B"] == p["SRP_B"] ||
		again.out.ChallengeParameters["SECRET_BLOCK"] == p["SECRET_BLOCK"] {
		t.Fatal("want the same SALT and a new SRP_B and SECRET_BLOCK for each sign-in")
	}

	out, err := e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("MFA OFF pool: want tokens, got %q", out.ChallengeName)
	}
}

// After the proof the sign-in goes on as with USER_PASSWORD_AUTH.
func TestSRPNextSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	e.tempUser(poolID, "tom")
	e.confirmedUser(poolID, "uma")
	e.confirmedUser(poolID, "vic")
	secret, _ := e.enrollViaSession(c, "vic")

	try := e.mustSRPStart(c, poolID, "tom")
	out, err := e.answer(c, try, e.claim(try, tempPassword, ""))
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "tom", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)

	try = e.mustSRPStart(c, poolID, "uma")
	out, err = e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeMfaSetup)
	if out.Session == nil {
		t.Fatal("MFA_SETUP needs a session")
	}

	e.clock.Advance(30 * time.Second)
	try = e.mustSRPStart(c, poolID, "vic")
	out, err = e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "vic", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("want tokens after the code")
	}
}

func TestSRPWrongPasswordAndDisabledUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "wes")

	try := e.mustSRPStart(c, poolID, "wes")
	_, err := e.answer(c, try, e.claim(try, "Wrong-Pass-1!", ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	_, err = e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("wes")})
	must(t, err)
	try = e.mustSRPStart(c, poolID, "wes")
	_, err = e.answer(c, try, e.claim(try, "Wrong-Pass-1!", ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.") // the state is not told
	try = e.mustSRPStart(c, poolID, "wes")
	_, err = e.answer(c, try, e.claim(try, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")
}

// The TIMESTAMP: a text that does not parse is a bad parameter; one that
// parses but is not Cognito's canonical text (a zero-padded day) is signed
// over text the server does not sign, so it fails like a wrong password.
func TestSRPTimestamp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "xia")
	if got := srp.Timestamp(e.clock.Now()); got != "Sun Mar 1 12:00:00 UTC 2026" {
		t.Fatalf("the test clock reads %q", got)
	}

	try := e.mustSRPStart(c, poolID, "xia")
	for _, bad := range []string{"garbage", "2026-03-01T12:00:00Z", "Sun Mar 1 12:00:00 GMT 2026", "Sun, 01 Mar 2026 12:00:00 UTC"} {
		_, err := e.answer(c, try, e.claim(try, password, bad))
		wantErr[*types.InvalidParameterException](t, err, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	}
	// A malformed TIMESTAMP does not spend the challenge.
	_, err := e.answer(c, try, e.claim(try, password, ""))
	must(t, err)

	try = e.mustSRPStart(c, poolID, "xia")
	_, err = e.answer(c, try, e.claim(try, password, "Sun Mar 01 12:00:00 UTC 2026"))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	try = e.mustSRPStart(c, poolID, "xia")
	_, err = e.answer(c, try, e.claim(try, password, "Mon Mar 1 12:00:00 UTC 2026")) // wrong weekday
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	// Far from the server's clock: refused; a little off: accepted.
	for _, d := range []time.Duration{-6 * time.Minute, 6 * time.Minute} {
		try = e.mustSRPStart(c, poolID, "xia")
		_, err = e.answer(c, try, e.claim(try, password, srp.Timestamp(e.clock.Now().Add(d))))
		wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	}
	for _, d := range []time.Duration{-4 * time.Minute, 4 * time.Minute} {
		try = e.mustSRPStart(c, poolID, "xia")
		_, err = e.answer(c, try, e.claim(try, password, srp.Timestamp(e.clock.Now().Add(d))))
		must(t, err)
	}
}

// The state behind a SECRET_BLOCK belongs to one sign-in: one client, one
// user, one answer, for the client's session validity.
func TestSRPSecretBlockIsBound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	other := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "yan")
	e.confirmedUser(poolID, "zed")

	// A claim made for one challenge, sent with another's SECRET_BLOCK.
	first := e.mustSRPStart(c, poolID, "yan")
	second := e.mustSRPStart(c, poolID, "yan")
	claim := e.claim(first, password, "")
	claim["PASSWORD_CLAIM_SECRET_BLOCK"] = second.out.ChallengeParameters["SECRET_BLOCK"]
	_, err := e.answer(c, second, claim)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	// A made-up SECRET_BLOCK, and a right one at another client.
	claim = e.claim(first, password, "")
	claim["PASSWORD_CLAIM_SECRET_BLOCK"] = base64.StdEncoding.EncodeToString([]byte("not a block this server made"))
	_, err = e.answer(c, first, claim)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = e.answer(other, first, e.claim(first, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	// Another user's name with this block (zed's own password).
	z := e.mustSRPStart(c, poolID, "zed")
	_, err = e.respond(c, types.ChallengeNameTypePasswordVerifier, nil, "zed", e.claim(first, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	// None of that spent the first challenge; answering it does.
	_, err = e.answer(c, first, e.claim(first, password, ""))
	must(t, err)
	_, err = e.answer(c, first, e.claim(first, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	// A wrong password spends the challenge too: start again.
	_, err = e.answer(c, z, e.claim(z, "Wrong-Pass-1!", ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = e.answer(c, z, e.claim(z, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	// It is no Session for any other step.
	fresh := e.mustSRPStart(c, poolID, "zed")
	_, err = e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String(fresh.out.ChallengeParameters["SECRET_BLOCK"])})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")

	// It expires with the client's AuthSessionValidity (3 minutes).
	late := e.mustSRPStart(c, poolID, "zed")
	e.clock.Advance(3*time.Minute + time.Second)
	_, err = e.answer(c, late, e.claim(late, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
}

func TestSRPInitiateErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{secret: true})
	hidden := e.client(poolID, clientSpec{noExistsE: true})
	pwOnly := e.client(poolID, clientSpec{flows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	e.confirmedUser(poolID, "amy")

	initiate := func(c appClient, params map[string]string) error {
		_, err := e.user.InitiateAuth(e.ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
			ClientId: aws.String(c.id), AuthParameters: params})
		return err
	}
	err := initiate(pwOnly, map[string]string{"USERNAME": "amy", "SRP_A": "abc"})
	wantErr[*types.InvalidParameterException](t, err, "USER_SRP_AUTH flow not enabled for this client")
	err = initiate(c, withHash(c, "amy", map[string]string{"USERNAME": "amy"}))
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter SRP_A")
	err = initiate(c, map[string]string{"SRP_A": "abc"})
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter USERNAME")

	// SECRET_HASH as for USER_PASSWORD_AUTH, from the name typed.
	err = initiate(c, map[string]string{"USERNAME": "amy", "SRP_A": "abc"})
	wantErr[*types.NotAuthorizedException](t, err, "Client "+c.id+" is configured with secret but SECRET_HASH was not received")
	err = initiate(c, withHash(appClient{id: c.id, secret: "not-the-secret"}, "amy", map[string]string{"USERNAME": "amy", "SRP_A": "abc"}))
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+c.id)

	n := srp.N()
	for _, a := range []string{"xyz", "-5", "0", n.Text(16), strings.Repeat("f", 2000)} {
		err = initiate(c, withHash(c, "amy", map[string]string{"USERNAME": "amy", "SRP_A": a}))
		wantErr[*types.InvalidParameterException](t, err, "SRP_A must be a hexadecimal number that is not zero modulo N.")
	}
	// The answer needs its three values.
	try := e.mustSRPStart(c, poolID, "amy")
	for _, missing := range []string{"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"} {
		claim := e.claim(try, password, "")
		delete(claim, missing)
		_, err = e.answer(c, try, claim)
		wantErr[*types.InvalidParameterException](t, err, "Missing required parameter "+missing)
	}
	// The answer's SECRET_HASH, from USER_ID_FOR_SRP.
	_, err = e.answer(appClient{id: c.id, secret: "not-the-secret"}, try, e.claim(try, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+c.id)
	_, err = e.answer(c, try, e.claim(try, password, ""))
	must(t, err)

	// Unknown users: UserNotFoundException, or with PreventUserExistenceErrors
	// a challenge like a real user's (the same SALT each time) and then
	// "Incorrect username or password.".
	_, err = e.srpStart(c, poolID, "nobody")
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	ghost := e.mustSRPStart(hidden, poolID, "nobody")
	if ghost.out.ChallengeParameters["USER_ID_FOR_SRP"] != "nobody" ||
		e.mustSRPStart(hidden, poolID, "nobody").out.ChallengeParameters["SALT"] != ghost.out.ChallengeParameters["SALT"] {
		t.Fatalf("fake challenge %v", ghost.out.ChallengeParameters)
	}
	_, err = e.answer(hidden, ghost, e.claim(ghost, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = e.answer(hidden, ghost, e.claim(ghost, password, "garbage"))
	wantErr[*types.InvalidParameterException](t, err, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
}

// Every way a password is set gives the user a verifier: AdminCreateUser's
// temporary password, AdminSetUserPassword, the NEW_PASSWORD_REQUIRED answer
// and SeedDemo; the old password stops working each time.
func TestSRPVerifierFollowsThePassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	signIn := func(name, pw string) error {
		try := e.mustSRPStart(c, poolID, name)
		_, err := e.answer(c, try, e.claim(try, pw, ""))
		return err
	}
	e.tempUser(poolID, "bea")
	must(t, signIn("bea", tempPassword))
	_, err := e.admin.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
		Username: aws.String("bea"), Password: aws.String("Other-Pass-789!"), Permanent: true})
	must(t, err)
	wantErr[*types.NotAuthorizedException](t, signIn("bea", tempPassword), "Incorrect username or password.")
	must(t, signIn("bea", "Other-Pass-789!"))

	e.tempUser(poolID, "cal")
	try := e.mustSRPStart(c, poolID, "cal")
	out, err := e.answer(c, try, e.claim(try, tempPassword, ""))
	must(t, err)
	_, err = e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "cal", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantErr[*types.NotAuthorizedException](t, signIn("cal", tempPassword), "Incorrect username or password.")
	must(t, signIn("cal", password))

	d, err := e.server.SeedDemo()
	must(t, err)
	demo := appClient{id: d.ClientID}
	try = e.mustSRPStart(demo, d.UserPoolID, d.Username)
	out, err = e.answer(demo, try, e.claim(try, d.TemporaryPassword, ""))
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
}

// The pool name in x is the part of the pool ID after "_": a claim computed
// with the whole ID is refused.
func TestSRPUsesThePoolName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	c := e.client(poolID, clientSpec{})
	e.confirmedUser(poolID, "dan")
	try := e.mustSRPStart(c, poolID, "dan")
	wrong := try
	wrong.poolID = "x_" + poolID // PoolName becomes the whole ID
	_, err := e.answer(c, try, e.claim(wrong, password, ""))
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	try = e.mustSRPStart(c, poolID, "dan")
	_, err = e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
}
