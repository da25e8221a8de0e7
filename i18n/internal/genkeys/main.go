// Command genkeys writes keys.go, one Key constant per message of
// locales/en.toml, in the file's order. Run it with go generate ./i18n
// after adding a message to en.toml.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// initialisms are written whole in Go names: SecretCopiedURI, not SecretCopiedUri.
var initialisms = map[string]string{"uri": "URI", "srp": "SRP", "id": "ID", "dns": "DNS", "tls": "TLS",
	"totp": "TOTP", "aws": "AWS", "mfa": "MFA", "sms": "SMS", "http": "HTTP", "sso": "SSO"}

func main() {
	var messages map[string]any
	meta, err := toml.DecodeFile("locales/en.toml", &messages)
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("package i18n\n\n// The constants mirror locales/en.toml, one per message, so a key our code\n" +
		"// names but no catalog has is a compile error; TestKeysMatchCatalog fails\n" +
		"// when the two disagree. Made by go generate (internal/genkeys).\nconst (\n")
	for _, key := range meta.Keys() {
		if len(key) != 1 { // a plural form of the message before it
			continue
		}
		fmt.Fprintf(&b, "\t%s Key = %q\n", goName(key[0]), key[0])
	}
	b.WriteString(")\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("keys.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}

func goName(key string) string {
	var b strings.Builder
	for _, w := range strings.Split(key, "_") {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
		} else if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
