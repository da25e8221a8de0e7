package cognitolocal_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

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
	// The verifying code is spent; the app's next one (a step later, which
	// Cognito accepts) signs in. The clock is shared, so it is not moved.
	later, _ := totpCode(*assoc.SecretCode, e.clock.Now().Add(30*time.Second))
	done, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, again.Session, name, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": later})
	if err != nil || done.AuthenticationResult == nil {
		return fmt.Errorf("%s: SOFTWARE_TOKEN_MFA: %v", name, err)
	}
	u, err := e.user.GetUser(e.ctx, &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken})
	if err != nil || aws.ToString(u.Username) != name {
		return fmt.Errorf("%s: GetUser: %v", name, err)
	}
	return nil
}

// An administrator pages through the users and signs people out while they
// sign in and refresh: every page chain lists each user once, and no refresh
// token issued before a user's sign-out works after it. Run under -race.
func TestConcurrentListingSignOutAndRefresh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	opt := e.pool(poolSpec{mfa: "OPTIONAL"})
	oc := e.client(opt, clientSpec{})
	const people = 8
	for i := range people {
		e.confirmedUser(opt, fmt.Sprintf("p%d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("p%d", i)
			for range 5 {
				out, err := e.signIn(oc, name, password)
				if err != nil {
					errs <- fmt.Errorf("%s: sign-in: %w", name, err)
					return
				}
				_, err = e.admin.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(opt), Username: aws.String(name)})
				if err != nil {
					errs <- fmt.Errorf("%s: sign-out: %w", name, err)
					return
				}
				if _, err := e.refresh(oc, name, out.AuthenticationResult.RefreshToken); err == nil {
					errs <- fmt.Errorf("%s: a refresh token issued before the sign-out still worked", name)
					return
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				in := cip.ListUsersInput{UserPoolId: aws.String(d.UserPoolID), Limit: aws.Int32(7)}
				seen := map[string]bool{}
				for page := 0; page < 20; page++ {
					out, err := e.admin.ListUsers(e.ctx, &in)
					if err != nil {
						errs <- fmt.Errorf("ListUsers: %w", err)
						return
					}
					for _, u := range out.Users {
						if seen[aws.ToString(u.Username)] {
							errs <- fmt.Errorf("ListUsers listed %s twice", aws.ToString(u.Username))
						}
						seen[aws.ToString(u.Username)] = true
					}
					if in.PaginationToken = out.PaginationToken; in.PaginationToken == nil {
						break
					}
				}
				if len(seen) != 47 {
					errs <- fmt.Errorf("a page chain listed %d users, want 47", len(seen))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
