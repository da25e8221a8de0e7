package srp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

// The known answers in testdata/kat.json were computed once by
// testdata/kat.py (Python 3, hashlib/hmac/base64 only, written from the
// Cognito SRP description, not from this package):
//
//	python3 internal/srp/testdata/kat.py > internal/srp/testdata/kat.json
type kat struct {
	N          string
	K          string `json:"k"`
	Pad        []struct{ N, Padded string }
	Timestamps []struct {
		Unix int64
		Text string
	}
	Vectors []struct {
		Name                      string
		PoolName                  string `json:"pool_name"`
		UserID                    string `json:"user_id"`
		Password                  string
		Salt                      string
		ABytes                    string `json:"a_bytes"`
		BBytes                    string `json:"b_bytes"`
		SecretBlock               string `json:"secret_block"`
		Unix                      int64
		A, V, B, U, X, S          string
		UPadded                   bool `json:"u_padded_with_00"`
		SPadded                   bool `json:"S_padded_with_00"`
		Key, Timestamp, Signature string
	}
}

func loadKAT(t *testing.T) kat {
	t.Helper()
	b, err := os.ReadFile("testdata/kat.json")
	if err != nil {
		t.Fatal(err)
	}
	var k kat
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatal(err)
	}
	if len(k.Vectors) == 0 || len(k.Pad) == 0 || len(k.Timestamps) == 0 {
		t.Fatal("kat.json is incomplete")
	}
	return k
}

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	n, err := ParseHex(s)
	if err != nil {
		t.Fatalf("bad hex in kat.json: %q", s)
	}
	return n
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGroupAndK(t *testing.T) {
	k := loadKAT(t)
	if N().Text(16) != k.N || N().BitLen() != 3072 || !N().ProbablyPrime(20) {
		t.Fatal("N is not RFC 5054's 3072-bit prime")
	}
	if G().Int64() != 2 {
		t.Fatal("g must be 2")
	}
	if K().Text(16) != k.K {
		t.Fatalf("k = %s, want %s", K().Text(16), k.K)
	}
	// The same k is published by Cognito clients (e.g. aws-amplify's Swift SRP
	// tests, testGeneratedK): a second, unrelated source.
	if K().Text(16) != "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6" {
		t.Fatal("k differs from the value Cognito clients use")
	}
}

func TestPad(t *testing.T) {
	for _, c := range loadKAT(t).Pad {
		if got := PadHex(hexInt(t, c.N)); got != c.Padded {
			t.Errorf("pad(%s) = %s, want %s", c.N, got, c.Padded)
		}
	}
}

func TestTimestamp(t *testing.T) {
	k := loadKAT(t)
	for _, c := range k.Timestamps {
		if got := Timestamp(time.Unix(c.Unix, 0)); got != c.Text {
			t.Errorf("Timestamp(%d) = %q, want %q", c.Unix, got, c.Text)
		}
		// Any time zone formats as UTC.
		if got := Timestamp(time.Unix(c.Unix, 0).In(time.FixedZone("X", 5*3600+1800))); got != c.Text {
			t.Errorf("Timestamp in +05:30 = %q, want %q", got, c.Text)
		}
	}
	// The two cases the brief names, by hand as well.
	oneDigit := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	if got := Timestamp(oneDigit); got != "Tue Feb 3 04:05:06 UTC 2026" {
		t.Errorf("one-digit day: %q", got)
	}
	twoDigit := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if got := Timestamp(twoDigit); got != "Mon Nov 23 10:00:00 UTC 2026" {
		t.Errorf("two-digit day: %q", got)
	}
}

func TestParseTimestamp(t *testing.T) {
	want := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, s := range []string{"Tue Feb 3 04:05:06 UTC 2026", "Tue Feb 03 04:05:06 UTC 2026"} {
		got, err := ParseTimestamp(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", s, got, err)
		}
	}
	// A padded day parses, but its canonical text differs: that is how a
	// server tells it apart (and signs the canonical text).
	got, _ := ParseTimestamp("Tue Feb 03 04:05:06 UTC 2026")
	if Timestamp(got) == "Tue Feb 03 04:05:06 UTC 2026" {
		t.Error("canonical text kept the padded day")
	}
	for _, s := range []string{"", "garbage", "2026-02-03T04:05:06Z", "Tue Feb 3 04:05:06 +0000 2026",
		"Tue Feb 3 04:05:06 UTC 26", "Tue Feb 30 04:05:06 UTC 2026", "Tue Feb 3 04:05:06 UTC 2026 ",
		"Tue, 03 Feb 2026 04:05:06 GMT"} {
		if _, err := ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) accepted", s)
		}
	}
}

