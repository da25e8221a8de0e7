package cognitolocal

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// The in-memory store. Every field here is guarded by Server.mu; nothing in
// this file locks.

type pool struct {
	id, name, arn    string
	mfa              string   // OFF, ON or OPTIONAL
	totpEnabled      bool     // SoftwareTokenMfaConfiguration.Enabled
	smsEnabled       bool     // SmsMfaConfiguration given (see mfa.go)
	emailEnabled     bool     // EmailMfaConfiguration given
	smsCallerArn     string   // SmsConfiguration.SnsCallerArn, from CreateUserPool or SetUserPoolMfaConfig
	smsMessage       string   // SmsMfaConfiguration.SmsAuthenticationMessage, echoed back
	required         []string // Schema attributes with Required true, in schema order
	policy           passwordPolicy
	created, changed time.Time
	users            map[string]*user // by username (case-sensitive, as with an API-created pool without UsernameConfiguration)

	// The rest of GetUserPoolMfaConfig's answer, kept so that what a
	// SetUserPoolMfaConfig carries over reads back the same (mfaconfig.go),
	// and threat protection's mode (DescribeUserPool's UserPoolAddOns).
	smsExternalID    string          // SmsConfiguration.ExternalId
	smsRegion        string          // SmsConfiguration.SnsRegion
	emailMessage     string          // EmailMfaConfiguration.Message
	emailSubject     string          // EmailMfaConfiguration.Subject
	webAuthn         *webAuthnConfig // WebAuthnConfiguration; nil until set, kept when a request leaves it out
	advancedSecurity string          // UserPoolAddOns.AdvancedSecurityMode (OFF, AUDIT, ENFORCED); "" when never set
	// groups are the pool's Cognito groups by name, each with its members'
	// usernames (groups.go); nil until the first CreateGroup.
	groups map[string]*group
}

type passwordPolicy struct {
	MinimumLength                 int
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	TemporaryPasswordValidityDays int
}

// defaultPasswordPolicy is what Cognito gives a pool created without Policies.
var defaultPasswordPolicy = passwordPolicy{
	MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
	RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7,
}

type client struct {
	id, name, poolID string
	secret           string // "" when the client has none
	flows            []string
	sessionMinutes   int    // AuthSessionValidity
	preventExistence string // LEGACY or ENABLED
	created, changed time.Time

	// propagateContext is EnablePropagateAdditionalUserContextData (only
	// with a secret); contextSeen is the UserContextData.IpAddress of each
	// InitiateAuth and RespondToAuthChallenge, the last maxContextSeen
	// (usercontext.go).
	propagateContext bool
	contextSeen      []UserContext
}

func (c *client) allows(flow string) bool {
	for _, f := range c.flows {
		if f == flow {
			return true
		}
	}
	return false
}

type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type user struct {
	username, sub    string
	attrs            []attribute // in the order they were set; sub first
	srpSalt          *big.Int    // the password's salt and its salted hash x, as SRP
	srpX             *big.Int    // defines them; never the password itself
	srpVerifier      *big.Int    // v = g^x mod N, made from x at the first USER_SRP_AUTH
	status           string      // FORCE_CHANGE_PASSWORD or CONFIRMED
	enabled          bool
	created, changed time.Time
	totp             totpState            // the software token sign-in uses
	pendingTOTP      string               // a secret associated but not yet verified (totp.go)
	origins          map[string]time.Time // live sign-ins (origin_jti) and when their refresh token expires (refresh.go)
	sms, email       factorState          // SMS_MFA and EMAIL_OTP (see mfa.go)
	codeLock         lockout              // wrong MFA codes (see lockout.go)
	passwordLock     lockout              // wrong passwords
}

// totpState is a user's software token. secret is set by AssociateSoftwareToken
// (pending until verified); verified by a good VerifySoftwareToken; enabled and
// preferred by the MFA_SETUP answer or SetUserMFAPreference.
type totpState struct {
	secret     string
	verified   bool
	enabled    bool
	preferred  bool
	deviceName string
}

// setPassword stores the one thing both sign-in flows check: a random salt
// and SRP's x = H(salt | H(poolName | username | ":" | password)), with the
// pool's name (the part of its ID after "_") as Cognito does. x is a salted
// hash of the password: USER_PASSWORD_AUTH compares it, and USER_SRP_AUTH
// derives its verifier from it. The password itself is not kept.
//
// The verifier (a 3072-bit exponentiation, 0.8 ms) is made at the first SRP
// sign-in, not here: setting a password happens under the store's lock on
// every AdminCreateUser and NEW_PASSWORD_REQUIRED answer, and most users of a
// test pool never sign in with SRP.
func (u *user) setPassword(p *pool, pw string) {
	salt := make([]byte, srp.SaltBytes)
	rand.Read(salt)
	u.srpSalt = new(big.Int).SetBytes(salt)
	u.srpX = srp.X(u.srpSalt, p.srpName(), u.username, pw)
	u.srpVerifier = nil
}

