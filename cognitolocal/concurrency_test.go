package cognitolocal_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// 32 people enroll at once, each through the whole session path, then sign in
// with a code. Run under -race.
func TestConcurrentEnrollment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "ON"})
	c := e.client(poolID, clientSpec{secret: true})
	const n = 32
	for i := range n {
		e.tempUser(poolID, fmt.Sprintf("user%02d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- e.enrollOne(c, fmt.Sprintf("user%02d", i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for i := range n {
		if got := e.adminGetUser(poolID, fmt.Sprintf("user%02d", i)); aws.ToString(got.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
			t.Errorf("user%02d: preferred MFA %q", i, aws.ToString(got.PreferredMfaSetting))
		}
	}
}

// enrollOne is the whole first sign-in of one user; it reports instead of
// failing because it runs off the test goroutine.
func (e *env) enrollOne(c appClient, name string) error {
	out, err := e.signIn(c, name, tempPassword)
	if err != nil {
		return fmt.Errorf("%s: sign-in: %w", name, err)
	}
	next, err := e.respond(c, types.ChallengeNameTypeNewPasswordRequired, out.Session, name, map[string]string{"NEW_PASSWORD": password})
	if err != nil || next.ChallengeName != types.ChallengeNameTypeMfaSetup {
		return fmt.Errorf("%s: new password: %v %q", name, err, next.ChallengeName)
	}
	assoc, err := e.user.AssociateSoftwareToken(e.ctx, &cip.AssociateSoftwareTokenInput{Session: next.Session})
	if err != nil {
		return fmt.Errorf("%s: associate: %w", name, err)
	}
	code := func() string {
		c, _ := totpCode(*assoc.SecretCode, e.clock.Now())
		return c
	}
	ver, err := e.user.VerifySoftwareToken(e.ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(code())})
	if err != nil {
		return fmt.Errorf("%s: verify: %w", name, err)
	}
	fin, err := e.respond(c, types.ChallengeNameTypeMfaSetup, ver.Session, name, nil)
	if err != nil || fin.AuthenticationResult == nil {
		return fmt.Errorf("%s: MFA_SETUP: %v", name, err)
	}
	again, err := e.signIn(c, name, password)
	if err != nil || again.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		return fmt.Errorf("%s: second sign-in: %v", name, err)
	}
	done, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, again.Session, name, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": code()})
	if err != nil || done.AuthenticationResult == nil {
		return fmt.Errorf("%s: SOFTWARE_TOKEN_MFA: %v", name, err)
	}
	u, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken})
	if err != nil || aws.ToString(u.Username) != name {
		return fmt.Errorf("%s: GetUser: %v", name, err)
	}
	return nil
}
