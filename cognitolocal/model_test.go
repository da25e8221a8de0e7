package cognitolocal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// The published Cognito user-pools API model, trimmed to the operations this
// package serves (testdata/model/cognito-idp.json, written by
// scripts/cognito-model from botocore's model and, for the operations botocore
// lacks, the AWS SDK for JavaScript v3's).
type apiModel struct {
	CommonErrors []string                  `json:"commonErrors"`
	Operations   map[string]modelOperation `json:"operations"`
	Shapes       map[string]modelShape     `json:"shapes"`
}

type modelOperation struct {
	Source string   `json:"source"`
	Errors []string `json:"errors"`
	Input  string   `json:"input"`
	Output string   `json:"output"`
}

type shapeRef struct {
	Shape string `json:"shape"`
}

type modelShape struct {
	Type      string              `json:"type"`
	Required  []string            `json:"required"`
	Members   map[string]shapeRef `json:"members"`
	Member    shapeRef            `json:"member"`
	Key       shapeRef            `json:"key"`
	Value     shapeRef            `json:"value"`
	Enum      []string            `json:"enum"`
	Exception bool                `json:"exception"`
}

const modelPath = "testdata/model/cognito-idp.json"

var loadModel = sync.OnceValues(func() (*apiModel, error) {
	raw, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, err
	}
	m := new(apiModel)
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, fmt.Errorf("%s: %w", modelPath, err)
	}
	return m, nil
})

func mustModel(t *testing.T) *apiModel {
	t.Helper()
	m, err := loadModel()
	if err != nil {
		t.Fatalf("the API model: %v (regenerate it with scripts/cognito-model)", err)
	}
	return m
}

// protocolErrors are exceptions the AWS JSON 1.1 protocol layer answers for
// every AWS service before an operation runs. No service model lists them;
// the AWS API Reference documents them among the common errors.
var protocolErrors = map[string]string{
	"SerializationException":              "a request body that is not JSON, or a member of the wrong JSON type",
	"UnknownOperationException":           "an X-Amz-Target the service does not have",
	"MissingAuthenticationTokenException": "an operation that needs a SigV4 signature called without one",
	"IncompleteSignatureException":        "an Authorization header that is not a SigV4 signature",
}

// modelDeparture is one way cognitolocal may depart from the published model,
// and why that is allowed. An answer that departs in any other way fails.
type modelDeparture struct {
	operation string // "" = every operation
	exception string // an exception the model does not list for the operation
	why       string
}

var modelDepartures = []modelDeparture{
	{operation: "AssociateSoftwareToken", exception: "UserNotFoundException", why: goneUser},
	{operation: "GlobalSignOut", exception: "UserNotFoundException", why: goneUser},
}

// goneUser explains the UserNotFoundException that every access-token
// operation shares (GetUser, SetUserMFAPreference and VerifySoftwareToken list
// it; these two do not).
const goneUser = "only for an access token this server signed whose user no longer exists; no served operation " +
	"removes a user, so no answer carries it today (the static check sees the shared access-token path). An operation " +
	"that removes users must decide what these two answer then: the model suggests NotAuthorizedException"

// departs reports whether op answering exception is an explained departure.
func departs(op, exception string) bool {
	for _, d := range modelDepartures {
		if (d.operation == "" || d.operation == op) && d.exception == exception {
			return true
		}
	}
	return false
}

// answer is one response the server gave, as the client received it.
type answer struct {
	op     string
	status int
	errTyp string // x-amzn-ErrorType, for an error
	body   []byte
}

// modelRecorder wraps a handler and records every answer to an AWS JSON
// request. A request the handler aborts (an injected dropped connection)
// panics through it, as net/http expects, and is not recorded.
type modelRecorder struct {
	h       http.Handler
	mu      sync.Mutex
	answers []answer
}

func (r *modelRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	op, isAPI := strings.CutPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	if req.Method != http.MethodPost || !isAPI {
		r.h.ServeHTTP(w, req)
		return
	}
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	if req.Context().Err() != nil && rec.Body.Len() == 0 {
		return // the client went away before an answer (an injected delay)
	}
	res := rec.Result()
	maps.Copy(w.Header(), res.Header)
	w.WriteHeader(res.StatusCode)
	w.Write(rec.Body.Bytes())
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answers = append(r.answers, answer{op: op, status: res.StatusCode, errTyp: res.Header.Get("x-amzn-ErrorType"), body: rec.Body.Bytes()})
}

