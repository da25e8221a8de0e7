package cognitolocal_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// listAll pages through ListUsers with limit and returns the usernames in
// the order they came and how many requests it took.
func (e *env) listAll(in cip.ListUsersInput, between func(page int)) ([]string, int) {
	e.t.Helper()
	var names []string
	pages := 0
	for {
		out, err := e.admin.ListUsers(e.ctx, &in)
		must(e.t, err)
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
		}
		if out.PaginationToken == nil {
			return names, pages
		}
		if pages > 100 {
			e.t.Fatalf("ListUsers still has pages after %d", pages)
		}
		if between != nil {
			between(pages)
		}
		in.PaginationToken = out.PaginationToken
	}
}

func TestListUsersShapeAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("user%02d", i)
		e.confirmedUser(poolID, name)
		want = append(want, name)
	}
	e.tempUser(poolID, "temp")
	want = append(want, "temp")
	slices.Sort(want)

	first, err := e.admin.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(3)})
	must(t, err)
	if len(first.Users) != 3 || first.PaginationToken == nil {
		t.Fatalf("first page: %d users, token %v", len(first.Users), first.PaginationToken != nil)
	}
	u := first.Users[0]
	email := ""
	hasSub := false
	for _, a := range u.Attributes {
		switch aws.ToString(a.Name) {
		case "email":
			email = aws.ToString(a.Value)
		case "sub":
			hasSub = aws.ToString(a.Value) != ""
		}
	}
	if aws.ToString(u.Username) != "temp" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled ||
		email != "temp@example.com" || !hasSub || !u.UserCreateDate.Equal(start) || !u.UserLastModifiedDate.Equal(start) ||
		u.MFAOptions != nil {
		t.Fatalf("first user = %+v", u)
	}
	if first.Users[1].UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("second user status = %s", first.Users[1].UserStatus)
	}

	got, pages := e.listAll(cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(3)}, nil)
	if !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("pages of 3 = %v in %d requests, want %v in 3", got, pages, want)
	}
	// Without a Limit, up to 60 come at once, with no token.
	got, pages = e.listAll(cip.ListUsersInput{UserPoolId: aws.String(poolID)}, nil)
	if !slices.Equal(got, want) || pages != 1 {
		t.Fatalf("default limit = %v in %d requests", got, pages)
	}
	// Exactly a page full: no token for an empty next page.
	got, pages = e.listAll(cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(4)}, nil)
	if !slices.Equal(got, want) || pages != 2 {
		t.Fatalf("pages of 4 = %v in %d requests", got, pages)
	}
}

func TestListUsersDefaultLimitIsSixty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	for i := range 61 {
		e.tempUser(poolID, fmt.Sprintf("u%03d", i))
	}
	out, err := e.admin.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID)})
	must(t, err)
	if len(out.Users) != 60 || out.PaginationToken == nil {
		t.Fatalf("default page: %d users, token %v", len(out.Users), out.PaginationToken != nil)
	}
	out, err = e.admin.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(60), PaginationToken: out.PaginationToken})
	must(t, err)
	if len(out.Users) != 1 || aws.ToString(out.Users[0].Username) != "u060" || out.PaginationToken != nil {
		t.Fatalf("second page: %d users", len(out.Users))
	}
}

// A chain of pages neither repeats nor skips a user that exists throughout,
// whatever changes between the pages.
func TestListUsersPagesStableUnderChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	var before []string
	for i := range 9 {
		name := fmt.Sprintf("m%02d", i)
		e.tempUser(poolID, name)
		before = append(before, name)
	}
	got, _ := e.listAll(cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(2)}, func(page int) {
		switch page {
		case 1:
			e.tempUser(poolID, "a-early") // sorts before the pages already read
			e.tempUser(poolID, "z-late")  // sorts after
		case 2:
			_, err := e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("m07")})
			must(t, err)
			e.tempUser(poolID, "m04b")
		}
	})
	seen := map[string]int{}
	for _, n := range got {
		seen[n]++
		if seen[n] > 1 {
			t.Fatalf("%s listed twice: %v", n, got)
		}
	}
	for _, n := range append(before, "z-late", "m04b") {
		if seen[n] != 1 {
			t.Fatalf("%s missing from %v", n, got)
		}
	}
}

func TestListUsersFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{mfa: "OPTIONAL"})
	for _, n := range []string{"alice", "alina", "bob", "carol"} {
		e.confirmedUser(poolID, n)
	}
	e.tempUser(poolID, "dave")
	e.tempUser(poolID, "al")
	_, err := e.admin.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("bob")})
	must(t, err)
	_, err = e.admin.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("quoted"),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String(tempPassword),
		UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String(`Jo "J" \ Doe`)}}})
	must(t, err)

	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{``, []string{"al", "alice", "alina", "bob", "carol", "dave", "quoted"}},
		{`username = "alice"`, []string{"alice"}},
		{`username="al"`, []string{"al"}},
		{`username ^= "al"`, []string{"al", "alice", "alina"}},
		{`username = "Alice"`, nil}, // username is case-sensitive
		{`email = "carol@example.com"`, []string{"carol"}},
		{`email ^= "ali"`, []string{"alice", "alina"}},
		{`cognito:user_status = "FORCE_CHANGE_PASSWORD"`, []string{"al", "dave", "quoted"}},
		{`cognito:user_status = "confirmed"`, []string{"alice", "alina", "bob", "carol"}},
		{`status = "Disabled"`, []string{"bob"}},
		{`status = "Enabled"`, []string{"al", "alice", "alina", "carol", "dave", "quoted"}},
		{`status = "disabled"`, nil}, // status is case-sensitive
		{`name = "Jo \"J\" \\ Doe"`, []string{"quoted"}},
		{`phone_number ^= "+1"`, nil},
	} {
		got, _ := e.listAll(cip.ListUsersInput{UserPoolId: aws.String(poolID), Filter: aws.String(tc.filter), Limit: aws.Int32(2)}, nil)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Filter %s = %v, want %v", tc.filter, got, tc.want)
		}
	}

	out, err := e.admin.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID), Filter: aws.String(`username = "alice"`),
		AttributesToGet: []string{"email"}})
	must(t, err)
	if len(out.Users) != 1 || len(out.Users[0].Attributes) != 1 || aws.ToString(out.Users[0].Attributes[0].Name) != "email" {
		t.Fatalf("AttributesToGet email = %+v", out.Users)
	}
}

func TestListUsersRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poolID := e.pool(poolSpec{})
	other := e.pool(poolSpec{})
	for i := range 3 {
		e.tempUser(poolID, fmt.Sprintf("r%d", i))
		e.tempUser(other, fmt.Sprintf("r%d", i))
	}
	list := func(in cip.ListUsersInput) error {
		if in.UserPoolId == nil {
			in.UserPoolId = aws.String(poolID)
		}
		_, err := e.admin.ListUsers(e.ctx, &in)
		return err
	}
	for _, bad := range []string{`email "x"`, `email = x`, `email == "x"`, `email = "x" and name = "y"`, `= "x"`, `email = "x`} {
		wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{Filter: aws.String(bad)}), "Error while parsing filter.")
	}
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{Filter: aws.String(`custom:team = "x"`)}), "Invalid search attribute: custom:team")
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{Limit: aws.Int32(61)}),
		"1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{Limit: aws.Int32(0)}),
		"1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
	long := make([]byte, 257)
	for i := range long {
		long[i] = 'a'
	}
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{Filter: aws.String(string(long))}),
		"1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256")
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{PaginationToken: aws.String("bm90LWEtdG9rZW4")}), "Invalid pagination token.")
	wantErr[*types.ResourceNotFoundException](t, list(cip.ListUsersInput{UserPoolId: aws.String("us-east-1_nope12345")}),
		"User pool us-east-1_nope12345 does not exist.")

	// A token is bound to its pool: another pool's does not work here.
	out, err := e.admin.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(other), Limit: aws.Int32(1)})
	must(t, err)
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{PaginationToken: out.PaginationToken}), "Invalid pagination token.")
	// Nor does a token with one character changed.
	tok := []byte(aws.ToString(out.PaginationToken))
	tok[len(tok)/2] ^= 1
	wantErr[*types.InvalidParameterException](t, list(cip.ListUsersInput{UserPoolId: aws.String(other), PaginationToken: aws.String(string(tok))}), "Invalid pagination token.")

	_, err = e.user.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(poolID)})
	wantAPIErr(t, err, "MissingAuthenticationTokenException", "Missing Authentication Token")
}
