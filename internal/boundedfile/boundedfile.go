// Package boundedfile reads the small files the tool is given (a client
// secret, an access token, a config file, a host key, authorized_keys) with a
// size limit. A path can name /dev/zero, a FIFO or a multi-gigabyte file by
// mistake or by malice; reading it whole would take the machine's memory.
package boundedfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"unicode"
	"unicode/utf8"
)

// Limits for the files the tool reads. Each is far above what a real file of
// that kind holds and far below what could hurt the process.
const (
	SecretLimit  = 4 << 10  // an app client secret is 52 characters
	TokenLimit   = 64 << 10 // a Cognito access token is 1–2 KB
	ConfigLimit  = 1 << 20  // config.json: a few profiles
	HostKeyLimit = 64 << 10 // an OpenSSH private key is at most a few KB
	AuthKeyLimit = 1 << 20  // authorized_keys: thousands of keys
)

// TooLargeError says which file was over which limit, in a sentence.
type TooLargeError struct {
	What, Path string
	Limit      int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the %s file %s is larger than %s; is it the right file?", e.What, e.Path, human(e.Limit))
}

// ControlError says a secret or token file holds bytes no secret has.
type ControlError struct{ What, Path string }

func (e *ControlError) Error() string {
	return fmt.Sprintf("the %s file %s holds control characters or is not text; is it the right file?", e.What, e.Path)
}

// Read reads at most limit bytes of path. A file with more is refused with a
// TooLargeError naming what (for example "client secret") and the path; the
// file is never read past limit+1 bytes, whatever it is.
func Read(path, what string, limit int64) ([]byte, error) {
	// Opening a FIFO for reading blocks until something writes to it, so a
	// named pipe is refused before it is opened, not after.
	if fi, err := os.Stat(path); err == nil && fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0 {
		return nil, fmt.Errorf("the %s file %s is a pipe or a socket, not a file", what, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("the %s file %s is a directory", what, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{What: what, Path: path, Limit: limit}
	}
	return b, nil
}

// ReadSecret reads a one-line secret or token: bounded like Read, then
// surrounding white space trimmed, and refused when what is left is empty,
// not UTF-8, or holds a control character (a NUL-filled file, a binary).
func ReadSecret(path, what string, limit int64) (string, error) {
	b, err := Read(path, what, limit)
	if err != nil {
		return "", err
	}
	s := trimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("the %s file %s is empty", what, path)
	}
	if !utf8.ValidString(s) || hasControl(s) {
		return "", &ControlError{What: what, Path: path}
	}
	return s, nil
}

// IsLimit reports whether err is a refusal of this package's (too large, or
// not text), as opposed to a failure to open or read.
func IsLimit(err error) bool {
	var tl *TooLargeError
	var ce *ControlError
	return errors.As(err, &tl) || errors.As(err, &ce)
}

func trimSpace(s string) string {
	start, end := 0, len(s)
	for start < end && (s[start] == ' ' || s[start] == '\t' || s[start] == '\n' || s[start] == '\r') {
		start++
	}
	for end > start && (s[end-1] == ' ' || s[end-1] == '\t' || s[end-1] == '\n' || s[end-1] == '\r') {
		end--
	}
	return s[start:end]
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

func human(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
