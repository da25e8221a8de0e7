package cognitolocal

import (
	"maps"
	"math/big"
	"slices"
	"time"
)

// Records are what a data directory (persist.go) keeps of each entity: one
// row per entity in a table per kind, with the key in columns of its own and
// the whole record, JSON-encoded, in a "record" column. They are separate,
// exported types so that what is on disk is spelled out in one place and
// does not change when the in-memory structs are rearranged.
//
// To keep a new field of a pool, client, user or refresh token: add it to the
// record type below and copy it in the two conversion functions of that kind
// (to...Record and its inverse). TestRecordsRoundTrip fills every field of
// the in-memory structs and fails until the field survives the round trip (or
// is listed there as kept in memory only). JSON ignores members it does not
// know and leaves absent ones at their zero value, so a new field needs no
// migration: older rows read as the zero value.
//
// To keep a new kind of entity: a migration that makes its table
// (migrations in persist.go), a record type and its two conversions here, a
// save call where a handler changes it (writethrough.go), and its loading in
// load (persist.go).

// PoolRecord is a user pool, without its users (they have rows of their own).
type PoolRecord struct {
	ID             string
	Name           string
	ARN            string
	MFA            string
	TOTPEnabled    bool
	SMSEnabled     bool
	EmailEnabled   bool
	SMSCallerARN   string
	SMSMessage     string
	Required       []string
	PasswordPolicy PasswordPolicyRecord
	Created        time.Time
	Changed        time.Time

	// The rest of the MFA configuration and the add-ons, as
	// SetUserPoolMfaConfig and CreateUserPool left them.
	SMSExternalID    string
	SMSRegion        string
	EmailMessage     string
	EmailSubject     string
	WebAuthn         *WebAuthnRecord `json:",omitempty"`
	AdvancedSecurity string

	// Groups, with their members' usernames: kept in the pool's row, so an
	// older directory (without the field) reads as a pool with no groups.
	Groups []GroupRecord `json:",omitempty"`
}

// WebAuthnRecord is a pool's WebAuthnConfiguration.
type WebAuthnRecord struct {
	RelyingPartyID      string
	UserVerification    string
	FactorConfiguration string
}

// GroupRecord is a Cognito group of a pool.
type GroupRecord struct {
	Name        string
	Description string
	RoleARN     string
	Precedence  *int
	Created     time.Time
	Changed     time.Time
	Members     []string
}

// PasswordPolicyRecord is a pool's password policy.
type PasswordPolicyRecord struct {
	MinimumLength                 int
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	TemporaryPasswordValidityDays int
}

// ClientRecord is an app client, with its secret.
type ClientRecord struct {
	ID               string
	Name             string
	PoolID           string
	Secret           string
	Flows            []string
	SessionMinutes   int
	PreventExistence string
	Created          time.Time
	Changed          time.Time
	PropagateContext bool // EnablePropagateAdditionalUserContextData
}

// UserRecord is a user. Its live sign-ins have rows of their own
// (OriginRecord): a user signed in many times is not rewritten whole at each
// sign-in. Kept in memory only: the SRP verifier (derived from SRPX again at
// the next SRP sign-in) and the lockouts after wrong codes and passwords
// (they start afresh after a restart).
type UserRecord struct {
	PoolID      string
	Username    string
	Sub         string
	Attributes  []AttributeRecord
	SRPSalt     []byte // the password's salt and salted hash (store.go: setPassword)
	SRPX        []byte
	Status      string
	Enabled     bool
	Created     time.Time
	Changed     time.Time
	TOTP        TOTPRecord
	PendingTOTP string // a secret associated but not yet verified
	SMS         FactorRecord
	Email       FactorRecord
}

// OriginRecord is one live sign-in of a user (tokens.go: origins) and when
// its refresh token expires. A global sign-out deletes the user's rows.
type OriginRecord struct {
	PoolID   string
	Username string
	Origin   string
	Expires  time.Time
}

// AttributeRecord is one user attribute.
type AttributeRecord struct{ Name, Value string }

// TOTPRecord is a user's software token.
type TOTPRecord struct {
	Secret     string
	Verified   bool
	Enabled    bool
	Preferred  bool
	DeviceName string
}

// FactorRecord is a user's SMS or email MFA setting.
type FactorRecord struct{ Enabled, Preferred bool }

// RefreshTokenRecord is what a refresh token stands for.
type RefreshTokenRecord struct {
	Token     string
	PoolID    string
	ClientID  string
	Username  string
	Sub       string
	OriginJTI string
	AuthTime  time.Time
	Expires   time.Time
}

// MessageRecord is one message of the outbox.
type MessageRecord struct {
	Time        time.Time
	PoolID      string
	Username    string
	Medium      string
	Destination string
	Code        string
}

// KeysRecord is the server's own secrets: the token signing key (PKCS #8
// DER), so tokens issued before a restart still verify after it, and the key
// that derives the stable fake SRP salts of unknown users.
type KeysRecord struct {
	SigningKey []byte
	FakeKey    []byte
}

func toPoolRecord(p *pool) PoolRecord {
	r := PoolRecord{
		ID: p.id, Name: p.name, ARN: p.arn, MFA: p.mfa,
		TOTPEnabled: p.totpEnabled, SMSEnabled: p.smsEnabled, EmailEnabled: p.emailEnabled,
		SMSCallerARN: p.smsCallerArn, SMSMessage: p.smsMessage, Required: p.required,
		PasswordPolicy: PasswordPolicyRecord(p.policy), // a conversion: the two must keep the same fields
		Created:        p.created, Changed: p.changed,
		SMSExternalID: p.smsExternalID, SMSRegion: p.smsRegion,
		EmailMessage: p.emailMessage, EmailSubject: p.emailSubject,
		AdvancedSecurity: p.advancedSecurity,
	}
	if p.webAuthn != nil {
		w := WebAuthnRecord(*p.webAuthn) // a conversion: the two must keep the same fields
		r.WebAuthn = &w
	}
	for _, name := range slices.Sorted(maps.Keys(p.groups)) {
		g := p.groups[name]
		r.Groups = append(r.Groups, GroupRecord{Name: g.name, Description: g.description, RoleARN: g.roleArn,
			Precedence: g.precedence, Created: g.created, Changed: g.changed,
			Members: slices.Sorted(maps.Keys(g.members))})
	}
	return r
}

