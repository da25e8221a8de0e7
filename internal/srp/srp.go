// Package srp is the Secure Remote Password arithmetic (SRP-6a) that Amazon
// Cognito user pools use for USER_SRP_AUTH, written once for both sides: the
// client half answers PASSWORD_VERIFIER (flow), the server half checks the
// answer (cognitolocal).
//
// It is written by hand: no Go SRP module can be had from the module proxy
// here, and the generic SRP libraries do not follow Cognito's variant anyway
// (its padding, its x, its HKDF key and its signed claim). The computation
// is Cognito's as the public clients compute it, amazon-cognito-identity-js
// (AuthenticationHelper.js), warrant and aws-amplify, and as real Cognito
// accepts it:
//
//	N, g      the 3072-bit prime of RFC 5054 appendix A, g = 2
//	H         SHA-256
//	pad(n)    the big-endian bytes of n, with a 00 byte in front when the
//	          high bit of the first byte is set (as the JS helper's padHex)
//	k         H(pad(N) | pad(g))
//	A         g^a mod N, a = 128 random bytes            (A mod N != 0)
//	v         g^x mod N                                  (the verifier)
//	B         k*v + g^b mod N                            (B mod N != 0)
//	u         H(pad(A) | pad(B))                         (u != 0)
//	x         H(pad(salt) | H(poolName | userIdForSRP | ":" | password))
//	S         client: (B - k*g^x)^(a + u*x) mod N;  server: (A * v^u)^b mod N
//	key       HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key"), 16 bytes
//	claim     Base64(HMAC-SHA256(key, poolName | userIdForSRP | SECRET_BLOCK bytes | TIMESTAMP))
//
// Hashes are read as non-negative integers, so salt, u and x lose any leading
// zero bytes before they are padded again, as in every Cognito client. Nothing
// here does I/O except reading randomness from the io.Reader it is given.
// Errors never carry a password, an exponent, S or the key.
package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"time"
)

// nHex is the 3072-bit MODP prime of RFC 5054, appendix A.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// InfoKey is the HKDF info string Cognito uses.
const InfoKey = "Caldera Derived Key"

// EphemeralBytes is how many random bytes make the secret exponents a and b.
const EphemeralBytes = 128

// SaltBytes is how many random bytes make a new verifier's salt.
const SaltBytes = 16

var (
	nInt = mustHex(nHex)
	gInt = big.NewInt(2)
	kInt = hashInt(Pad(nInt), Pad(gInt))
)

// Errors. They name the value that is wrong, never its content.
var (
	ErrBadA           = errors.New("srp: A is zero modulo N")
	ErrBadB           = errors.New("srp: SRP_B is zero modulo N")
	ErrBadU           = errors.New("srp: u is zero")
	ErrBadHex         = errors.New("srp: a value is not hexadecimal")
	ErrBadSecretBlock = errors.New("srp: SECRET_BLOCK is not base64")
	ErrBadPoolName    = errors.New("srp: the pool name is empty")
)

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant")
	}
	return n
}

// N returns the group's prime.
func N() *big.Int { return new(big.Int).Set(nInt) }

// G returns the group's generator, 2.
func G() *big.Int { return new(big.Int).Set(gInt) }

// K returns the multiplier k = H(pad(N) | pad(g)).
func K() *big.Int { return new(big.Int).Set(kInt) }

// Pad returns the big-endian bytes of a non-negative n, with a zero byte in
// front when the first byte's high bit is set, so the bytes read as a positive
// two's-complement number. Zero is one zero byte.
func Pad(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// PadHex is Pad in lowercase hexadecimal (the JS helper's padHex).
func PadHex(n *big.Int) string { return hex.EncodeToString(Pad(n)) }

// ParseHex reads a hexadecimal integer as Cognito sends SALT, SRP_A and SRP_B
// (either case, any length, no prefix).
func ParseHex(s string) (*big.Int, error) {
	if s == "" {
		return nil, ErrBadHex
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return nil, ErrBadHex
		}
	}
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, ErrBadHex
	}
	return n, nil
}

