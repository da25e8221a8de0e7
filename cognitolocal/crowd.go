package cognitolocal

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
)

// The crowd: users in the mixed states of a pool part-way through a TOTP
// rollout, so `cognito-totp admin status` has something worth showing. They
// are made straight into the store, without request validation and with
// nothing costly per user (a password is a salted SHA-256; no SRP verifier,
// no RSA), since the demo seeds them before its first frame.
//
// For the admin commands' tests, in-process:
//
//	local := cognitolocal.New(cognitolocal.Options{Clock: clock})
//	d, _ := local.SeedDemo()                    // d.UserPoolID holds the story users and d.Crowd (42 users)
//	more, _ := local.SeedCrowd(d.UserPoolID, 250) // any number more, in the same mix
//
// Each CrowdUser says what AdminGetUser answers for it, so a test can check
// a summary exactly.

// CrowdUser is one user SeedCrowd made, as AdminGetUser describes it.
type CrowdUser struct {
	Username   string
	Status     string   // UserStatus
	Enabled    bool     // Enabled
	MFA        []string // UserMFASettingList; nil when the user has none
	Preferred  string   // PreferredMfaSetting; "" when none
	Password   string   // the permanent password, or the temporary one of FORCE_CHANGE_PASSWORD
	TOTPSecret string   // the authenticator's secret (base32) when MFA has SOFTWARE_TOKEN_MFA
}

// crowdKind is one state a crowd user can be in.
type crowdKind byte

const (
	crowdTOTP         crowdKind = 'T' // TOTP enabled and preferred
	crowdTOTPAndSMS   crowdKind = 'B' // TOTP and SMS enabled, SMS preferred
	crowdSMS          crowdKind = 'S' // SMS only, preferred
	crowdEmail        crowdKind = 'E' // email only, preferred
	crowdNone         crowdKind = 'N' // no MFA yet: MFA_SETUP at the next sign-in
	crowdDisabled     crowdKind = 'D' // disabled, no MFA
	crowdDisabledTOTP crowdKind = 'X' // disabled, TOTP enabled and preferred
	crowdForceChange  crowdKind = 'F' // FORCE_CHANGE_PASSWORD, never signed in
	crowdUnconfirmed  crowdKind = 'U' // UNCONFIRMED: signed up, never confirmed
	crowdResetNeeded  crowdKind = 'R' // RESET_REQUIRED
)

// crowdPattern is the mix, in an order where any stretch of it is mixed too:
// of 42, 14 TOTP, 2 TOTP+SMS, 5 SMS, 4 email, 6 none, 2 disabled, 1 disabled
// with TOTP, 4 FORCE_CHANGE_PASSWORD, 2 UNCONFIRMED, 2 RESET_REQUIRED.
const crowdPattern = "TNTSFTEBTNDTSFTUERTNTXSTNFETSTBNRTEDTFUTSN"

// crowdNames name the first users of a crowd; later ones are user-0043 and on.
var crowdNames = [...]string{
	"ana.silva", "ben.okafor", "chloe.martin", "dev.patel", "elif.yilmaz", "farah.haddad",
	"gus.lindqvist", "hana.sato", "ivan.petrov", "jade.wong", "kofi.mensah", "lena.fischer",
	"mateo.garcia", "nadia.rahman", "oscar.berg", "priya.nair", "quinn.obrien", "rosa.delgado",
	"sam.cohen", "tara.kelly", "umar.siddiqui", "vera.novak", "wes.harper", "xena.papadopoulos",
	"yuki.tanaka", "zoe.dubois", "aaron.brooks", "bianca.rossi", "carlos.mendes", "dana.levi",
	"emil.hansen", "fiona.walsh", "gita.sharma", "hugo.lambert", "ines.costa", "jon.eriksen",
	"kira.ivanova", "liam.murphy", "maya.kapoor", "nils.jensen", "olga.smirnova", "pablo.ruiz",
}

// SeedCrowd adds n users to the pool poolID in the crowd's mix (see
// crowdPattern), named deterministically after the users it already has
// from a crowd, and returns them in the order made. It is safe for
// concurrent use.
func (s *Server) SeedCrowd(poolID string, n int) ([]CrowdUser, error) {
	s.mu.Lock()
	defer s.unlockSeeded()
	p, err := s.lookupPool(poolID)
	if err != nil {
		return nil, err
	}
	return s.seedCrowd(p, n), nil
}

// seedCrowd is SeedCrowd under s.mu.
func (s *Server) seedCrowd(p *pool, n int) []CrowdUser {
	out := make([]CrowdUser, 0, n)
	for i := 0; len(out) < n; i++ {
		name := fmt.Sprintf("user-%04d", i+1)
		if i < len(crowdNames) {
			name = crowdNames[i]
		}
		if _, taken := p.users[name]; taken {
			continue // a crowd seeded before: go on after it
		}
		out = append(out, s.crowdUser(p, name, crowdKind(crowdPattern[i%len(crowdPattern)]), i))
	}
	return out
}

// crowdUser makes one user of kind in p. i numbers its phone.
func (s *Server) crowdUser(p *pool, name string, kind crowdKind, i int) CrowdUser {
	now := s.clock.Now()
	u := &user{username: name, sub: newUUID(), enabled: true, status: "CONFIRMED", created: now, changed: now}
	u.attrs = []attribute{{Name: "sub", Value: u.sub}, {Name: "email", Value: name + "@example.com"}, {Name: "email_verified", Value: "true"}}
	password := demoPassword
	switch kind {
	case crowdSMS, crowdTOTPAndSMS:
		u.attrs = append(u.attrs, attribute{Name: "phone_number", Value: fmt.Sprintf("+1555555%04d", i%10000)},
			attribute{Name: "phone_number_verified", Value: "true"})
	case crowdDisabled, crowdDisabledTOTP:
		u.enabled = false
	case crowdForceChange:
		u.status, password = "FORCE_CHANGE_PASSWORD", demoTempPassword
	case crowdUnconfirmed:
		u.status = "UNCONFIRMED"
		u.attrs[2].Value = "false"
	case crowdResetNeeded:
		u.status = "RESET_REQUIRED"
	}
	u.setPassword(p, password)
	cu := CrowdUser{Username: name, Status: u.status, Enabled: u.enabled, Password: password}
	switch kind {
	case crowdTOTP, crowdDisabledTOTP:
		cu.TOTPSecret = crowdSecret(name)
		u.totp = totpState{secret: cu.TOTPSecret, verified: true, enabled: true, preferred: true, deviceName: "phone"}
	case crowdTOTPAndSMS:
		cu.TOTPSecret = crowdSecret(name)
		u.totp = totpState{secret: cu.TOTPSecret, verified: true, enabled: true, deviceName: "phone"}
		u.sms = factorState{enabled: true, preferred: true}
	case crowdSMS:
		u.sms = factorState{enabled: true, preferred: true}
	case crowdEmail:
		u.email = factorState{enabled: true, preferred: true}
	}
	cu.MFA, cu.Preferred = u.mfaSettings()
	p.users[name] = u
	return cu
}

// crowdSecret is a crowd user's TOTP secret: fixed for its name, so a demo
// run and a test agree on it without being told.
func crowdSecret(name string) string {
	sum := sha256.Sum256([]byte("cognito-totp demo crowd " + name))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])
}
