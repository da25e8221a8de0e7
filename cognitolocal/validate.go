package cognitolocal

import (
	"fmt"
	"regexp"
	"sync"
	"unicode/utf8"
)

// Member constraints from the service model (cognito-idp 2016-04-18). Real
// Cognito checks them on the server and answers InvalidParameterException, so
// clients that skip client-side validation (the aws CLI, raw HTTP) see the same.
type strRule struct {
	min, max int    // in characters; 0 means no bound
	pattern  string // the model's pattern, matched against the whole value
	// re compiles the pattern on first use: compiling the Unicode classes of
	// every rule at package init cost each start of the binary (the wizard,
	// --version) about a millisecond, for a server most runs never start.
	re func() *regexp.Regexp
}

func rule(min, max int, pattern string) strRule {
	r := strRule{min: min, max: max, pattern: pattern}
	if pattern != "" {
		r.re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:` + pattern + `)$`) })
	}
	return r
}

var (
	ruleClientID     = rule(1, 128, `[\w+]+`)
	ruleUsername     = rule(1, 128, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	rulePoolID       = rule(1, 55, `[\w-]+_[0-9a-zA-Z]+`)
	ruleSession      = rule(20, 2048, "")
	ruleUserCode     = rule(6, 6, `[0-9]+`)
	ruleAccessToken  = rule(0, 0, `[A-Za-z0-9-_=.]+`)
	rulePassword     = rule(0, 256, `[\S]+`)
	ruleName         = rule(1, 128, `[\w\s+=,.@-]+`)
	ruleClientSecret = rule(24, 64, `[\w+]+`)
	ruleDeviceName   = rule(0, 131072, "")
	ruleAttrName     = rule(1, 32, `[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+`)
	ruleAttrValue    = rule(0, 2048, "")
)

// str checks one string member. An empty value counts as absent: required
// members report "must not be null", optional ones are skipped.
func (v *validation) str(field, value string, required bool, r strRule) {
	if value == "" {
		if required {
			v.addNull(field)
		}
		return
	}
	n := utf8.RuneCountInString(value)
	if r.min > 0 && n < r.min {
		v.add(field, fmt.Sprintf("Member must have length greater than or equal to %d", r.min))
	}
	if r.max > 0 && n > r.max {
		v.add(field, fmt.Sprintf("Member must have length less than or equal to %d", r.max))
	}
	if r.re != nil && !r.re().MatchString(value) {
		v.add(field, "Member must satisfy regular expression pattern: "+r.pattern)
	}
}

// enum checks an enum member; an empty value is absent.
func (v *validation) enum(field, value string, required bool, allowed []string) {
	if value == "" {
		if required {
			v.addNull(field)
		}
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.addEnum(field, value, allowed)
}

// intRange checks an optional integer member.
func (v *validation) intRange(field string, value *int, min, max int) {
	if value == nil {
		return
	}
	if *value < min {
		v.add(field, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	}
	if *value > max {
		v.add(field, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// Enum value sets from the service model.
var (
	enumAuthFlow = []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
		"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH"}
	enumChallengeName = []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
		"PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER",
		"ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP"}
	enumExplicitAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
		"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
		"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}
	enumMfaConfiguration  = []string{"OFF", "ON", "OPTIONAL"}
	enumPreventExistence  = []string{"LEGACY", "ENABLED"}
	enumMessageAction     = []string{"RESEND", "SUPPRESS"}
	enumDeliveryMediums   = []string{"SMS", "EMAIL"}
	defaultExplicitFlows  = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"}
	passwordPolicySymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"
)
