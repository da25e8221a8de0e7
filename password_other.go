//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "github.com/charmbracelet/x/term"

// readPassword reads a line from the terminal fd without echoing it.
func readPassword(fd uintptr) (string, error) {
	b, err := term.ReadPassword(fd)
	return string(b), err
}
