package peers

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/flow"
)

// One scripted scenario, run with the raw SDK against cognitolocal and
// against moto, compared step by step: challenge names (with their parameter
// names), statuses and exception names. A difference passes only when
// tolerances lists it with the exact value each side gave, naming the entry of
// motoDifferences that explains it; there, cognitolocal's value is real
// Cognito's (per the project's Cognito reference).

// obs is what one step showed.
type obs struct {
	Challenge string // ChallengeName; "" when there was none
	Status    string // what came back besides: "signed in", "SUCCESS", parameter names, ...
	Err       string // the exception name; "" on success
}

func (o obs) String() string {
	switch {
	case o.Err != "":
		return "error " + o.Err
	case o.Challenge != "":
		return "challenge " + o.Challenge + " (" + o.Status + ")"
	}
	return o.Status
}

type tolerance struct {
	steps       []string
	local, moto obs
	diff        int // index into motoDifferences
}

// tolerances are the only places where moto may differ from cognitolocal.
var tolerances = []tolerance{
	{[]string{"sign in, client without ALLOW_USER_PASSWORD_AUTH"},
		obs{Err: "InvalidParameterException"}, obs{Status: "signed in"}, diffAuthFlowsIgnored},
	{[]string{"sign in without SECRET_HASH, client with a secret"},
		obs{Err: "NotAuthorizedException"}, obs{Status: "signed in"}, diffSecretHashIgnored},
	{[]string{"sign in, confirmed user without TOTP, MFA required"},
		obs{Challenge: "MFA_SETUP", Status: `MFAS_CAN_SETUP=["SOFTWARE_TOKEN_MFA"]`}, obs{Status: "signed in"}, diffNoMFASetupAtSignIn},
	{[]string{"sign in with the temporary password"},
		obs{Challenge: "NEW_PASSWORD_REQUIRED", Status: "params USER_ID_FOR_SRP,requiredAttributes,userAttributes"},
		obs{Challenge: "NEW_PASSWORD_REQUIRED", Status: "params USERNAME"}, diffNewPasswordParams},
	{[]string{"associate with the MFA_SETUP session"},
		obs{Status: "32-char base32 secret, new session"}, obs{Status: "12-char secret, same session"}, diffConstantSecret},
	{[]string{"verify with the session, wrong code", "verify with the access token, wrong code"},
		obs{Err: "EnableSoftwareTokenMFAException"}, obs{Err: "CodeMismatchException"}, diffVerifyError},
	{[]string{"verify with the session, letters for a code"},
		obs{Err: "InvalidParameterException"}, obs{Err: "CodeMismatchException"}, diffNoValidation},
	{[]string{"sign in after MFA_SETUP", "sign in after the access-token setup", "sign in once more"},
		obs{Challenge: "SOFTWARE_TOKEN_MFA", Status: "params FRIENDLY_DEVICE_NAME"}, obs{Challenge: "SOFTWARE_TOKEN_MFA", Status: "params none"}, diffNoDeviceName},
	{[]string{"answer SOFTWARE_TOKEN_MFA again with the spent session", "answer SOFTWARE_TOKEN_MFA with a made-up session", "verify with a made-up session"},
		obs{Err: "NotAuthorizedException"}, obs{Err: "ResourceNotFoundException"}, diffSessionErrors},
	{[]string{"answer SOFTWARE_TOKEN_MFA with the code of the step before"},
		obs{Status: "signed in"}, obs{Err: "CodeMismatchException"}, diffExactStep},
}

