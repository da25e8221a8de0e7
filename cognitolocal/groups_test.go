package cognitolocal_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestGroupsMembersOverPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	out, err := e.admin.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops"),
		Description: aws.String("operations"), Precedence: aws.Int32(3)})
	must(t, err)
	if g := out.Group; aws.ToString(g.GroupName) != "ops" || aws.ToString(g.UserPoolId) != poolID || aws.ToString(g.Description) != "operations" ||
		aws.ToInt32(g.Precedence) != 3 || g.CreationDate == nil || g.LastModifiedDate == nil {
		t.Fatalf("CreateGroup answered %+v", g)
	}
	_, err = e.admin.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")})
	wantErr[*types.GroupExistsException](t, err, "A group with the name ops already exists.")
	_, err = e.admin.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("sales")})
	must(t, err)

	var want []string
	for i := range 130 {
		name := fmt.Sprintf("member%03d", i)
		e.confirmedUser(poolID, name)
		_, err := e.admin.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String(name), GroupName: aws.String("ops")})
		must(t, err)
		want = append(want, name)
	}
	e.confirmedUser(poolID, "outsider")
	_, err = e.admin.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String("outsider"), GroupName: aws.String("sales")})
	must(t, err)
	// Twice is not an error, and the member is listed once.
	_, err = e.admin.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String("member000"), GroupName: aws.String("ops")})
	must(t, err)

	var got []string
	in := &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops")}
	pages := 0
	for {
		page, err := e.admin.ListUsersInGroup(e.ctx, in)
		must(t, err)
		pages++
		if len(page.Users) > 60 {
			t.Fatalf("a page of %d users", len(page.Users))
		}
		for _, u := range page.Users {
			got = append(got, aws.ToString(u.Username))
			if !u.Enabled || u.UserStatus != types.UserStatusTypeConfirmed || len(u.Attributes) == 0 {
				t.Fatalf("member %+v", u)
			}
		}
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("%d pages, %d members (%v...), want 3 pages of the 130 members in order", pages, len(got), got[:min(3, len(got))])
	}
	small, err := e.admin.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops"), Limit: aws.Int32(7)})
	must(t, err)
	if len(small.Users) != 7 || small.NextToken == nil {
		t.Fatalf("Limit 7: %d users", len(small.Users))
	}
	// A token is bound to its group.
	_, err = e.admin.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("sales"), NextToken: small.NextToken})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
	_, err = e.admin.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("ops"), Limit: aws.Int32(61)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = e.admin.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
	_, err = e.admin.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String("eu-west-1_Nope12345"), GroupName: aws.String("ops")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool eu-west-1_Nope12345 does not exist.")

	_, err = e.admin.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String("ghost"), GroupName: aws.String("ops")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.admin.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID), Username: aws.String("outsider"), GroupName: aws.String("nobody")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")

	g, err := e.admin.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("sales")})
	must(t, err)
	if aws.ToString(g.Group.GroupName) != "sales" || g.Group.Precedence != nil {
		t.Fatalf("GetGroup %+v", g.Group)
	}
	_, err = e.admin.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("nobody")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
	list, err := e.admin.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(1)})
	must(t, err)
	if len(list.Groups) != 1 || aws.ToString(list.Groups[0].GroupName) != "ops" || list.NextToken == nil {
		t.Fatalf("ListGroups first page %+v", list)
	}
	list, err = e.admin.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(1), NextToken: list.NextToken})
	must(t, err)
	if len(list.Groups) != 1 || aws.ToString(list.Groups[0].GroupName) != "sales" || list.NextToken != nil {
		t.Fatalf("ListGroups second page %+v", list)
	}
	mine, err := e.admin.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("outsider")})
	must(t, err)
	if len(mine.Groups) != 1 || aws.ToString(mine.Groups[0].GroupName) != "sales" {
		t.Fatalf("AdminListGroupsForUser %+v", mine.Groups)
	}
	_, err = e.admin.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("ghost")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestCreateGroupValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	_, err := e.admin.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("two words"),
		RoleArn: aws.String("not-an-arn-but-long-enough")})
	wantErr[*types.InvalidParameterException](t, err, "2 validation errors detected: "+
		"Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+; "+
		"Value at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?")
	_, err = e.admin.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("g"), Precedence: aws.Int32(-1)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0")
}