func (r *modelRecorder) recorded() []answer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.answers)
}

// checkedAgainstModel wraps h so that, when t ends, every answer it gave is
// checked against the published model: an error is one the model lists for
// the operation, a success has the operation's output shape.
func checkedAgainstModel(t *testing.T, h http.Handler) *modelRecorder {
	t.Helper()
	r := &modelRecorder{h: h}
	t.Cleanup(func() {
		m, err := loadModel()
		if err != nil {
			t.Errorf("the API model: %v (regenerate it with scripts/cognito-model)", err)
			return
		}
		seen := map[string]bool{}
		for _, a := range r.recorded() {
			for _, p := range m.check(a) {
				if !seen[p] { // once per test, however often it happened
					seen[p] = true
					t.Errorf("answer departs from the published model: %s", p)
				}
			}
		}
	})
	return r
}

// check returns how an answer departs from the model. Problems name
// operations, members and types, never values: an answer may hold secrets.
func (m *apiModel) check(a answer) []string {
	if _, served := m.Operations[a.op]; !served {
		if a.errTyp == "UnknownOperationException" {
			return nil // not an operation at all
		}
		return []string{a.op + ": the model has no such operation (regenerate it with scripts/cognito-model)"}
	}
	if a.status == http.StatusOK {
		return m.checkOutput(a.op, a.body)
	}
	return m.checkError(a)
}