// srpName is the pool name SRP hashes: the part of the pool ID after "_".
func (p *pool) srpName() string {
	_, name, _ := strings.Cut(p.id, "_")
	return name
}

// passwordIs reports, in constant time, whether pw is u's password.
func (u *user) passwordIs(p *pool, pw string) bool {
	var got, want [sha256.Size]byte // x is a SHA-256 sum
	srp.X(u.srpSalt, p.srpName(), u.username, pw).FillBytes(got[:])
	u.srpX.FillBytes(want[:])
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func (u *user) attr(name string) (string, bool) {
	for _, a := range u.attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

func (u *user) setAttr(name, value string) {
	for i := range u.attrs {
		if u.attrs[i].Name == name {
			u.attrs[i].Value = value
			return
		}
	}
	u.attrs = append(u.attrs, attribute{Name: name, Value: value})
}

// mfaSettings returns UserMFASettingList and PreferredMfaSetting, in the
// order Cognito lists them.
func (u *user) mfaSettings() ([]string, string) {
	var list []string
	preferred := ""
	for _, f := range []struct {
		name               string
		enabled, preferred bool
	}{
		{"SMS_MFA", u.sms.enabled, u.sms.preferred},
		{"SOFTWARE_TOKEN_MFA", u.totp.enabled, u.totp.preferred},
		{"EMAIL_OTP", u.email.enabled, u.email.preferred},
	} {
		if f.enabled {
			list = append(list, f.name)
			if f.preferred {
				preferred = f.name
			}
		}
	}
	return list, preferred
}

// checkPassword applies a pool's password policy with Cognito's messages.
func (p passwordPolicy) check(pw string) *apiError {
	var hasUpper, hasLower, hasNumber, hasSymbol bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			hasUpper = true
		case r >= 'a' && r <= 'z':
			hasLower = true
		case r >= '0' && r <= '9':
			hasNumber = true
		case strings.ContainsRune(passwordPolicySymbols, r):
			hasSymbol = true
		}
	}
	fail := func(why string) *apiError { return newErr(excInvalidPassword, msgPasswordPolicyPrefix+why) }
	switch {
	case len([]rune(pw)) < p.MinimumLength:
		return fail("Password not long enough")
	case p.RequireUppercase && !hasUpper:
		return fail("Password must have uppercase characters")
	case p.RequireLowercase && !hasLower:
		return fail("Password must have lowercase characters")
	case p.RequireNumbers && !hasNumber:
		return fail("Password must have numeric characters")
	case p.RequireSymbols && !hasSymbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// generatePassword makes a temporary password that satisfies the policy, as
// AdminCreateUser does when no TemporaryPassword is given.
func (p passwordPolicy) generatePassword() string {
	n := max(p.MinimumLength, 12)
	const upper, lower, digits = "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789"
	const symbols = "!#%+-=@^_"
	chars := []byte(randomString(upper, 1) + randomString(lower, 1) + randomString(digits, 1) + randomString(symbols, 1) +
		randomString(upper+lower+digits, n-4))
	for i := len(chars) - 1; i > 0; i-- { // Fisher-Yates with crypto randomness
		j := randomInt(i + 1)
		chars[i], chars[j] = chars[j], chars[i]
	}
	return string(chars)
}

// Identifiers shaped like real ones.
const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

func randomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return int(v.Int64())
}

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[randomInt(len(alphabet))]
	}
	return string(b)
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// lookupClient finds a client by ID.
func (s *Server) lookupClient(id string) (*client, *pool, *apiError) {
	c, ok := s.clients[id]
	if !ok {
		return nil, nil, errClientNotFound(id)
	}
	return c, s.pools[c.poolID], nil
}

func (s *Server) lookupPool(id string) (*pool, *apiError) {
	p, ok := s.pools[id]
	if !ok {
		return nil, errPoolNotFound(id)
	}
	return p, nil
}

func (p *pool) lookupUser(username string) (*user, *apiError) {
	u, ok := p.users[username]
	if !ok {
		return nil, newErr(excUserNotFound, msgUserNotFound)
	}
	return u, nil
}
