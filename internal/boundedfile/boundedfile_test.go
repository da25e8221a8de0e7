package boundedfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadRefusesAnEndlessFile(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		_, err := Read("/dev/zero", "client secret", SecretLimit)
		done <- err
	}()
	select {
	case err := <-done:
		var tl *TooLargeError
		if !errors.As(err, &tl) {
			t.Fatalf("err = %v, want a TooLargeError", err)
		}
		if !strings.Contains(err.Error(), "/dev/zero") || !strings.Contains(err.Error(), "4 KiB") {
			t.Fatalf("sentence %q names neither the file nor the limit", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading /dev/zero did not stop at the limit")
	}
}

func TestReadAtTheLimitIsAccepted(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := Read(p, "x", 100); err != nil || len(b) != 100 {
		t.Fatalf("100 bytes at a 100-byte limit: %d, %v", len(b), err)
	}
	if _, err := Read(p, "x", 99); !IsLimit(err) {
		t.Fatalf("100 bytes at a 99-byte limit: %v, want refused", err)
	}
}

func TestReadSecretRefusesWhatNoSecretHolds(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"nul":   strings.Repeat("\x00", 200),
		"esc":   "abc\x1b]0;title\x07",
		"mid":   "abc\ndef",
		"empty": " \n",
		"utf8":  "\xff\xfe",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if s, err := ReadSecret(p, "client secret", SecretLimit); err == nil {
			t.Errorf("%s: accepted as %q", name, s)
		} else if strings.Contains(err.Error(), content) && strings.TrimSpace(content) != "" {
			t.Errorf("%s: the error repeats the file's content", name)
		}
	}
	p := filepath.Join(dir, "good")
	if err := os.WriteFile(p, []byte("  s3cr3t-value\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := ReadSecret(p, "client secret", SecretLimit); err != nil || s != "s3cr3t-value" {
		t.Fatalf("good secret: %q, %v", s, err)
	}
}

func TestReadRefusesADirectory(t *testing.T) {
	if _, err := Read(t.TempDir(), "config", ConfigLimit); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("a directory: %v", err)
	}
}