func TestDifferentialCognitolocalAgainstMoto(t *testing.T) {
	motoURL := needMoto(t)
	t.Parallel()
	srv := httptest.NewServer(cognitolocal.New(cognitolocal.Options{Region: region})) // real time, like moto
	t.Cleanup(srv.Close)
	proxy := newMFASetupProxy(t, motoURL)

	localRun := runScenario(t, newTarget("cognitolocal", srv.URL))
	motoRun := runScenario(t, newTarget("moto", proxy.url))
	if len(proxy.Rewrites()) == 0 {
		t.Error("moto sent no MFAS_CAN_SETUP array to rewrite: remove diffMFASetupArray and the proxy")
	}

	used := map[string]bool{} // tolerated step names
	var table strings.Builder
	for i := range max(len(localRun), len(motoRun)) {
		var l, m record
		if i < len(localRun) {
			l = localRun[i]
		}
		if i < len(motoRun) {
			m = motoRun[i]
		}
		mark := "="
		switch {
		case l.step != m.step:
			t.Fatalf("step %d: the runs diverged in their script (%q against %q)", i+1, l.step, m.step)
		case l.got == m.got:
		default:
			j := slices.IndexFunc(tolerances, func(tl tolerance) bool {
				return slices.Contains(tl.steps, l.step) && tl.local == l.got && tl.moto == m.got
			})
			if j < 0 {
				mark = "DIFFERS"
				t.Errorf("step %d %q: cognitolocal gave %v, moto gave %v: not a documented difference", i+1, l.step, l.got, m.got)
				break
			}
			used[l.step] = true
			mark = fmt.Sprintf("tolerated (moto difference %d)", tolerances[j].diff)
			tolerate(t, tolerances[j].diff, l.step+": moto "+m.got.String())
		}
		fmt.Fprintf(&table, "%2d %-58s | %-40s | %-40s | %s\n", i+1, l.step, l.got, m.got, mark)
	}
	for _, tl := range tolerances {
		for _, step := range tl.steps {
			if !used[step] {
				t.Errorf("the tolerance for %q (cognitolocal %v, moto %v) was not needed: the servers now agree there or differ otherwise; update tolerances", step, tl.local, tl.moto)
			}
		}
	}
	t.Logf("step by step (cognitolocal | moto):\n%s", table.String())
}

type record struct {
	step string
	got  obs
}

// scenario is one run of the script against one target.
type scenario struct {
	t   *testing.T
	tg  *target
	ctx context.Context
	log []record
}

func (s *scenario) do(step string, f func() obs) {
	s.log = append(s.log, record{step, f()})
}

// authObs reads an InitiateAuth or RespondToAuthChallenge answer.
func authObs(name types.ChallengeNameType, params map[string]string, res *types.AuthenticationResultType, err error) obs {
	switch {
	case err != nil:
		return obs{Err: apiCode(err)}
	case name == types.ChallengeNameTypeMfaSetup:
		return obs{Challenge: string(name), Status: "MFAS_CAN_SETUP=" + params["MFAS_CAN_SETUP"]}
	case name != "":
		keys := slices.Sorted(maps.Keys(params))
		if len(keys) == 0 {
			keys = []string{"none"}
		}
		return obs{Challenge: string(name), Status: "params " + strings.Join(keys, ",")}
	case res != nil && aws.ToString(res.AccessToken) != "":
		return obs{Status: "signed in"}
	}
	return obs{Status: "neither a challenge nor tokens"}
}

func errObs(err error, ok string) obs {
	if err != nil {
		return obs{Err: apiCode(err)}
	}
	return obs{Status: ok}
}

func secretShape(secret string) string {
	if cognitoSecret.MatchString(secret) {
		return fmt.Sprintf("%d-char base32 secret", len(secret))
	}
	return fmt.Sprintf("%d-char secret", len(secret))
}

