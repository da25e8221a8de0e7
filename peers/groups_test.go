package peers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// `admin status --group` and `--filter` against moto and cognitolocal: the
// same group of 130 users gives the same report on both, over three pages of
// ListUsersInGroup, and the refusals are the same sentences (moto's own
// words differ where motoDifferences says).
func TestMotoAndLocalAdminStatusByGroup(t *testing.T) {
	motoURL := needMoto(t)
	t.Parallel()
	srv := httptest.NewServer(cognitolocal.New(cognitolocal.Options{Region: region}))
	t.Cleanup(srv.Close)
	for _, tg := range []*target{newTarget("moto", motoURL), newTarget("cognitolocal", srv.URL)} {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			const users = 130
			poolID, c := tg.optionalPoolUser(t, "ops000", password, true)
			for i := 1; i < users; i++ {
				tg.newUser(t, poolID, fmt.Sprintf("ops%03d", i), password, true)
			}
			tg.newUser(t, poolID, "outsider", password, true)
			enrollWithAccessToken(t, c, "ops000")
			if _, err := tg.admin.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ops001")}); err != nil {
				t.Fatal(err)
			}
			if _, err := tg.admin.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")}); err != nil {
				t.Fatal(err)
			}
			_, err := tg.admin.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != "GroupExistsException" {
				t.Fatalf("CreateGroup twice: %v", err)
			}
			if msg := api.ErrorMessage(); msg != "A group with the name ops already exists." {
				if tg.name != "moto" {
					t.Fatalf("GroupExistsException says %q", msg)
				}
				tolerate(t, diffGroupMessages, msg)
			}
			for i := range users {
				if _, err := tg.admin.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
					Username: aws.String(fmt.Sprintf("ops%03d", i)), GroupName: aws.String("ops")}); err != nil {
					t.Fatal(err)
				}
			}

			tr := &countingTransport{}
			run := runAdmin(t, tg.url, poolID, tr, "status", "--group", "ops", "--yes", "--output", "json", "--rate", "100")
			if run.err != nil {
				t.Fatalf("%v\n%s", run.err, run.stderr)
			}
			var got admin.Report
			if err := json.Unmarshal([]byte(run.stdout), &got); err != nil {
				t.Fatal(err)
			}
			want := admin.Summary{Users: users, TOTP: 1, NoMFA: users - 2, Disabled: 1, ByStatus: map[string]int{"CONFIRMED": users}}
			if got.Partial || got.Listed != users || got.Group != "ops" || fmt.Sprint(got.Summary) != fmt.Sprint(want) {
				t.Fatalf("summary %+v (listed %d), want %+v", got.Summary, got.Listed, want)
			}
			if n := tr.count("ListUsersInGroup"); n != 3 {
				t.Errorf("%d ListUsersInGroup calls, want 3 pages of 60; answered %q", n, tr.answered("ListUsersInGroup"))
			}
			if n := tr.count("AdminGetUser"); n != users-1 {
				t.Errorf("%d AdminGetUser calls, want %d", n, users-1)
			}

			run = runAdmin(t, tg.url, poolID, tr, "status", "--group", "nope", "--yes")
			if admin.KindOf(run.err) != admin.KindPoolNotFound || !strings.HasPrefix(run.err.Error(), "there is no group nope in this pool") {
				t.Errorf("unknown group: %v", run.err)
			}
			run = runAdmin(t, tg.url, poolID, tr, "status", "--filter", `email ~ "x"`, "--yes")
			if admin.KindOf(run.err) != admin.KindUsage || !strings.HasPrefix(run.err.Error(), `Cognito refused --filter email ~ "x": Error while parsing filter`) {
				t.Errorf("a filter Cognito refuses: %v", run.err)
			}
		})
	}
}
