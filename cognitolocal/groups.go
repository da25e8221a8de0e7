package cognitolocal

import (
	"slices"
	"time"
)

// Groups: CreateGroup, GetGroup, ListGroups, AdminAddUserToGroup,
// AdminListGroupsForUser and ListUsersInGroup, with Cognito's validation and
// errors. A group belongs to one pool; its members are usernames of that
// pool. Lists come in name order, at most Limit (1 to 60, default 60) a page,
// and NextToken is a MAC'd token as ListUsers' PaginationToken (listusers.go),
// bound to the pool, the list and, for a group's members or a user's groups,
// the group or the user. Adding a member twice is not an error (as in
// Cognito). A member no longer in the pool is not listed.

const (
	excGroupExists   = "GroupExistsException"
	msgGroupNotFound = "Group not found."
)

var (
	ruleGroupName   = rule(1, 128, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	ruleDescription = rule(0, 2048, "")
	ruleRoleArn     = rule(20, 2048, `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`)
)

// group is one Cognito group.
type group struct {
	name, description, roleArn string
	precedence                 *int
	created, changed           time.Time
	members                    map[string]bool // usernames
}

type groupJSON struct {
	GroupName        string `json:"GroupName"`
	UserPoolId       string `json:"UserPoolId"`
	Description      string `json:"Description,omitempty"`
	RoleArn          string `json:"RoleArn,omitempty"`
	Precedence       *int   `json:"Precedence,omitempty"`
	CreationDate     epoch  `json:"CreationDate"`
	LastModifiedDate epoch  `json:"LastModifiedDate"`
}

func (g *group) json(poolID string) groupJSON {
	return groupJSON{GroupName: g.name, UserPoolId: poolID, Description: g.description, RoleArn: g.roleArn,
		Precedence: g.precedence, CreationDate: toEpoch(g.created), LastModifiedDate: toEpoch(g.changed)}
}

func (p *pool) lookupGroup(name string) (*group, *apiError) {
	g, ok := p.groups[name]
	if !ok {
		return nil, newErr(excResourceNotFound, msgGroupNotFound)
	}
	return g, nil
}

type createGroupInput struct {
	UserPoolId, GroupName, Description, RoleArn string
	Precedence                                  *int
}

func (s *Server) createGroup(in *createGroupInput) (any, *apiError) {
	var v validation
	v.str("groupName", in.GroupName, true, ruleGroupName)
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("description", in.Description, false, ruleDescription)
	v.str("roleArn", in.RoleArn, false, ruleRoleArn)
	v.intRange("precedence", in.Precedence, 0, 1<<31-1)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, exists := p.groups[in.GroupName]; exists {
		return nil, newErr(excGroupExists, "A group with the name "+in.GroupName+" already exists.")
	}
	if p.groups == nil {
		p.groups = map[string]*group{}
	}
	now := s.clock.Now()
	g := &group{name: in.GroupName, description: in.Description, roleArn: in.RoleArn, precedence: in.Precedence,
		created: now, changed: now, members: map[string]bool{}}
	p.groups[g.name] = g
	s.savePool(p)
	return map[string]any{"Group": g.json(p.id)}, nil
}

type getGroupInput struct{ UserPoolId, GroupName string }

func (s *Server) getGroup(in *getGroupInput) (any, *apiError) {
	var v validation
	v.str("groupName", in.GroupName, true, ruleGroupName)
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.lookupGroup(in.GroupName)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Group": g.json(p.id)}, nil
}

type adminAddUserToGroupInput struct{ UserPoolId, Username, GroupName string }

func (s *Server) adminAddUserToGroup(in *adminAddUserToGroupInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("username", in.Username, true, ruleUsername)
	v.str("groupName", in.GroupName, true, ruleGroupName)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.lookupGroup(in.GroupName)
	if err != nil {
		return nil, err
	}
	if _, err := p.lookupUser(in.Username); err != nil {
		return nil, err
	}
	g.members[in.Username] = true
	s.savePool(p)
	return struct{}{}, nil
}

// page is the part of names (sorted) after the token's name, at most limit
// long, and the token for the next page ("" on the last).
func (s *Server) page(scope string, names []string, limit *int, token string) ([]string, string, *apiError) {
	slices.Sort(names)
	if token != "" {
		after, err := s.readPageToken(scope, token)
		if err != nil {
			return nil, "", err
		}
		i, _ := slices.BinarySearch(names, after)
		if i < len(names) && names[i] == after {
			i++
		}
		names = names[i:]
	}
	n := defaultListLimit
	if limit != nil {
		n = *limit
	}
	if len(names) <= n {
		return names, "", nil
	}
	return names[:n], s.pageToken(scope, names[n-1]), nil
}

type listInGroupInput struct {
	UserPoolId, GroupName, NextToken string
	Limit                            *int
}

func (s *Server) listUsersInGroup(in *listInGroupInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.str("groupName", in.GroupName, true, ruleGroupName)
	v.intRange("limit", in.Limit, 1, 60)
	v.str("nextToken", in.NextToken, false, rulePageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.lookupGroup(in.GroupName)
	if err != nil {
		return nil, err
	}
	var names []string
	for name := range g.members {
		if _, ok := p.users[name]; ok {
			names = append(names, name)
		}
	}
	names, next, err := s.page(p.id+"\x01users-in-group\x01"+g.name, names, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := struct {
		Users     []userJSON `json:"Users"`
		NextToken string     `json:"NextToken,omitempty"`
	}{Users: []userJSON{}, NextToken: next}
	for _, name := range names {
		u := p.users[name]
		out.Users = append(out.Users, userJSON{Username: u.username, Attributes: u.attrs,
			UserCreateDate: toEpoch(u.created), UserLastModifiedDate: toEpoch(u.changed), Enabled: u.enabled, UserStatus: u.status})
	}
	return out, nil
}

type listGroupsInput struct {
	UserPoolId, Username, NextToken string
	Limit                           *int
}

type groupsJSON struct {
	Groups    []groupJSON `json:"Groups"`
	NextToken string      `json:"NextToken,omitempty"`
}

func (s *Server) listGroups(in *listGroupsInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.intRange("limit", in.Limit, 1, 60)
	v.str("nextToken", in.NextToken, false, rulePageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	var names []string
	for name := range p.groups {
		names = append(names, name)
	}
	return s.groupPage(p, p.id+"\x01groups", names, in)
}

func (s *Server) adminListGroupsForUser(in *listGroupsInput) (any, *apiError) {
	var v validation
	v.str("username", in.Username, true, ruleUsername)
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.intRange("limit", in.Limit, 1, 60)
	v.str("nextToken", in.NextToken, false, rulePageToken)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := p.lookupUser(in.Username); err != nil {
		return nil, err
	}
	var names []string
	for name, g := range p.groups {
		if g.members[in.Username] {
			names = append(names, name)
		}
	}
	return s.groupPage(p, p.id+"\x01groups-for-user\x01"+in.Username, names, in)
}

func (s *Server) groupPage(p *pool, scope string, names []string, in *listGroupsInput) (any, *apiError) {
	names, next, err := s.page(scope, names, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := groupsJSON{Groups: []groupJSON{}, NextToken: next}
	for _, name := range names {
		out.Groups = append(out.Groups, p.groups[name].json(p.id))
	}
	return out, nil
}

// demoGroups are the teams of the demo pool: a rollout goes team by team.
var demoGroups = []string{"engineering", "sales", "support"}

// seedGroups puts the crowd into demoGroups, each user in one, in turn, and
// returns the members by group. Under s.mu.
func seedGroups(p *pool, crowd []CrowdUser, now time.Time) map[string][]string {
	if p.groups == nil {
		p.groups = map[string]*group{}
	}
	out := map[string][]string{}
	for _, name := range demoGroups {
		p.groups[name] = &group{name: name, description: "the " + name + " team", created: now, changed: now, members: map[string]bool{}}
	}
	for i, u := range crowd {
		name := demoGroups[i%len(demoGroups)]
		p.groups[name].members[u.Username] = true
		out[name] = append(out[name], u.Username)
	}
	return out
}
