package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
)

// loadHostKey reads the host key at path or, when there is none, makes an
// ed25519 one there (0600, in a directory made 0700), so clients see the same
// key on every restart. created says which.
func loadHostKey(path string) (key gossh.Signer, created bool, err error) {
	b, err := boundedfile.Read(path, "host key", boundedfile.HostKeyLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return createHostKey(path)
	}
	if boundedfile.IsLimit(err) {
		return nil, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("could not read the host key %s: %w", path, err)
	}
	if err := checkPrivate(path); err != nil {
		return nil, false, err
	}
	key, err = gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("the host key %s is not an unencrypted OpenSSH private key: %w", path, err)
	}
	return key, false, nil
}

// checkPrivate refuses a key that others can read. Like sshd, it also
// refuses a key of this process's own user that its group can read; a key
// owned by another user (root, as a Kubernetes Secret is mounted) may be
// readable by this process's group: that is how it reads it.
func checkPrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("could not read the host key %s: %w", path, err)
	}
	perm := fi.Mode().Perm()
	uid, known := fileOwner(fi)
	ours := !known || uid == os.Getuid()
	if perm&0o007 != 0 || ours && perm&0o070 != 0 {
		return fmt.Errorf("the host key %s can be read by others (mode %04o); make it private with chmod 600", path, perm)
	}
	return nil
}

// keyFile is the temporary file a new host key is written to; an
// *os.File, or in tests one whose writes fail.
type keyFile interface {
	Name() string
	Chmod(fs.FileMode) error
	Write([]byte) (int, error)
	Sync() error
	Close() error
}

func createHostKey(path string) (gossh.Signer, bool, error) {
	return createHostKeyWith(path, func(dir, pattern string) (keyFile, error) { return os.CreateTemp(dir, pattern) })
}

func createHostKeyWith(path string, createTemp func(dir, pattern string) (keyFile, error)) (gossh.Signer, bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("could not make the directory for the host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, fmt.Errorf("could not make a host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "cognito-totp host key")
	if err != nil {
		return nil, false, fmt.Errorf("could not make a host key: %w", err)
	}
	// Written whole under a temporary name, then linked into place: a crash
	// leaves no half key, and two servers starting at once agree on one key.
	tmp, err := createTemp(dir, ".host-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("could not write the host key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeKeyFile(tmp, pem.EncodeToMemory(block)); err != nil {
		return nil, false, fmt.Errorf("could not write the host key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return loadHostKey(path) // another server made it first
	} else if err != nil {
		return nil, false, fmt.Errorf("could not write the host key %s: %w", path, err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, false, fmt.Errorf("could not make a host key: %w", err)
	}
	return signer, true, nil
}

// writeKeyFile makes f private, writes b to it, syncs and closes it; the
// first failure is the answer, and f is closed whatever happens.
func writeKeyFile(f keyFile, b []byte) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(b)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
