package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"unicode/utf8"
)

// regionName is the form of every AWS region name in every partition:
// eu-west-1, us-gov-west-1, cn-northwest-1, us-isob-east-1, eusc-de-east-1.
// It is deliberately loose (a new region must not need a new release) and
// strict only where it matters: letters, hyphens and a number, nothing that
// could change the host name the SDK builds from it. Compiled on first use,
// not while every command starts.
var regionName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`) })

// IsRegion reports whether s has the form of an AWS region name.
func IsRegion(s string) bool { return regionName().MatchString(s) }

// CheckRegion refuses a region that is not a region name; from says where it
// came from ("--region", "the profile's region").
func CheckRegion(region, from string) error {
	if IsRegion(region) {
		return nil
	}
	return fmt.Errorf("%s %s is not an AWS region name; those look like eu-west-1 or us-gov-west-1", from, shown(region))
}

// CheckEndpointURL refuses an endpoint that the SDK could only fail on later,
// where the failure would read as a network problem: anything but http or
// https with a host. A user name or password in it is refused too (AWS
// credentials come from the usual places), and never repeated.
func CheckEndpointURL(raw, from string) error {
	u, err := url.Parse(raw)
	if err == nil && u.User != nil {
		return fmt.Errorf("%s has a user name or password in it; an endpoint URL takes none, such as http://127.0.0.1:9229", from)
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" ||
		u.RawQuery != "" || u.Fragment != "" || !validPort(u.Port()) {
		return fmt.Errorf("%s %s is not an endpoint URL; give http:// or https://, a host and, if needed, a port, such as http://127.0.0.1:9229", from, shown(raw))
	}
	return nil
}

func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// shown quotes what a person gave, cut to a length a sentence can hold.
func shown(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:max])) + "…"
}

// from names where a setting came from: the flag when it was given, else the
// profile's field (flags, the environment and the profile are the sources;
// these settings have no variable of their own).
func (s *Settings) from(flag, field string) string {
	if s.changed(flag) {
		return "--" + flag
	}
	return "the profile's " + field
}
