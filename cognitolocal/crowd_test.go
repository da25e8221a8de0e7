package cognitolocal_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// rollout counts a pool as `admin status` would: by factor and by status.
type rollout struct {
	totp, otherOnly, none, disabled int
	byStatus                        map[string]int
}

func (e *env) rolloutOf(poolID string, names []string) rollout {
	e.t.Helper()
	r := rollout{byStatus: map[string]int{}}
	for _, n := range names {
		u := e.adminGetUser(poolID, n)
		r.byStatus[string(u.UserStatus)]++
		if !u.Enabled {
			r.disabled++
		}
		switch {
		case slices.Contains(u.UserMFASettingList, "SOFTWARE_TOKEN_MFA"):
			r.totp++
		case len(u.UserMFASettingList) > 0:
			r.otherOnly++
		default:
			r.none++
		}
	}
	return r
}

// The demo pool's crowd: what ListUsers and AdminGetUser say of it is what
// Demo.Crowd says, and the mix is a rollout part-way through.
func TestSeedDemoCrowd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	if len(d.Crowd) != 42 {
		t.Fatalf("crowd of %d, want 42", len(d.Crowd))
	}
	listed, pages := e.listAll(cip.ListUsersInput{UserPoolId: aws.String(d.UserPoolID), Limit: aws.Int32(20)}, nil)
	if len(listed) != 47 || pages != 3 {
		t.Fatalf("ListUsers: %d users in %d pages, want the 5 story users and 42 more in 3", len(listed), pages)
	}
	var names []string
	for _, cu := range d.Crowd {
		names = append(names, cu.Username)
		u := e.adminGetUser(d.UserPoolID, cu.Username)
		if string(u.UserStatus) != cu.Status || u.Enabled != cu.Enabled || !slices.Equal(u.UserMFASettingList, cu.MFA) ||
			aws.ToString(u.PreferredMfaSetting) != cu.Preferred {
			t.Errorf("%s: AdminGetUser %s enabled=%v %v %q; Demo.Crowd says %+v", cu.Username, u.UserStatus, u.Enabled,
				u.UserMFASettingList, aws.ToString(u.PreferredMfaSetting), cu)
		}
		if (cu.TOTPSecret != "") != slices.Contains(cu.MFA, "SOFTWARE_TOKEN_MFA") {
			t.Errorf("%s: TOTP secret given %v, TOTP in MFA %v", cu.Username, cu.TOTPSecret != "", cu.MFA)
		}
	}
	got := e.rolloutOf(d.UserPoolID, names)
	want := rollout{totp: 17, otherOnly: 9, none: 16, disabled: 3,
		byStatus: map[string]int{"CONFIRMED": 34, "FORCE_CHANGE_PASSWORD": 4, "UNCONFIRMED": 2, "RESET_REQUIRED": 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rollout = %+v, want %+v", got, want)
	}

	// Another server seeds the same crowd.
	again, err := cognitolocal.New(cognitolocal.Options{}).SeedDemo()
	must(t, err)
	if !reflect.DeepEqual(again.Crowd, d.Crowd) {
		t.Fatal("two SeedDemo calls made different crowds")
	}
}

// Each state signs in as Cognito would have it.
func TestCrowdSignIns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	c := appClient{id: d.ClientID}
	first := map[string]cognitolocal.CrowdUser{}
	for _, cu := range d.Crowd {
		key := cu.Status
		switch {
		case !cu.Enabled:
			key = "disabled"
		case cu.Preferred != "":
			key = cu.Preferred
		case cu.Status == "CONFIRMED":
			key = "none"
		}
		if _, ok := first[key]; !ok {
			first[key] = cu
		}
	}
	signIn := func(key string) (*cip.InitiateAuthOutput, error) {
		cu, ok := first[key]
		if !ok {
			t.Fatalf("the crowd has no %s user", key)
		}
		return e.signIn(c, cu.Username, cu.Password)
	}
	out, err := signIn("SOFTWARE_TOKEN_MFA")
	must(t, err)
	wantChallenge(t, out.ChallengeName, types.ChallengeNameTypeSoftwareTokenMfa)
	cu := first["SOFTWARE_TOKEN_MFA"]
	fin, err := e.respond(c, types.ChallengeNameTypeSoftwareTokenMfa, out.Session, cu.Username,
		map[string]string{"SOFTWARE_TOKEN_MFA_CODE": e.code(cu.TOTPSecret)})
	must(t, err)
	if fin.AuthenticationResult == nil {
		t.Fatal("the crowd user's TOTP code gave no tokens")
	}
	for key, want := range map[string]types.ChallengeNameType{
		"SMS_MFA": types.ChallengeNameTypeSmsMfa, "EMAIL_OTP": types.ChallengeNameTypeEmailOtp,
		"none": types.ChallengeNameTypeMfaSetup, "FORCE_CHANGE_PASSWORD": types.ChallengeNameTypeNewPasswordRequired,
	} {
		out, err := signIn(key)
		must(t, err)
		wantChallenge(t, out.ChallengeName, want)
	}
	_, err = signIn("UNCONFIRMED")
	wantErr[*types.UserNotConfirmedException](t, err, "User is not confirmed.")
	_, err = signIn("RESET_REQUIRED")
	wantErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
	_, err = signIn("disabled")
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")
	// The password is still checked first: a wrong one says so, whatever the state.
	_, err = e.signIn(c, first["UNCONFIRMED"].Username, "Wrong-Pass-1!")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
}

// SeedCrowd grows a pool for tests of `admin status` over many pages.
func TestSeedCrowdMore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d, err := e.server.SeedDemo()
	must(t, err)
	more, err := e.server.SeedCrowd(d.UserPoolID, 250)
	must(t, err)
	if len(more) != 250 || more[0].Username != "user-0043" || more[249].Username != "user-0292" {
		t.Fatalf("SeedCrowd made %d users, %s to %s", len(more), more[0].Username, more[len(more)-1].Username)
	}
	listed, pages := e.listAll(cip.ListUsersInput{UserPoolId: aws.String(d.UserPoolID)}, nil)
	if len(listed) != 5+42+250 || pages != 5 {
		t.Fatalf("ListUsers: %d users in %d pages of 60", len(listed), pages)
	}
	_, err = e.server.SeedCrowd("us-east-1_nope12345", 1)
	if err == nil {
		t.Fatal("SeedCrowd into a pool that does not exist succeeded")
	}
}