func (m *apiModel) checkError(a answer) []string {
	o := m.Operations[a.op]
	var body struct {
		Type    *string `json:"__type"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil || body.Type == nil {
		return []string{fmt.Sprintf("%s: HTTP %d without a JSON error body", a.op, a.status)}
	}
	typ := *body.Type
	if i := strings.LastIndex(typ, "#"); i >= 0 {
		typ = typ[i+1:]
	}
	var problems []string
	if a.errTyp != typ {
		problems = append(problems, fmt.Sprintf("%s: x-amzn-ErrorType %q and __type %q differ", a.op, a.errTyp, typ))
	}
	if body.Message == nil {
		problems = append(problems, fmt.Sprintf("%s: %s without a message", a.op, typ))
	}
	switch {
	case slices.Contains(o.Errors, typ), slices.Contains(m.CommonErrors, typ):
	case protocolErrors[typ] != "", departs(a.op, typ):
	default:
		problems = append(problems, fmt.Sprintf("%s: answered %s, which the model does not list for it (it lists %s)", a.op, typ, strings.Join(o.Errors, ", ")))
	}
	return problems
}

func (m *apiModel) checkOutput(op string, body []byte) []string {
	o := m.Operations[op]
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{op + ": the answer is not JSON"}
	}
	if o.Output == "" { // the model's output is Unit: an empty object
		if obj, ok := v.(map[string]any); !ok || len(obj) != 0 {
			return []string{op + ": the model has no output, the answer is not {}"}
		}
		return nil
	}
	var problems []string
	m.checkValue(o.Output, v, op, &problems)
	return problems
}

// checkValue checks v, decoded with UseNumber, against the named shape.
func (m *apiModel) checkValue(shape string, v any, path string, problems *[]string) {
	s, ok := m.Shapes[shape]
	if !ok {
		*problems = append(*problems, fmt.Sprintf("%s: the model has no shape %s", path, shape))
		return
	}
	bad := func(want string) {
		got := "null"
		switch v.(type) {
		case map[string]any:
			got = "object"
		case []any:
			got = "array"
		case string:
			got = "string"
		case json.Number:
			got = "number"
		case bool:
			got = "boolean"
		}
		*problems = append(*problems, fmt.Sprintf("%s: %s where the model has %s (%s)", path, got, want, shape))
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("a structure")
			return
		}
		for _, name := range slices.Sorted(maps.Keys(obj)) {
			ref, known := s.Members[name]
			if !known {
				*problems = append(*problems, fmt.Sprintf("%s: member %s, which the model's %s does not have", path, name, shape))
				continue
			}
			m.checkValue(ref.Shape, obj[name], path+"."+name, problems)
		}
		for _, name := range s.Required {
			if _, there := obj[name]; !there {
				*problems = append(*problems, fmt.Sprintf("%s: required member %s is missing", path, name))
			}
		}
	case "list":
		list, ok := v.([]any)
		if !ok {
			bad("a list")
			return
		}
		for i, item := range list {
			m.checkValue(s.Member.Shape, item, fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("a map")
			return
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			m.checkValue(s.Value.Shape, obj[k], path+"{}", problems) // keys may be secret-free, but need not be
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("a string")
			return
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			*problems = append(*problems, fmt.Sprintf("%s: a string outside the model's enum %s", path, shape))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("a boolean")
		}
	case "integer", "long":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			bad("an integer")
		}
	case "float", "double", "timestamp": // AWS JSON 1.1 sends timestamps as epoch seconds
		if _, ok := v.(json.Number); !ok {
			bad("a number")
		}
	case "blob":
		if _, ok := v.(string); !ok {
			bad("base64 text")
		}
	default:
		*problems = append(*problems, fmt.Sprintf("%s: the model's shape %s has type %q, which this test does not know", path, shape, s.Type))
	}
}

// The checked-in model has exactly the operations cognitolocal serves: one it
// serves and the model lacks could answer anything unchecked.
func TestModelHasEveryServedOperation(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	served := cognitolocal.ServedOperations()
	if len(served) == 0 {
		t.Fatal("cognitolocal serves no operations")
	}
	for _, op := range served {
		if _, ok := m.Operations[op]; !ok {
			t.Errorf("cognitolocal serves %s, which %s lacks: regenerate it with scripts/cognito-model", op, modelPath)
		}
	}
	for _, op := range slices.Sorted(maps.Keys(m.Operations)) {
		if !slices.Contains(served, op) {
			t.Errorf("%s has %s, which cognitolocal does not serve: regenerate it with scripts/cognito-model", modelPath, op)
		}
	}
	for i, d := range modelDepartures {
		if d.exception == "" || d.why == "" {
			t.Errorf("modelDepartures[%d] lacks the exception or why it is allowed", i)
		}
	}
}

// The checker itself: each kind of departure is reported, and a conforming
// answer is not.
func TestModelCheckerFindsDepartures(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	ok := `{"Username":"u","Enabled":true,"UserCreateDate":1.7e9,"UserStatus":"CONFIRMED","UserAttributes":[{"Name":"sub","Value":"x"}],"UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}`
	if p := m.check(answer{op: "AdminGetUser", status: 200, body: []byte(ok)}); len(p) != 0 {
		t.Fatalf("a conforming answer: %v", p)
	}
	for _, c := range []struct {
		a    answer
		want string
	}{
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Enabled":true}`)}, "required member Username is missing"},
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Username":"u","Extra":1}`)}, "member Extra, which the model's AdminGetUserResponse does not have"},
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Username":"u","Enabled":"yes"}`)}, "AdminGetUser.Enabled: string where the model has a boolean"},
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Username":"u","UserCreateDate":"2026-03-01"}`)}, "UserCreateDate: string where the model has a number"},
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Username":"u","UserStatus":"HAPPY"}`)}, "outside the model's enum UserStatusType"},
		{answer{op: "AdminGetUser", status: 200, body: []byte(`{"Username":"u","UserAttributes":[{"Value":"x"}]}`)}, "UserAttributes[0]: required member Name is missing"},
		{answer{op: "ListUsers", status: 200, body: []byte(`{"Users":[{"Username":"u","MFAOptions":{}}]}`)}, "Users[0].MFAOptions: object where the model has a list"},
		{answer{op: "AdminDeleteSoftwareToken", status: 200, body: []byte(`{"Deleted":true}`)}, "member Deleted, which the model's AdminDeleteSoftwareTokenResponse does not have"},
		{answer{op: "AdminDeleteSoftwareToken", status: 400, errTyp: "SoftwareTokenMFANotFoundException",
			body: []byte(`{"__type":"SoftwareTokenMFANotFoundException","message":"m"}`)}, "answered SoftwareTokenMFANotFoundException, which the model does not list"},
		{answer{op: "GetUser", status: 400, errTyp: "NotAuthorizedException", body: []byte(`{"__type":"NotAuthorizedException"}`)}, "without a message"},
		{answer{op: "NoSuchOperation", status: 200, body: []byte(`{}`)}, "the model has no such operation"},
	} {
		problems := strings.Join(m.check(c.a), "\n")
		if !strings.Contains(problems, c.want) {
			t.Errorf("%s %s: problems %q, want one containing %q", c.a.op, c.a.body, problems, c.want)
		}
	}
}

// A representative run of every served operation through the real SDK (raw
// signed JSON for AdminDeleteSoftwareToken, which the Go SDK lacks), then
// every operation again with requests the model allows but the server must
// refuse. newEnv checks every answer against the model; this test makes sure
// each operation answered at least once with success, so its output shape was
// checked. An operation added to the server without a call here fails.
func TestModelEveryOperationAnswersAsTheModelSays(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	e := newEnv(t)
	ctx := e.ctx

	// Pools and app clients.
	poolID := e.pool(poolSpec{mfa: "ON"}) // CreateUserPool, SetUserPoolMfaConfig
	_, err := e.admin.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	must(t, err)
	_, err = e.admin.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID)})
	must(t, err)
	c := e.client(poolID, clientSpec{secret: true}) // CreateUserPoolClient
	_, err = e.admin.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(c.id)})
	must(t, err)

	// Users.
	e.tempUser(poolID, "nina")     // AdminCreateUser
	e.confirmedUser(poolID, "mia") // AdminCreateUser, AdminSetUserPassword
	_, err = e.admin.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("nina")})
	must(t, err)
	_, err = e.admin.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(1)})
	must(t, err)
	_, err = e.admin.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("nina")})
	must(t, err)
	_, err = e.admin.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("nina")})
	must(t, err)

	// Groups and their members.
	_, err = e.admin.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops"), Description: aws.String("on call"), Precedence: aws.Int32(1)})
	must(t, err)
	_, err = e.admin.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops"), Username: aws.String("mia")})
	must(t, err)
	_, err = e.admin.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")})
	must(t, err)
	_, err = e.admin.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: aws.String(poolID)})
	must(t, err)
	_, err = e.admin.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")})
	must(t, err)
	_, err = e.admin.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("mia")})
	must(t, err)

	// A first sign-in with a temporary password: NEW_PASSWORD_REQUIRED, then MFA_SETUP.
	out, err := e.signIn(c, "nina", tempPassword)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeNewPasswordRequired)
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, "nina", map[string]string{"NEW_PASSWORD": password})
	must(t, err)
	wantChallenge(t, next.ChallengeName, types.ChallengeNameTypeMfaSetup)

	// Enrollment through MFA_SETUP (AssociateSoftwareToken and
	// VerifySoftwareToken with the session), then the user's own calls.
	secret, tokens := e.enrollViaSession(c, "mia")
	_, err = e.user.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	must(t, err)
	_, err = e.user.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tokens.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	_, err = e.admin.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String("mia"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)

	// Sign-ins with a code: by password and by SRP; a refresh.
	e.clock.Advance(30 * time.Second)
	out, err = e.signIn(c, "mia", password)
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	done, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "mia", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(secret)})
	must(t, err)
	try := e.mustSRPStart(c, poolID, "mia")
	verified, err := e.answer(c, try, e.claim(try, password, ""))
	must(t, err)
	wantChallenge(t, verified.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	_, err = e.refresh(c, "mia", done.AuthenticationResult.RefreshToken)
	must(t, err)

	// A new association with an access token, verified.
	e.clock.Advance(30 * time.Second)
	newSecret := e.associate(done.AuthenticationResult.AccessToken)
	_, err = e.user.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: done.AuthenticationResult.AccessToken, UserCode: aws.String(e.code(newSecret))})
	must(t, err)

	// Sign-outs, and the lost phone: a delete, and a delete with nothing left.
	_, err = e.user.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: tokens.AccessToken})
	must(t, err)
	_, err = e.admin.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String("mia")})
	must(t, err)
	must(t, e.deleteSoftwareToken(poolID, "mia"))
	must(t, e.deleteSoftwareToken(poolID, "mia"))

	// Every operation again, with requests the model allows and the server
	// refuses or answers: nothing, unknown pool and user with bad tokens, a
	// known pool with an unknown user, a known user with a bad session, and
	// a known user with a good access token.
	e.clock.Advance(30 * time.Second)
	e.confirmedUser(poolID, "rex")
	rexSecret, _ := e.enrollViaSession(c, "rex")
	// rexToken signs rex in afresh: the sweep's earlier operations may have
	// signed rex out, disabled rex or deleted rex's software token.
	rexToken := func() string {
		_, err := e.admin.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("rex")})
		must(t, err)
		e.clock.Advance(30 * time.Second)
		out, err := e.signIn(c, "rex", password)
		must(t, err)
		if out.ChallengeName == types.ChallengeNameTypeMfaSetup {
			var tokens *types.AuthenticationResultType
			rexSecret, tokens = e.enrollViaSession(c, "rex")
			return aws.ToString(tokens.AccessToken)
		}
		done, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "rex", map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(rexSecret)})
		must(t, err)
		return aws.ToString(done.AuthenticationResult.AccessToken)
	}
	unknown := map[string]string{
		"UserPoolId": "us-east-1_Nope12345", "ClientId": "nope1nope2nope3nope4nope5n",
		"AccessToken": "not-a-token", "UserCode": "123456",
	}
	known := map[string]string{"UserPoolId": poolID, "ClientId": c.id}
	rexWith := map[string]string{"Username": "rex"}
	badSession := map[string]string{"Username": "rex", "AccessToken": "", "Session": strings.Repeat("s", 40)}
	for _, op := range cognitolocal.ServedOperations() {
		o, ok := m.Operations[op]
		if !ok {
			continue // TestModelHasEveryServedOperation says so
		}
		e.post(op, `{}`, true)
		unknown["Username"] = "ghost-" + strings.ToLower(op) // a create does not make the next one known
		if _, takesToken := m.Shapes[o.Input].Members["AccessToken"]; takesToken {
			rexWith["AccessToken"] = rexToken()
		}
		for _, values := range []map[string]string{
			unknown,
			merged(unknown, known),
			merged(unknown, known, badSession),
			merged(unknown, known, rexWith),
		} {
			e.post(op, requestBody(t, m, o.Input, values), true)
		}
	}

	answered := map[string]bool{}
	for _, a := range e.model.recorded() {
		if a.status == http.StatusOK {
			answered[a.op] = true
		}
	}
	for _, op := range cognitolocal.ServedOperations() {
		if !answered[op] {
			t.Errorf("no successful answer of %s was recorded, so its output shape was never checked: add a call to it to this test", op)
		}
	}
}

