package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/fang/v2"
)

// printError shows a command-line error as one plain sentence. fang's default
// handler title-cases the text, which would rewrite what a person typed (a
// pool ID such as eu-west-1_AbC123 is case-sensitive), so only the first
// letter is raised here.
// An error that carries its sentence in the person's language (the admin
// commands') is printed in it; Error() stays English, for logs.
func printError(w io.Writer, _ fang.Styles, err error) {
	var said interface{ Localized() string }
	if errors.As(err, &said) {
		fmt.Fprintln(w, "cognito-totp: "+said.Localized())
		return
	}
	fmt.Fprintln(w, "cognito-totp: "+sentence(err.Error()))
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if r, n := utf8.DecodeRuneInString(s); unicode.IsLower(r) {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
