package flow

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// codeInText finds a 6-digit code inside pasted text ("Your code: 123 456").
var codeInText = regexp.MustCompile(`(?:^|\D)(\d{3}[ \-]?\d{3})(?:\D|$)`)

// NormalizeCode turns what a person typed or pasted into the 6 digits Cognito
// takes. Spaces and dashes are ignored; pasted text is searched for one code.
// Otherwise it returns a *Error of KindBadCode whose message says what is wrong
// without repeating the input.
func NormalizeCode(in string) (string, error) {
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '.' {
			return -1
		}
		return r
	}, in)
	if compact == "" {
		return "", badCode(say(i18n.ErrCodeEmpty))
	}
	if allDigits(compact) {
		if len(compact) == 6 {
			return compact, nil
		}
		return "", badCode(say(i18n.ErrCodeLength, "Count", strconv.Itoa(len(compact))))
	}
	if m := codeInText.FindAllStringSubmatch(in, -1); len(m) == 1 {
		return strings.NewReplacer(" ", "", "-", "").Replace(m[0][1]), nil
	}
	return "", badCode(say(i18n.ErrCodeDigits))
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func badCode(s sentence) *Error { return newError(KindBadCode, "check code", s) }
