package serve

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestAuthorizedKeys: with an authorized_keys file, its key gets the wizard;
// another key, or no key, does not get in at all.
func TestAuthorizedKeys(t *testing.T) {
	t.Parallel()
	allowed, other := newSigner(), newSigner()
	path := filepath.Join(t.TempDir(), "authorized_keys")
	file := "# the enrollment desk\n\n" + string(gossh.MarshalAuthorizedKey(allowed.PublicKey()))
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{AuthorizedKeys: path})

	openTerminal(t, ts.mustDial(t, gossh.PublicKeys(allowed))).waitFor("Username:")

	if c, err := ts.dial(gossh.PublicKeys(other)); err == nil {
		c.Close()
		t.Errorf("a key not in the file got in")
	}
	noKey := gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		return make([]string, len(qs)), nil
	})
	if c, err := ts.dial(noKey); err == nil {
		c.Close()
		t.Errorf("a client with no key got in")
	}
	ts.waitForLog(t, "key="+gossh.FingerprintSHA256(other.PublicKey()))
	if logs := ts.logs.String(); !strings.Contains(logs, `reason="key not in the authorized keys"`) {
		t.Errorf("the refusal is not logged with its reason:\n%s", logs)
	}
}

// TestAuthorizedKeysFileMustBeGood: a file that cannot be read, has no key or
// has a line that is not a key stops the server from starting.
func TestAuthorizedKeysFileMustBeGood(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := string(gossh.MarshalAuthorizedKey(newSigner().PublicKey()))
	for name, content := range map[string]string{
		"empty":      "# nobody yet\n",
		"not a key":  good + "ssh-ed25519 AAAAnot-base64 typo\n",
		"no such":    "",
		"only words": "hello\n",
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if name != "no such" {
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, err := New(Config{HostKeyPath: filepath.Join(dir, "host_key"), AuthorizedKeys: path, IdleTimeout: 1,
			MaxSessions: 1, MaxNewPerMinute: 1, Wizards: localPoolWizards(t).wizards})
		if err == nil {
			t.Errorf("%s: the server started", name)
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: the error does not name the file: %v", name, err)
		}
	}
}

// TestHostKeyMadeOnceAndKept: the first start makes the key, private, in a
// private directory; a restart uses the same key, so clients that trusted it
// still connect; a key others can read is refused.
func TestHostKeyMadeOnceAndKept(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config", "cognito-totp")
	path := filepath.Join(dir, "ssh_host_ed25519_key")

	first := startServer(t, Config{HostKeyPath: path})
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %04o, want %04o", p, got, want)
		}
	}
	made, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	second := startServer(t, Config{HostKeyPath: path})
	if !bytes.Equal(first.HostKey().Marshal(), second.HostKey().Marshal()) {
		t.Fatalf("the restarted server has another host key")
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, made) {
		t.Errorf("the key file was rewritten on restart")
	}
	// A client that pinned the first server's key connects to the second.
	pinned, err := gossh.Dial("tcp", second.addr, &gossh.ClientConfig{
		User: "tester", Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner())},
		HostKeyCallback: gossh.FixedHostKey(first.HostKey()), Timeout: patience,
	})
	if err != nil {
		t.Fatalf("a client that trusted the first start's key: %v", err)
	}
	t.Cleanup(func() { _ = pinned.Close() })
	openTerminal(t, pinned).waitFor("Username:")

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{HostKeyPath: path, IdleTimeout: 1, MaxSessions: 1, MaxNewPerMinute: 1, Wizards: localPoolWizards(t).wizards})
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a host key readable by others: %v, want a refusal saying chmod 600", err)
	}
}

// halfWriter is a temporary key file whose Write, Chmod or Sync fails: the
// disk fills up half-way through the key, or the file system refuses.
type halfWriter struct {
	*os.File
	fail string // "chmod", "write" or "sync"
}

var errDiskFull = errors.New("no space left on device")

func (h *halfWriter) Chmod(m fs.FileMode) error {
	if h.fail == "chmod" {
		return errDiskFull
	}
	return h.File.Chmod(m)
}