func hashBytes(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func hashInt(parts ...[]byte) *big.Int { return new(big.Int).SetBytes(hashBytes(parts...)) }

// U returns H(pad(A) | pad(B)).
func U(a, b *big.Int) *big.Int { return hashInt(Pad(a), Pad(b)) }

// X returns H(pad(salt) | H(poolName | userID | ":" | password)). userID is
// USER_ID_FOR_SRP, the name Cognito returned, never an alias.
func X(salt *big.Int, poolName, userID, password string) *big.Int {
	inner := hashBytes([]byte(poolName + userID + ":" + password))
	return hashInt(Pad(salt), inner)
}

// Verifier returns v = g^x mod N.
func Verifier(x *big.Int) *big.Int { return new(big.Int).Exp(gInt, x, nInt) }

// NewVerifier makes a random salt and the verifier v for a password, which is
// all a server keeps of it.
func NewVerifier(rand io.Reader, poolName, userID, password string) (salt, v *big.Int, err error) {
	b := make([]byte, SaltBytes)
	if _, err := io.ReadFull(rand, b); err != nil {
		return nil, nil, err
	}
	salt = new(big.Int).SetBytes(b)
	return salt, Verifier(X(salt, poolName, userID, password)), nil
}

// clientS returns (B - k*g^x)^(a + u*x) mod N.
func clientS(a, bigB, x, u *big.Int) *big.Int {
	base := new(big.Int).Mul(kInt, Verifier(x))
	base.Sub(bigB, base)
	base.Mod(base, nInt) // non-negative; same result as the JS helper's signed base
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, a)
	return base.Exp(base, exp, nInt)
}

// serverB returns k*v + g^b mod N.
func serverB(v, b *big.Int) *big.Int {
	r := new(big.Int).Mul(kInt, v)
	r.Add(r, new(big.Int).Exp(gInt, b, nInt))
	return r.Mod(r, nInt)
}

// serverS returns (A * v^u)^b mod N.
func serverS(bigA, v, u, b *big.Int) *big.Int {
	r := new(big.Int).Exp(v, u, nInt)
	r.Mul(r, bigA)
	r.Mod(r, nInt)
	return r.Exp(r, b, nInt)
}

// DeriveKey returns the first 16 bytes of
// HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key").
func DeriveKey(s, u *big.Int) []byte {
	key, err := hkdf.Key(sha256.New, Pad(s), Pad(u), InfoKey, 16)
	if err != nil {
		panic("srp: hkdf: " + err.Error()) // only for lengths over 255*32 bytes
	}
	return key
}

// Signature returns the claim
// Base64(HMAC-SHA256(key, poolName | userID | secretBlock | timestamp)).
func Signature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) string {
	return base64.StdEncoding.EncodeToString(mac(key, poolName, userID, secretBlock, timestamp))
}

func mac(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// TimestampLayout is Cognito's TIMESTAMP in Go's notation: English names, UTC,
// day of the month not padded, 24-hour clock ("Tue Feb 3 04:05:06 UTC 2026";
// Java's "EEE MMM d HH:mm:ss z yyyy").
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// Timestamp formats t, in UTC, as Cognito's TIMESTAMP.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// ParseTimestamp reads a TIMESTAMP. It is lenient where Go's parser is (a
// zero-padded day or hour, a weekday that does not match the date), so a
// server compares Timestamp(parsed) with what it was given, or signs that.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil {
		return time.Time{}, errors.New("srp: TIMESTAMP is not of the form " + TimestampLayout)
	}
	return t, nil
}

// randomExponent reads EphemeralBytes from rand as a number in [1, N).
func randomExponent(rand io.Reader) (*big.Int, error) {
	b := make([]byte, EphemeralBytes)
	for {
		if _, err := io.ReadFull(rand, b); err != nil {
			return nil, err
		}
		e := new(big.Int).SetBytes(b)
		e.Mod(e, nInt)
		if e.Sign() != 0 {
			return e, nil
		}
	}
}

// Client is the client half of one sign-in: the secret a and A = g^a mod N.
type Client struct {
	a, bigA *big.Int
}

// NewClient draws a (EphemeralBytes from rand) and computes A.
func NewClient(rand io.Reader) (*Client, error) {
	for {
		a, err := randomExponent(rand)
		if err != nil {
			return nil, err
		}
		bigA := new(big.Int).Exp(gInt, a, nInt)
		if new(big.Int).Mod(bigA, nInt).Sign() != 0 {
			return &Client{a: a, bigA: bigA}, nil
		}
	}
}