func fromPoolRecord(r PoolRecord) *pool {
	p := &pool{
		id: r.ID, name: r.Name, arn: r.ARN, mfa: r.MFA,
		totpEnabled: r.TOTPEnabled, smsEnabled: r.SMSEnabled, emailEnabled: r.EmailEnabled,
		smsCallerArn: r.SMSCallerARN, smsMessage: r.SMSMessage, required: r.Required,
		policy:  passwordPolicy(r.PasswordPolicy),
		created: r.Created, changed: r.Changed,
		users:         map[string]*user{},
		smsExternalID: r.SMSExternalID, smsRegion: r.SMSRegion,
		emailMessage: r.EmailMessage, emailSubject: r.EmailSubject,
		advancedSecurity: r.AdvancedSecurity,
	}
	if r.WebAuthn != nil {
		w := webAuthnConfig(*r.WebAuthn)
		p.webAuthn = &w
	}
	for _, g := range r.Groups {
		if p.groups == nil {
			p.groups = map[string]*group{}
		}
		members := make(map[string]bool, len(g.Members))
		for _, m := range g.Members {
			members[m] = true
		}
		p.groups[g.Name] = &group{name: g.Name, description: g.Description, roleArn: g.RoleARN,
			precedence: g.Precedence, created: g.Created, changed: g.Changed, members: members}
	}
	return p
}

func toClientRecord(c *client) ClientRecord {
	return ClientRecord{
		ID: c.id, Name: c.name, PoolID: c.poolID, Secret: c.secret, Flows: c.flows,
		SessionMinutes: c.sessionMinutes, PreventExistence: c.preventExistence,
		Created: c.created, Changed: c.changed, PropagateContext: c.propagateContext,
	}
}

func fromClientRecord(r ClientRecord) *client {
	return &client{
		id: r.ID, name: r.Name, poolID: r.PoolID, secret: r.Secret, flows: r.Flows,
		sessionMinutes: r.SessionMinutes, preventExistence: r.PreventExistence,
		created: r.Created, changed: r.Changed, propagateContext: r.PropagateContext,
	}
}

func toUserRecord(poolID string, u *user) UserRecord {
	r := UserRecord{
		PoolID: poolID, Username: u.username, Sub: u.sub,
		SRPSalt: bigBytes(u.srpSalt), SRPX: bigBytes(u.srpX),
		Status: u.status, Enabled: u.enabled, Created: u.created, Changed: u.changed,
		TOTP: TOTPRecord{Secret: u.totp.secret, Verified: u.totp.verified, Enabled: u.totp.enabled,
			Preferred: u.totp.preferred, DeviceName: u.totp.deviceName},
		PendingTOTP: u.pendingTOTP,
		SMS:         FactorRecord{Enabled: u.sms.enabled, Preferred: u.sms.preferred},
		Email:       FactorRecord{Enabled: u.email.enabled, Preferred: u.email.preferred},
	}
	for _, a := range u.attrs {
		r.Attributes = append(r.Attributes, AttributeRecord(a))
	}
	return r
}

func fromUserRecord(r UserRecord) *user {
	u := &user{
		username: r.Username, sub: r.Sub,
		srpSalt: bytesBig(r.SRPSalt), srpX: bytesBig(r.SRPX),
		status: r.Status, enabled: r.Enabled, created: r.Created, changed: r.Changed,
		totp: totpState{secret: r.TOTP.Secret, verified: r.TOTP.Verified, enabled: r.TOTP.Enabled,
			preferred: r.TOTP.Preferred, deviceName: r.TOTP.DeviceName},
		pendingTOTP: r.PendingTOTP,
		sms:         factorState{enabled: r.SMS.Enabled, preferred: r.SMS.Preferred},
		email:       factorState{enabled: r.Email.Enabled, preferred: r.Email.Preferred},
	}
	for _, a := range r.Attributes {
		u.attrs = append(u.attrs, attribute(a))
	}
	return u
}

func toRefreshTokenRecord(token string, g *refreshGrant) RefreshTokenRecord {
	return RefreshTokenRecord{
		Token: token, PoolID: g.poolID, ClientID: g.clientID, Username: g.username, Sub: g.sub,
		OriginJTI: g.originJTI, AuthTime: g.authTime, Expires: g.expires,
	}
}

func fromRefreshTokenRecord(r RefreshTokenRecord) (string, *refreshGrant) {
	return r.Token, &refreshGrant{
		poolID: r.PoolID, clientID: r.ClientID, username: r.Username, sub: r.Sub,
		originJTI: r.OriginJTI, authTime: r.AuthTime, expires: r.Expires,
	}
}

func toMessageRecord(m Message) MessageRecord {
	return MessageRecord(m) // a conversion: the two must keep the same fields
}

func fromMessageRecord(r MessageRecord) Message {
	return Message(r)
}

// bigBytes and bytesBig keep a *big.Int (nil for none) as bytes.
func bigBytes(n *big.Int) []byte {
	if n == nil {
		return nil
	}
	return n.Bytes()
}

func bytesBig(b []byte) *big.Int {
	if b == nil {
		return nil
	}
	return new(big.Int).SetBytes(b)
}
