package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func settings(kv ...string) []debug.BuildSetting {
	var s []debug.BuildSetting
	for i := 0; i < len(kv); i += 2 {
		s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return s
}

func TestVersionFromLdflagsBeatsBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261126115734-d1765872d73f"},
		Settings: settings("vcs.revision", "d1765872d73fb5cb6f487b38232df911188b3788", "vcs.time", "2026-11-26T11:57:34Z", "vcs.modified", "true")}
	b := buildOf("1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-12-01T10:00:00Z", info)
	got := b.String()
	for _, want := range []string{"1.2.3 (", "commit 0123456789abcdef0123456789abcdef01234567,", "built 2026-12-01T10:00:00Z"} {
		if !strings.Contains(got, want) {
			t.Errorf("version %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "uncommitted") || strings.Contains(got, "d1765872") {
		t.Errorf("version %q mixes the build info into a release's ldflags", got)
	}
}

func TestVersionOfGoInstallAtATag(t *testing.T) {
	// go install github.com/cognito-totp/cognito-totp@v0.4.0: the module
	// version is recorded, and no VCS settings (the module zip has no .git).
	info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/cognito-totp/cognito-totp", Version: "v0.4.0"}}
	got := buildOf("", "", "", info).String()
	if !strings.HasPrefix(got, "v0.4.0 (") {
		t.Fatalf("version %q, want it to start with the module version", got)
	}
}

func TestVersionOfABuildInAClone(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
		Settings: settings("vcs", "git", "vcs.revision", "d1765872d73fb5cb6f487b38232df911188b3788", "vcs.time", "2026-11-26T11:57:34Z", "vcs.modified", "true")}
	got := buildOf("", "", "", info).String()
	for _, want := range []string{"devel (", "commit d1765872d73fb5cb6f487b38232df911188b3788 with uncommitted changes", "committed 2026-11-26T11:57:34Z"} {
		if !strings.Contains(got, want) {
			t.Errorf("version %q lacks %q", got, want)
		}
	}
}

func TestVersionWithoutAnyInformationSaysWhy(t *testing.T) {
	got := buildOf("", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}).String()
	if !strings.Contains(got, "commit unknown: built without VCS information") {
		t.Fatalf("version %q does not say why it has no commit", got)
	}
	if got == "dev" || strings.HasPrefix(got, "dev ") {
		t.Fatalf("version %q is a bare dev", got)
	}
}

// TestBuiltBinaryReportsItsCommit builds the command as a person in a clone
// would (go build) and runs --version: it must name the checked-out commit.
// It copies this work tree (as it is, uncommitted changes too) into a fresh
// repository and commits it there: the go command records no VCS information
// in a git worktree (whose .git is a file), and this machine's go env sets
// -buildvcs=false, which the build here overrides.
func TestBuiltBinaryReportsItsCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("copies and builds the module; not in -short")
	}
	files, err := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): nothing to copy", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		b, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet in the index
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "snapshot for TestBuiltBinaryReportsItsCommit")
	sha := git("rev-parse", "HEAD")

	bin := filepath.Join(t.TempDir(), "cognito-totp")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	if want := "cognito-totp version v0.0.0-"; !bytes.HasPrefix(out, []byte(want)) {
		// Go 1.24+ stamps a pseudo-version from the commit.
		t.Errorf("--version printed %q; want a pseudo-version (%q...)", out, want)
	}
	if want := "commit " + sha + ", committed "; !bytes.Contains(out, []byte(want)) {
		t.Fatalf("--version printed %q; want it to contain %q", out, want)
	}
}
