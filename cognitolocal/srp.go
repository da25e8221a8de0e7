package cognitolocal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/srp"
)

// USER_SRP_AUTH: InitiateAuth with USERNAME and SRP_A answers PASSWORD_VERIFIER
// (SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME); RespondToAuthChallenge
// PASSWORD_VERIFIER with PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK
// and TIMESTAMP proves the password, and the sign-in goes on exactly as after a
// good USER_PASSWORD_AUTH. The math is internal/srp; only the user's salt and
// verifier (made from the stored salted hash x) are consulted.
//
// As in real Cognito, the PASSWORD_VERIFIER challenge carries no Session: the
// SECRET_BLOCK names the server's state. Here it is random bytes under which
// the state (B and the key shared with a client that knows the password) is filed with the sessions, so it follows their rules:
// it lives for the client's AuthSessionValidity, belongs to one client and one
// user, and is used once. Choices where Cognito's behaviour is not documented:
//   - the state is consumed by any answer that reaches the signature check,
//     right or wrong (a new InitiateAuth starts again); a TIMESTAMP that does
//     not parse is refused before that and leaves the state usable;
//   - an unknown, foreign or mismatched SECRET_BLOCK, and a TIMESTAMP more than
//     srpMaxSkew from the server's clock, give "Incorrect username or password.";
//     an expired or used one gives the session messages;
//   - an SRP_A that is not hexadecimal, is longer than maxSRPAHex or is 0 mod N
//     gives InvalidParameterException msgBadSRPA;
//   - a disabled user learns so only after a correct proof, as with
//     USER_PASSWORD_AUTH.

const (
	// msgTimestampFormat is real Cognito's answer to a TIMESTAMP it cannot parse.
	msgTimestampFormat = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	msgBadSRPA         = "SRP_A must be a hexadecimal number that is not zero modulo N."
	srpMaxSkew         = 5 * time.Minute
	maxSRPAHex         = 1024 // A < N has at most 768 hex digits; room for padding
	secretBlockBytes   = 256  // 344 characters of base64
)

func (s *Server) initiateSRP(p *pool, c *client, params map[string]string) (any, *apiError) {
	username, aHex := params["USERNAME"], params["SRP_A"]
	switch {
	case username == "":
		return nil, errMissingParameter("USERNAME")
	case aHex == "":
		return nil, errMissingParameter("SRP_A")
	}
	if err := checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	if len(aHex) > maxSRPAHex {
		return nil, errInvalidParameter(msgBadSRPA)
	}
	bigA, err := srp.ParseHex(aHex)
	if err != nil || srp.CheckA(bigA) != nil {
		return nil, errInvalidParameter(msgBadSRPA)
	}
	start := &srpStart{bigA: bigA}
	var salt *big.Int
	u, known := p.users[username]
	switch {
	case known:
		salt, start.x, start.v, start.user = u.srpSalt, u.srpX, u.srpVerifier, u
	case c.preventExistence == "ENABLED":
		// Cognito answers as for a real user and refuses the claim later.
		salt, start.x = s.fakeSaltAndX(p, username)
	default:
		return nil, newErr(excUserNotFound, msgUserNotFound)
	}
	block := make([]byte, secretBlockBytes)
	rand.Read(block)
	blockText := base64.StdEncoding.EncodeToString(block)
	start.sess = s.storeSession(blockText, kindPasswordVerifier, c, username, time.Time{})
	start.sess.secretBlock, start.sess.noUser = block, !known
	start.answer = authResponseJSON{
		ChallengeName: "PASSWORD_VERIFIER",
		ChallengeParameters: map[string]string{
			"SALT":            salt.Text(16),
			"SECRET_BLOCK":    blockText,
			"USER_ID_FOR_SRP": username,
			"USERNAME":        username,
		},
	}
	return start, nil
}

// srpStart is a PASSWORD_VERIFIER challenge whose session is filed but whose
// SRP math is not done: the verifier (once per password), B and the shared
// key take a few milliseconds of 3072-bit exponentiation, so finish does them
// after the store's lock is released and then files the result with the
// session. The client cannot name the session before the answer, with its
// SECRET_BLOCK, reaches it.
type srpStart struct {
	answer authResponseJSON
	sess   *session
	bigA   *big.Int
	x, v   *big.Int // the user's salted hash and, if made already, verifier
	user   *user    // nil for an unknown user
}

func (st *srpStart) finish(s *Server) (any, *apiError) {
	v := st.v
	if v == nil {
		v = srp.Verifier(st.x)
	}
	server, err := srp.NewServer(s.srpRandom, v, st.bigA)
	if err != nil {
		return nil, errInvalidParameter(msgBadSRPA)
	}
	s.mu.Lock()
	st.sess.srp = server
	if st.user != nil && st.user.srpX == st.x { // the password did not change meanwhile
		st.user.srpVerifier = v
	}
	s.mu.Unlock()
	st.answer.ChallengeParameters["SRP_B"] = server.BHex()
	return st.answer, nil
}

// fakeSaltAndX is a salt and salted hash for a user that does not exist, the
// same at every sign-in (a real user's salt does not change either), so the
// challenge does not tell whether the user exists.
func (s *Server) fakeSaltAndX(p *pool, username string) (salt, x *big.Int) {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, s.fakeKey[:])
		m.Write([]byte(label + "\x00" + p.id + "\x00" + username))
		return m.Sum(nil)
	}
	return new(big.Int).SetBytes(derive("salt")[:srp.SaltBytes]), new(big.Int).SetBytes(derive("x"))
}

func (s *Server) answerPasswordVerifier(p *pool, c *client, resp map[string]string) (any, *apiError) {
	username := resp["USERNAME"] // present and SECRET_HASH-checked by the caller
	for _, name := range []string{"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"} {
		if resp[name] == "" {
			return nil, errMissingParameter(name)
		}
	}
	at, err := srp.ParseTimestamp(resp["TIMESTAMP"])
	if err != nil {
		return nil, errInvalidParameter(msgTimestampFormat)
	}
	sess, ok := s.sessions[resp["PASSWORD_CLAIM_SECRET_BLOCK"]]
	switch {
	case !ok, sess.kind != kindPasswordVerifier, sess.clientID != c.id, sess.username != username:
		return nil, errNotAuthorized(msgIncorrectCredentials)
	case !s.clock.Now().Before(sess.expires):
		return nil, errNotAuthorized(msgSessionExpired)
	case sess.used:
		return nil, errNotAuthorized(msgSessionUsed)
	}
	sess.consume()
	// The signature is checked over the server's own formatting of the time
	// given, so a TIMESTAMP that parses but is not canonical (a zero-padded
	// day, a wrong weekday) fails like a wrong password, as in Cognito.
	now := s.clock.Now()
	skew := now.Sub(at)
	u, ok := p.users[username]
	if sess.noUser || !ok {
		return nil, errNotAuthorized(msgIncorrectCredentials)
	}
	if err := s.passwordLocked(u); err != nil {
		return nil, err
	}
	good := skew <= srpMaxSkew && skew >= -srpMaxSkew && sess.srp != nil &&
		sess.srp.Verify(p.srpName(), username, sess.secretBlock, srp.Timestamp(at), resp["PASSWORD_CLAIM_SIGNATURE"])
	if err := s.checkPassword(u, good); err != nil {
		return nil, err
	}
	return s.afterPassword(p, c, u)
}