func TestVectors(t *testing.T) {
	k := loadKAT(t)
	var sawUPad, sawUNoPad, sawSPad, sawSNoPad bool
	for _, v := range k.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			salt := hexInt(t, v.Salt)
			x := X(salt, v.PoolName, v.UserID, v.Password)
			if x.Text(16) != v.X {
				t.Fatalf("x = %s, want %s", x.Text(16), v.X)
			}
			verifier := Verifier(x)
			if verifier.Text(16) != v.V {
				t.Fatalf("v = %s, want %s", verifier.Text(16), v.V)
			}

			c, err := NewClient(bytes.NewReader(unhex(t, v.ABytes)))
			if err != nil {
				t.Fatal(err)
			}
			if c.AHex() != v.A {
				t.Fatalf("A = %s, want %s", c.AHex(), v.A)
			}
			s, err := NewServer(bytes.NewReader(unhex(t, v.BBytes)), verifier, c.A())
			if err != nil {
				t.Fatal(err)
			}
			if s.BHex() != v.B {
				t.Fatalf("B = %s, want %s", s.BHex(), v.B)
			}
			u := U(c.A(), s.B())
			if u.Text(16) != v.U {
				t.Fatalf("u = %s, want %s", u.Text(16), v.U)
			}
			bigS := clientS(c.a, s.B(), x, u)
			if bigS.Text(16) != v.S {
				t.Fatalf("client S = %s, want %s", bigS.Text(16), v.S)
			}
			b := new(big.Int).Mod(new(big.Int).SetBytes(unhex(t, v.BBytes)), nInt) // as randomExponent draws it
			if got := serverS(c.A(), verifier, u, b); got.Text(16) != v.S {
				t.Fatalf("server S = %s, want %s", got.Text(16), v.S)
			}
			key := DeriveKey(bigS, u)
			if hex.EncodeToString(key) != v.Key {
				t.Fatalf("key = %x, want %s", key, v.Key)
			}
			if hex.EncodeToString(s.key()) != v.Key {
				t.Fatalf("server key = %x, want %s", s.key(), v.Key)
			}
			block, _ := base64.StdEncoding.DecodeString(v.SecretBlock)
			if got := Signature(key, v.PoolName, v.UserID, block, v.Timestamp); got != v.Signature {
				t.Fatalf("signature = %s, want %s", got, v.Signature)
			}

			// The whole client half, from the challenge's strings.
			ch := Challenge{PoolName: v.PoolName, UserID: v.UserID, Salt: v.Salt, B: v.B, SecretBlock: v.SecretBlock}
			sig, ts, err := c.Claim(ch, v.Password, time.Unix(v.Unix, 0))
			if err != nil || sig != v.Signature || ts != v.Timestamp {
				t.Fatalf("Claim = %q %q %v, want %q %q", sig, ts, err, v.Signature, v.Timestamp)
			}
			if !s.Verify(v.PoolName, v.UserID, block, v.Timestamp, v.Signature) {
				t.Fatal("server refused the known signature")
			}
			if s.Verify(v.PoolName, v.UserID, block, v.Timestamp+" ", v.Signature) ||
				s.Verify(v.PoolName, v.UserID+"x", block, v.Timestamp, v.Signature) ||
				s.Verify(v.PoolName, v.UserID, append([]byte{1}, block...), v.Timestamp, v.Signature) ||
				s.Verify(v.PoolName, v.UserID, block, v.Timestamp, "not base64!") {
				t.Fatal("server accepted a signature over other data")
			}
		})
		sawUPad = sawUPad || v.UPadded
		sawUNoPad = sawUNoPad || !v.UPadded
		sawSPad = sawSPad || v.SPadded
		sawSNoPad = sawSNoPad || !v.SPadded
	}
	if !sawUPad || !sawUNoPad || !sawSPad || !sawSNoPad {
		t.Fatal("the vectors must cover both padding branches of u and S")
	}
}

