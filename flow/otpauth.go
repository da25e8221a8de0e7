package flow

import (
	"fmt"
	"net/url"
	"strings"
)

// OTPAuthURI builds the Key Uri that authenticator apps scan:
// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=....
// algorithm=SHA1, digits=6 and period=30 are what Cognito uses and what the
// Key Uri Format assumes when they are absent (Amplify leaves them out too);
// leaving them out makes the QR code a version or two smaller, which is what
// lets it fit an 80x24 terminal. Issuer and account are percent-encoded as path segments (a space is %20,
// never +, which iOS apps show literally); a colon inside either is encoded
// too, since a bare one would split the label.
func OTPAuthURI(issuer, account, secret string) string {
	return fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s",
		labelEscape(issuer), labelEscape(account), secret, queryEscape(issuer))
}

func labelEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}

func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// GroupSecret splits a secret into groups of four for typing by hand.
func GroupSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
