package cognitolocal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ListUsers: a pool's users in Cognito's UserType shape (no MFA data, as in
// Cognito), at most Limit (1 to 60, default 60) a page, with Cognito's Filter
// syntax:
//
//	name = "value"    exact match
//	name ^= "prefix"  starts with
//
// on username, email, phone_number, name, given_name, family_name,
// preferred_username, sub, cognito:user_status (value compared without case)
// and status ("Enabled" or "Disabled"). An empty Filter lists everyone.
//
// Users come in username order. The PaginationToken names the last user of
// the page (with a MAC, so it cannot be forged or moved to another pool), so a
// chain of pages never repeats a user and never skips one that exists
// throughout, whatever is created or changed meanwhile. Choices where
// Cognito's behaviour is not documented: Limit 0 is refused (the model allows
// it); a token that does not decode is InvalidParameterException "Invalid
// pagination token."; AttributesToGet lists only the attributes asked for
// that a user has (Cognito may refuse when some user lacks one).

const (
	defaultListLimit = 60
	msgBadFilter     = "Error while parsing filter."
	msgBadPageToken  = "Invalid pagination token."
)

var (
	ruleFilter    = rule(0, 256, "")
	rulePageToken = rule(1, 0, `[\S]+`)
	// filterSyntax is one attribute, an operator and a double-quoted value
	// in which \" and \\ stand for " and \. Compiled on first use, not
	// while every command starts.
	filterSyntax = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\s*([A-Za-z_:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$`)
	})
	// searchable are the attributes Cognito filters on.
	searchable = map[string]bool{
		"username": true, "email": true, "phone_number": true, "name": true, "given_name": true,
		"family_name": true, "preferred_username": true, "cognito:user_status": true, "status": true, "sub": true,
	}
)

type listUsersInput struct {
	UserPoolId      string
	AttributesToGet []string
	Limit           *int
	PaginationToken string
	Filter          string
}

type listUsersJSON struct {
	Users           []userJSON `json:"Users"`
	PaginationToken string     `json:"PaginationToken,omitempty"`
}

// userFilter is a parsed Filter; the zero value matches everyone.
type userFilter struct {
	attr, value string
	prefix      bool
}

func parseFilter(f string) (userFilter, *apiError) {
	if strings.TrimSpace(f) == "" {
		return userFilter{}, nil
	}
	m := filterSyntax().FindStringSubmatch(f)
	if m == nil {
		return userFilter{}, errInvalidParameter(msgBadFilter)
	}
	if !searchable[m[1]] {
		return userFilter{}, errInvalidParameter("Invalid search attribute: " + m[1])
	}
	var value strings.Builder
	for i := 0; i < len(m[3]); i++ {
		if m[3][i] == '\\' {
			i++
		}
		value.WriteByte(m[3][i])
	}
	return userFilter{attr: m[1], value: value.String(), prefix: m[2] == "^="}, nil
}

func (f userFilter) matches(u *user) bool {
	if f.attr == "" {
		return true
	}
	var have string
	switch f.attr {
	case "username":
		have = u.username
	case "status":
		have = "Disabled"
		if u.enabled {
			have = "Enabled"
		}
	case "cognito:user_status":
		have, f.value = strings.ToUpper(u.status), strings.ToUpper(f.value)
	default:
		v, ok := u.attr(f.attr)
		if !ok {
			return false
		}
		have = v
	}
	if f.prefix {
		return strings.HasPrefix(have, f.value)
	}
	return have == f.value
}

func (s *Server) listUsers(in *listUsersInput) (any, *apiError) {
	var v validation
	v.str("userPoolId", in.UserPoolId, true, rulePoolID)
	v.intRange("limit", in.Limit, 1, 60)
	v.str("paginationToken", in.PaginationToken, false, rulePageToken)
	v.str("filter", in.Filter, false, ruleFilter)
	for i, name := range in.AttributesToGet {
		v.str("attributesToGet."+strconv.Itoa(i+1)+".member", name, true, ruleAttrName)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := s.lookupPool(in.UserPoolId)
	if err != nil {
		return nil, err
	}
	filter, err := parseFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	after := ""
	if in.PaginationToken != "" {
		if after, err = s.readPageToken(p.id, in.PaginationToken); err != nil {
			return nil, err
		}
	}
	limit := defaultListLimit
	if in.Limit != nil {
		limit = *in.Limit
	}
	names := make([]string, 0, len(p.users))
	for name := range p.users {
		if name > after {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := listUsersJSON{Users: []userJSON{}}
	for _, name := range names {
		u := p.users[name]
		if !filter.matches(u) {
			continue
		}
		if len(out.Users) == limit { // one more matches: there is a next page
			out.PaginationToken = s.pageToken(p.id, out.Users[limit-1].Username)
			break
		}
		out.Users = append(out.Users, userJSON{
			Username: u.username, Attributes: pickAttributes(u.attrs, in.AttributesToGet),
			UserCreateDate: toEpoch(u.created), UserLastModifiedDate: toEpoch(u.changed),
			Enabled: u.enabled, UserStatus: u.status,
		})
	}
	return out, nil
}

// pickAttributes copies the attributes named in want (all of them when want
// is nil, none when it is empty).
func pickAttributes(attrs []attribute, want []string) []attribute {
	out := []attribute{}
	for _, a := range attrs {
		if want == nil || slices.Contains(want, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// pageToken is base64url(poolID NUL lastUsername NUL mac), the MAC keyed by
// the server's own random key.
func (s *Server) pageToken(poolID, last string) string {
	body := poolID + "\x00" + last
	return base64.RawURLEncoding.EncodeToString(append([]byte(body+"\x00"), s.pageMAC(body)...))
}

func (s *Server) pageMAC(body string) []byte {
	m := hmac.New(sha256.New, s.fakeKey[:])
	m.Write([]byte("ListUsers\x00" + body))
	return m.Sum(nil)[:16]
}

// readPageToken returns the username a token says the last page ended at.
func (s *Server) readPageToken(poolID, token string) (string, *apiError) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 17 {
		return "", errInvalidParameter(msgBadPageToken)
	}
	body, mac := string(raw[:len(raw)-17]), raw[len(raw)-16:]
	gotPool, last, ok := strings.Cut(body, "\x00")
	if raw[len(raw)-17] != 0 || !ok || gotPool != poolID || !hmac.Equal(mac, s.pageMAC(body)) {
		return "", errInvalidParameter(msgBadPageToken)
	}
	return last, nil
}