// Client and server agree on S (and so on the key) for random a, b and
// passwords; a wrong password makes them disagree.
func TestClientAndServerAgree(t *testing.T) {
	runs := 24
	if testing.Short() {
		runs = 4
	}
	for i := range runs {
		pw := randomText(t, 1+i%40)
		pool, user := randomText(t, 9), randomText(t, 1+i%20)
		salt, v, err := NewVerifier(rand.Reader, pool, user, pw)
		if err != nil {
			t.Fatal(err)
		}
		c, err := NewClient(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewServer(rand.Reader, v, c.A())
		if err != nil {
			t.Fatal(err)
		}
		u := U(c.A(), s.B())
		sc := clientS(c.a, s.B(), X(salt, pool, user, pw), u)
		if !bytes.Equal(DeriveKey(sc, u), s.key()) {
			t.Fatalf("run %d: client key != server key", i)
		}

		block := []byte(randomText(t, 64))
		now := time.Now()
		ch := Challenge{PoolName: pool, UserID: user, Salt: salt.Text(16), B: s.BHex(), SecretBlock: base64.StdEncoding.EncodeToString(block)}
		sig, ts, err := c.Claim(ch, pw, now)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Verify(pool, user, block, ts, sig) {
			t.Fatalf("run %d: server refused the right password", i)
		}
		bad, _, err := c.Claim(ch, pw+"x", now)
		if err != nil {
			t.Fatal(err)
		}
		if s.Verify(pool, user, block, ts, bad) {
			t.Fatalf("run %d: server accepted a wrong password", i)
		}
	}
}

func randomText(t *testing.T, n int) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%-_=+äö€"
	r := []rune(alphabet)
	var b strings.Builder
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	for _, x := range buf {
		b.WriteRune(r[int(x)%len(r)])
	}
	return b.String()
}

func TestRefusesDegenerateValues(t *testing.T) {
	for _, a := range []*big.Int{big.NewInt(0), N(), new(big.Int).Mul(N(), big.NewInt(3))} {
		if _, err := NewServer(rand.Reader, big.NewInt(5), a); err != ErrBadA {
			t.Errorf("NewServer with A = %v mod N = 0: %v, want ErrBadA", a.BitLen(), err)
		}
	}
	c, err := NewClient(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ok := Challenge{PoolName: "p", UserID: "u", Salt: "ab", B: "1234", SecretBlock: "AAAA"}
	for name, tc := range map[string]struct {
		ch   Challenge
		want error
	}{
		"B = 0":          {func() Challenge { c := ok; c.B = "0"; return c }(), ErrBadB},
		"B = N":          {func() Challenge { c := ok; c.B = N().Text(16); return c }(), ErrBadB},
		"B = 2N":         {func() Challenge { c := ok; c.B = new(big.Int).Lsh(N(), 1).Text(16); return c }(), ErrBadB},
		"B not hex":      {func() Challenge { c := ok; c.B = "xyz"; return c }(), ErrBadHex},
		"B signed":       {func() Challenge { c := ok; c.B = "-1234"; return c }(), ErrBadHex},
		"salt empty":     {func() Challenge { c := ok; c.Salt = ""; return c }(), ErrBadHex},
		"block not b64":  {func() Challenge { c := ok; c.SecretBlock = "!!"; return c }(), ErrBadSecretBlock},
		"pool name none": {func() Challenge { c := ok; c.PoolName = ""; return c }(), ErrBadPoolName},
	} {
		if _, _, err := c.Claim(tc.ch, "pw", time.Now()); err != tc.want {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, _, err := c.Claim(ok, "pw", time.Now()); err != nil {
		t.Errorf("a sane challenge: %v", err)
	}
}

// a is EphemeralBytes from the reader; a short reader is an error, not a weak a.
func TestNewClientReadsItsRandomness(t *testing.T) {
	if _, err := NewClient(bytes.NewReader(make([]byte, EphemeralBytes-1))); err == nil {
		t.Fatal("a short random source must fail")
	}
	one := append(make([]byte, EphemeralBytes-1), 1)
	c, err := NewClient(bytes.NewReader(one))
	if err != nil {
		t.Fatal(err)
	}
	if c.AHex() != "2" { // a = 1: A = g
		t.Fatalf("A = %s", c.AHex())
	}
	// All-zero bytes give a = 0, which is skipped for the next draw.
	c, err = NewClient(bytes.NewReader(append(make([]byte, EphemeralBytes), one...)))
	if err != nil || c.AHex() != "2" {
		t.Fatalf("a = 0 not skipped: %v", err)
	}
}
