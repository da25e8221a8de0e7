package flow

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalizeCode: whatever is typed or pasted, the answer is 6 ASCII
// digits or a KindBadCode error whose message does not repeat the input.
func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"123456", " 123 456 ", "123-456", "Your code is 123456.", "12345", "12a456", "", "１２３４５６", "111111 222222"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		code, err := NormalizeCode(in)
		if err != nil {
			if KindOf(err) != KindBadCode {
				t.Fatalf("error kind %v", KindOf(err))
			}
			if code != "" {
				t.Fatalf("code %q with an error", code)
			}
			if len(in) >= 6 && strings.Contains(err.Error(), in) {
				t.Fatalf("the message repeats the input")
			}
			return
		}
		if len(code) != 6 || !allDigits(code) {
			t.Fatalf("NormalizeCode(%q) = %q", in, code)
		}
		// Every digit of the code was typed, in order.
		rest := in
		for _, d := range code {
			i := strings.IndexRune(rest, d)
			if i < 0 {
				t.Fatalf("code %q not taken from %q", code, in)
			}
			rest = rest[i+1:]
		}
	})
}

// FuzzOTPAuthURI: any issuer and account make a URI that parses, keeps both
// names exactly, has one label colon, and never a '+' for a space.
func FuzzOTPAuthURI(f *testing.F) {
	for _, s := range [][2]string{{"Acme Corp", "alice"}, {"A&B", "bob+x@example.com"}, {"Ünï cödé", "a b/c?d#e"}, {"x", "a:b"}, {"100%", "%20"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, issuer, account string) {
		if !utf8.ValidString(issuer) || !utf8.ValidString(account) || strings.Contains(issuer, ":") {
			return // config refuses a colon in the issuer; names are UTF-8
		}
		uri := OTPAuthURI(issuer, account, "JBSWY3DPEHPK3PXP")
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatalf("%q does not parse: %v", uri, err)
		}
		if u.Scheme != "otpauth" || u.Host != "totp" {
			t.Fatalf("scheme/host of %q", uri)
		}
		label := strings.TrimPrefix(u.EscapedPath(), "/")
		if strings.Count(label, ":") != 1 {
			t.Fatalf("label %q must have exactly one colon", label)
		}
		gotIssuer, gotAccount, _ := strings.Cut(label, ":")
		if a, err := url.PathUnescape(gotIssuer); err != nil || a != issuer {
			t.Fatalf("issuer %q came back as %q (%v)", issuer, a, err)
		}
		if a, err := url.PathUnescape(gotAccount); err != nil || a != account {
			t.Fatalf("account %q came back as %q (%v)", account, a, err)
		}
		if q := u.Query().Get("issuer"); q != issuer {
			t.Fatalf("issuer parameter %q, want %q", q, issuer)
		}
		if strings.Contains(issuer+account, " ") && strings.Contains(strings.SplitN(uri, "secret=", 2)[0]+u.RawQuery, "+") &&
			!strings.Contains(issuer+account, "+") {
			t.Fatalf("a space became '+': %q", uri)
		}
	})
}