func (h *halfWriter) Write(b []byte) (int, error) {
	if h.fail == "write" {
		n, _ := h.File.Write(b[:len(b)/2])
		return n, errDiskFull
	}
	return h.File.Write(b)
}

func (h *halfWriter) Sync() error {
	if h.fail == "sync" {
		return errDiskFull
	}
	return h.File.Sync()
}

// TestHostKeyWriteFailureIsAnError: when the new key cannot be made private,
// written whole or synced, the server does not start, and no key (half a
// key least of all) is linked into place for the next start to trust.
func TestHostKeyWriteFailureIsAnError(t *testing.T) {
	t.Parallel()
	for _, fail := range []string{"chmod", "write", "sync"} {
		t.Run(fail, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "keys", "ssh_host_ed25519_key")
			_, _, err := createHostKeyWith(path, func(dir, pattern string) (keyFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return &halfWriter{File: f, fail: fail}, nil
			})
			if !errors.Is(err, errDiskFull) {
				t.Errorf("a failed %s gave error %v, want one that wraps %q", fail, err, errDiskFull)
			}
			if _, statErr := os.Stat(path); !errors.Is(statErr, fs.ErrNotExist) {
				t.Errorf("after a failed %s the key file is in place (stat: %v)", fail, statErr)
			}
			left, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range left {
				t.Errorf("left behind in the key's directory: %s", e.Name())
			}
		})
	}
}

// TestHostKeyModes: a key others can read is refused; one of this user's
// own that its group can read is refused too (as sshd does); one owned by
// another user and readable through this process's group, as Kubernetes
// mounts a Secret with fsGroup (root:fsGroup 0440), is taken.
func TestHostKeyModes(t *testing.T) {
	t.Parallel()
	if os.Getuid() != 0 {
		t.Skip("needs root to give the key file another owner")
	}
	src := filepath.Join(t.TempDir(), "made")
	if _, _, err := loadHostKey(src); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		uid   int
		mode  os.FileMode
		taken bool
	}{
		{"ours, 0600", 0, 0o600, true},
		{"ours, group-readable", 0, 0o640, false},
		{"another's, group-readable (a Secret with fsGroup)", 65532, 0o440, true},
		{"another's, world-readable", 65532, 0o444, false},
	} {
		path := filepath.Join(t.TempDir(), "key")
		if err := os.WriteFile(path, key, c.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, c.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(path, c.uid, 0); err != nil {
			t.Fatal(err)
		}
		_, _, err := loadHostKey(path)
		if (err == nil) != c.taken {
			t.Errorf("%s: %v, want taken %v", c.name, err, c.taken)
		}
	}
}

// TestKeyFilesAreReadWithALimit: a host key or authorized_keys file larger
// than any real one (a log, a disk image, /dev/zero named by mistake) is
// refused at start with a sentence naming the file and the limit, and is
// never read whole.
func TestKeyFilesAreReadWithALimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := gossh.MarshalAuthorizedKey(newSigner().PublicKey())
	hugeKeys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(hugeKeys, bytes.Repeat(good, (1<<20)/len(good)+1), 0o600); err != nil {
		t.Fatal(err)
	}
	hugeHostKey := filepath.Join(dir, "host_key")
	if err := os.WriteFile(hugeHostKey, bytes.Repeat([]byte("x"), 64<<10+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, hostKey, authKeys, want string
	}{
		{"authorized_keys over 1 MiB", filepath.Join(dir, "new_host_key"), hugeKeys, "the authorized keys file " + hugeKeys + " is larger than 1 MiB"},
		{"host key over 64 KiB", hugeHostKey, "", "the host key file " + hugeHostKey + " is larger than 64 KiB"},
		{"host key /dev/zero", "/dev/zero", "", "the host key file /dev/zero is larger than 64 KiB"},
		{"authorized_keys /dev/zero", filepath.Join(dir, "new_host_key"), "/dev/zero", "the authorized keys file /dev/zero is larger than 1 MiB"},
	} {
		_, err := New(Config{HostKeyPath: c.hostKey, AuthorizedKeys: c.authKeys, IdleTimeout: 1,
			MaxSessions: 1, MaxNewPerMinute: 1, Wizards: localPoolWizards(t).wizards})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
}