// merged is the maps' union, later ones winning; an empty value removes the
// member.
func merged(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	maps.DeleteFunc(out, func(_, v string) bool { return v == "" })
	return out
}

// requestBody is a JSON request for the input shape: every required member,
// and every string member values names. Strings come from values by member
// name, else the first enum value or "x"; numbers are 1, booleans false, lists
// and maps empty.
func requestBody(t *testing.T, m *apiModel, shape string, values map[string]string) string {
	t.Helper()
	var fill func(shape, member string) any
	fill = func(shape, member string) any {
		s := m.Shapes[shape]
		switch s.Type {
		case "structure":
			obj := map[string]any{}
			for name, ref := range s.Members {
				if _, named := values[name]; named && m.Shapes[ref.Shape].Type == "string" || slices.Contains(s.Required, name) {
					obj[name] = fill(ref.Shape, name)
				}
			}
			return obj
		case "list":
			return []any{}
		case "map":
			return map[string]any{}
		case "string":
			if v, ok := values[member]; ok {
				return v
			}
			if len(s.Enum) > 0 {
				return s.Enum[0]
			}
			return "x"
		case "boolean":
			return false
		default:
			return 1
		}
	}
	if shape == "" {
		return "{}"
	}
	b, err := json.Marshal(fill(shape, ""))
	must(t, err)
	return string(b)
}
