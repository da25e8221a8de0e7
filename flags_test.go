package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Each value a person can get wrong is refused at start-up, by the built
// command, with exit 1 and one sentence that names the value and, for a
// file, the limit; never a network error at sign-in, and never a file read
// without bound.
func TestBadValuesAreRefusedAtStartUp(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nul := write("nul", make([]byte, 200))
	array := write("array.json", []byte("[]"))
	missing := filepath.Join(dir, "missing.json")
	pool := []string{"--user-pool-id", "eu-west-1_AbC123", "--client-id", "c"}
	const region = ` is not an AWS region name; those look like eu-west-1 or us-gov-west-1.`
	const endpoint = ` is not an endpoint URL; give http:// or https://, a host and, if needed, a port, such as http://127.0.0.1:9229.`

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"region", []string{"--region", "../../"}, `--region "../../"` + region},
		{"region with a pool", append(pool, "--region", "../../"), `--region "../../"` + region},
		{"pool ID's region", []string{"--user-pool-id", "../../-x-y_AbC", "--client-id", "c"}, `"../../-x-y_AbC" is not a user pool ID: those look like eu-west-1_AbC123 (a region, an underscore, a name); copy it from the Cognito console.`},
		{"endpoint file URL", append(pool, "--endpoint-url", "file:///etc/passwd"), `--endpoint-url "file:///etc/passwd"` + endpoint},
		{"endpoint not a URL", append(pool, "--endpoint-url", "not a url"), `--endpoint-url "not a url"` + endpoint},
		{"debug log on a full device", []string{"--debug", "/dev/full"}, "Could not write the debug log /dev/full: no space left on device."},
		{"debug log a directory", []string{"--debug", dir}, "Could not open the debug log " + dir + ": is a directory."},
		{"config missing", []string{"--config", missing}, "There is no config file " + missing + "; see the README for its form."},
		{"config a directory", []string{"--config", dir}, "The config file " + dir + " is a directory."},
		{"config not an object", []string{"--config", array}, `The config file ` + array + ` is not valid: it must be one JSON object, {"profiles": {...}}; see the README for its form.`},
		{"config endless", []string{"--config", "/dev/zero", "--profile", "p"}, `Profile "p": the config file /dev/zero is larger than 1 MiB; is it the right file?`},
		{"client secret endless", append(pool, "--client-secret-file", "/dev/zero"), "The client secret file /dev/zero is larger than 4 KiB; is it the right file?"},
		{"client secret of NUL bytes", append(pool, "--client-secret-file", nul), "The client secret file " + nul + " holds control characters or is not text; is it the right file?"},
		{"access token endless", []string{"--access-token-file", "/dev/zero"}, "The access token file /dev/zero is larger than 64 KiB; is it the right file?"},
		{"access token of NUL bytes", []string{"--access-token-file", write("nul.token", make([]byte, 100))}, "The access token file " + filepath.Join(dir, "nul.token") + " holds control characters or is not text; is it the right file?"},
		{"local's region", []string{"local", "--addr", "127.0.0.1:0", "--region", "../../"}, `--region "../../"` + region},
		{"serve's endpoint", append([]string{"serve", "--listen", "127.0.0.1:0"}, append(pool, "--endpoint-url", "not a url")...), `--endpoint-url "not a url"` + endpoint},
		{"admin's endpoint", []string{"admin", "user", "alice", "--user-pool-id", "eu-west-1_AbC123", "--endpoint-url", "file:///etc/passwd"}, `--endpoint-url "file:///etc/passwd"` + endpoint},
		{"admin's config", []string{"admin", "status", "--config", missing}, "There is no config file " + missing + "; see the README for its form."},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, c.args...)
			cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "TERM=dumb", "LANG=C", "COGNITO_TOTP_LANG=")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("still running after 10 s; stderr %q", stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
				t.Fatalf("exit %v, want %d; stderr %q", err, exitFailed, stderr.String())
			}
			if got, want := stderr.String(), "cognito-totp: "+c.want+"\n"; got != want {
				t.Errorf("stderr\n%q\nwant\n%q", got, want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}