// A returns the public value A.
func (c *Client) A() *big.Int { return new(big.Int).Set(c.bigA) }

// AHex is SRP_A as Cognito clients send it: lowercase hex, not padded.
func (c *Client) AHex() string { return c.bigA.Text(16) }

// Challenge is what a PASSWORD_VERIFIER challenge gives the client, as sent.
type Challenge struct {
	PoolName    string // the part of the user pool ID after "_"
	UserID      string // USER_ID_FOR_SRP
	Salt        string // SALT, hex
	B           string // SRP_B, hex
	SecretBlock string // SECRET_BLOCK, base64
}

// Claim computes PASSWORD_CLAIM_SIGNATURE and the TIMESTAMP it signs, for now.
func (c *Client) Claim(ch Challenge, password string, now time.Time) (signature, timestamp string, err error) {
	timestamp = Timestamp(now)
	signature, err = c.Sign(ch, password, timestamp)
	if err != nil {
		return "", "", err
	}
	return signature, timestamp, nil
}

// Sign computes PASSWORD_CLAIM_SIGNATURE over any TIMESTAMP text, as it is
// given; Claim is Sign with the canonical text. Tests use it to sign texts a
// careless client might send.
func (c *Client) Sign(ch Challenge, password, timestamp string) (string, error) {
	if ch.PoolName == "" {
		return "", ErrBadPoolName
	}
	salt, err := ParseHex(ch.Salt)
	if err != nil {
		return "", err
	}
	bigB, err := ParseHex(ch.B)
	if err != nil {
		return "", err
	}
	block, err := base64.StdEncoding.DecodeString(ch.SecretBlock)
	if err != nil {
		return "", ErrBadSecretBlock
	}
	if new(big.Int).Mod(bigB, nInt).Sign() == 0 {
		return "", ErrBadB
	}
	u := U(c.bigA, bigB)
	if u.Sign() == 0 {
		return "", ErrBadU
	}
	x := X(salt, ch.PoolName, ch.UserID, password)
	key := DeriveKey(clientS(c.a, bigB, x, u), u)
	return Signature(key, ch.PoolName, ch.UserID, block, timestamp), nil
}

// CheckA refuses a client's A that is negative or zero modulo N (with such an
// A the shared key would not depend on the password).
func CheckA(bigA *big.Int) error {
	if bigA.Sign() < 0 || new(big.Int).Mod(bigA, nInt).Sign() == 0 {
		return ErrBadA
	}
	return nil
}

// Server is the server half of one sign-in: the public value B it sends and
// the 16-byte key it shares with a client that knows the password.
type Server struct {
	bigB *big.Int
	k    []byte
}

// NewServer starts the server half for a user with verifier v and the
// client's A. It refuses an A that is zero modulo N; it draws b from rand
// (EphemeralBytes) until B mod N and u are not zero. It derives the shared
// key at once: that is the costly part of a sign-in (two exponentiations
// modulo the 3072-bit N, a few milliseconds), so a caller can do it all
// before it locks anything and the claim's check later is one HMAC.
func NewServer(rand io.Reader, v, bigA *big.Int) (*Server, error) {
	if err := CheckA(bigA); err != nil {
		return nil, err
	}
	for {
		b, err := randomExponent(rand)
		if err != nil {
			return nil, err
		}
		bigB := serverB(v, b)
		if bigB.Sign() == 0 {
			continue
		}
		u := U(bigA, bigB)
		if u.Sign() == 0 {
			continue
		}
		return &Server{bigB: bigB, k: DeriveKey(serverS(bigA, v, u, b), u)}, nil
	}
}

// B returns the public value B.
func (s *Server) B() *big.Int { return new(big.Int).Set(s.bigB) }

// BHex is SRP_B as sent: lowercase hex, not padded.
func (s *Server) BHex() string { return s.bigB.Text(16) }

// key is the shared 16-byte key the server derived.
func (s *Server) key() []byte { return s.k }

// Verify reports whether signature (base64) is the claim over poolName,
// userID, secretBlock and timestamp, comparing in constant time. The caller
// passes its own canonical timestamp text, not necessarily the one received.
func (s *Server) Verify(poolName, userID string, secretBlock []byte, timestamp, signature string) bool {
	want := mac(s.key(), poolName, userID, secretBlock, timestamp)
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return false
	}
	return hmac.Equal(got, want)
}