// runScenario runs the script against tg. Setup failures end the test; every
// step's outcome, success or error, is recorded for the comparison.
func runScenario(t *testing.T, tg *target) []record {
	t.Helper()
	s := &scenario{t: t, tg: tg, ctx: context.Background()}
	ctx, u := s.ctx, tg.user

	onPool := tg.pool(t, types.UserPoolMfaTypeOn)
	plain, _ := tg.client(t, onPool, false, passwordFlows...)
	withSecret, _ := tg.client(t, onPool, true, passwordFlows...)
	srpOnly, _ := tg.client(t, onPool, false, types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth)
	tg.newUser(t, onPool, "dora", tempPassword, false)
	tg.newUser(t, onPool, "carl", password, true)
	optPool := tg.pool(t, types.UserPoolMfaTypeOptional)
	optClient, _ := tg.client(t, optPool, false, passwordFlows...)
	tg.newUser(t, optPool, "eve", password, true)

	signIn := func(client, name, pw string) (*cip.InitiateAuthOutput, obs) {
		out, err := u.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(client),
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": pw}})
		if err != nil {
			return nil, obs{Err: apiCode(err)}
		}
		return out, authObs(out.ChallengeName, out.ChallengeParameters, out.AuthenticationResult, nil)
	}
	respond := func(client string, challenge types.ChallengeNameType, session string, answers map[string]string) (*cip.RespondToAuthChallengeOutput, obs) {
		out, err := u.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client), ChallengeName: challenge,
			Session: aws.String(session), ChallengeResponses: answers})
		if err != nil {
			return nil, obs{Err: apiCode(err)}
		}
		return out, authObs(out.ChallengeName, out.ChallengeParameters, out.AuthenticationResult, nil)
	}
	session := func(p *string) string { return aws.ToString(p) }

	// Sign-in errors and the pool's rules.
	s.do("sign in, wrong password", func() obs { _, o := signIn(plain, "dora", "Wr0ng-Passw0rd"); return o })
	s.do("sign in, unknown user", func() obs { _, o := signIn(plain, "nobody", password); return o })
	s.do("sign in, unknown client", func() obs { _, o := signIn("doesnotexist", "carl", password); return o })
	s.do("sign in, client without ALLOW_USER_PASSWORD_AUTH", func() obs { _, o := signIn(srpOnly, "carl", password); return o })
	s.do("sign in without SECRET_HASH, client with a secret", func() obs { _, o := signIn(withSecret, "carl", password); return o })
	s.do("sign in, confirmed user without TOTP, MFA required", func() obs { _, o := signIn(plain, "carl", password); return o })

	// First sign-in: new password, then the MFA_SETUP path.
	var sess, secret string
	s.do("sign in with the temporary password", func() obs {
		out, o := signIn(plain, "dora", tempPassword)
		if out != nil {
			sess = session(out.Session)
		}
		return o
	})
	s.do("new password that breaks the policy", func() obs {
		_, o := respond(plain, types.ChallengeNameTypeNewPasswordRequired, sess, map[string]string{"USERNAME": "dora", "NEW_PASSWORD": weakPassword})
		return o
	})
	s.do("new password", func() obs {
		out, o := respond(plain, types.ChallengeNameTypeNewPasswordRequired, sess, map[string]string{"USERNAME": "dora", "NEW_PASSWORD": newPassword})
		if out != nil {
			sess = session(out.Session)
		}
		return o
	})
	s.do("associate with the MFA_SETUP session", func() obs {
		out, err := u.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String(sess)})
		if err != nil {
			return obs{Err: apiCode(err)}
		}
		secret = aws.ToString(out.SecretCode)
		next := session(out.Session)
		o := obs{Status: secretShape(secret) + ", new session"}
		switch {
		case next == "":
			o.Status = secretShape(secret) + ", no session"
		case next == sess:
			o.Status = secretShape(secret) + ", same session"
		}
		sess = next
		return o
	})
	verify := func(in *cip.VerifySoftwareTokenInput) obs {
		out, err := u.VerifySoftwareToken(ctx, in)
		if err != nil {
			return obs{Err: apiCode(err)}
		}
		if in.Session != nil && out.Session != nil {
			sess = session(out.Session)
		}
		return obs{Status: string(out.Status)}
	}
	s.do("verify with the session, wrong code", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{Session: aws.String(sess), UserCode: aws.String(wrongCode(t, secret))})
	})
	s.do("verify with the session, letters for a code", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{Session: aws.String(sess), UserCode: aws.String("abcdef")})
	})
	s.do("verify with the session, right code", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{Session: aws.String(sess), UserCode: aws.String(codeNow(t, secret)),
			FriendlyDeviceName: aws.String(flow.FriendlyDeviceName)})
	})
	s.do("answer MFA_SETUP", func() obs {
		_, o := respond(plain, types.ChallengeNameTypeMfaSetup, sess, map[string]string{"USERNAME": "dora"})
		return o
	})

	// The next sign-in asks for a code.
	s.do("sign in after MFA_SETUP", func() obs {
		out, o := signIn(plain, "dora", newPassword)
		if out != nil {
			sess = session(out.Session)
		}
		return o
	})
	answer := func(code string) obs {
		_, o := respond(plain, types.ChallengeNameTypeSoftwareTokenMfa, sess, map[string]string{"USERNAME": "dora", "SOFTWARE_TOKEN_MFA_CODE": code})
		return o
	}
	s.do("answer SOFTWARE_TOKEN_MFA, wrong code", func() obs { return answer(wrongCode(t, secret)) })
	s.do("answer SOFTWARE_TOKEN_MFA, right code", func() obs { return answer(nextCode(t, secret)) })
	s.do("answer SOFTWARE_TOKEN_MFA again with the spent session", func() obs { return answer(codeNow(t, secret)) })
	s.do("answer SOFTWARE_TOKEN_MFA with a made-up session", func() obs { sess = madeUpSession; return answer(codeNow(t, secret)) })
	s.do("associate with a made-up session", func() obs {
		_, err := u.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String(madeUpSession)})
		return errObs(err, "secret")
	})
	s.do("verify with a made-up session", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{Session: aws.String(madeUpSession), UserCode: aws.String("123456")})
	})

	// The access-token path, in an MFA-optional pool.
	var token string
	s.do("sign in, optional pool, no TOTP", func() obs {
		out, o := signIn(optClient, "eve", password)
		if out != nil && out.AuthenticationResult != nil {
			token = aws.ToString(out.AuthenticationResult.AccessToken)
		}
		return o
	})
	prefer := func() obs {
		_, err := u.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: aws.String(token),
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
		return errObs(err, "ok")
	}
	s.do("make TOTP preferred before any token", prefer)
	s.do("associate with the access token", func() obs {
		out, err := u.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(token)})
		if err != nil {
			return obs{Err: apiCode(err)}
		}
		secret = aws.ToString(out.SecretCode)
		if out.Session != nil {
			return obs{Status: "secret and a session"}
		}
		return obs{Status: "secret, no session"}
	})
	s.do("make TOTP preferred before verify", prefer)
	s.do("verify with the access token, wrong code", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{AccessToken: aws.String(token), UserCode: aws.String(wrongCode(t, secret))})
	})
	s.do("verify with the access token, right code", func() obs {
		return verify(&cip.VerifySoftwareTokenInput{AccessToken: aws.String(token), UserCode: aws.String(codeNow(t, secret)),
			FriendlyDeviceName: aws.String(flow.FriendlyDeviceName)})
	})
	s.do("make TOTP preferred", prefer)
	s.do("read the user back", func() obs {
		out, err := u.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		if err != nil {
			return obs{Err: apiCode(err)}
		}
		return obs{Status: fmt.Sprintf("%s: MFA %v, preferred %s", aws.ToString(out.Username), out.UserMFASettingList, aws.ToString(out.PreferredMfaSetting))}
	})
	s.do("read the user with a made-up access token", func() obs {
		_, err := u.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(madeUpAccessToken)})
		return errObs(err, "user")
	})
	s.do("sign in after the access-token setup", func() obs {
		out, o := signIn(optClient, "eve", password)
		if out != nil {
			sess = session(out.Session)
		}
		return o
	})
	// One step of clock drift, right after verifying with the current step's
	// code, so the step before is still unused: the servers part ways here
	// (moto refuses it and keeps its session), and meet again at the next
	// sign-in.
	s.do("answer SOFTWARE_TOKEN_MFA with the code of the step before", func() obs {
		_, o := respond(optClient, types.ChallengeNameTypeSoftwareTokenMfa, sess, map[string]string{"USERNAME": "eve", "SOFTWARE_TOKEN_MFA_CODE": codeBefore(t, secret)})
		return o
	})
	s.do("sign in once more", func() obs {
		out, o := signIn(optClient, "eve", password)
		if out != nil {
			sess = session(out.Session)
		}
		return o
	})
	s.do("answer SOFTWARE_TOKEN_MFA, right code (access-token path)", func() obs {
		_, o := respond(optClient, types.ChallengeNameTypeSoftwareTokenMfa, sess, map[string]string{"USERNAME": "eve", "SOFTWARE_TOKEN_MFA_CODE": nextCode(t, secret)})
		return o
	})
	return s.log
}
