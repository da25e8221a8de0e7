package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every file the settings name is read through a size limit, and a secret
// or token that is not one line of text is refused; each refusal is a
// sentence that names the file (and, for one too large, the limit) and
// never repeats what the file holds.
func TestFilesAreBoundedAndRefusedWithASentence(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nulSecret := write("nul.secret", make([]byte, 200))
	escSecret := write("esc.secret", []byte("s3cr3t\x1b]0;pwned\x07\n"))
	bigSecret := write("big.secret", []byte(strings.Repeat("s", 4<<10+1)))
	bigToken := write("big.token", []byte(strings.Repeat("e", 64<<10+1)))
	ctlToken := write("ctl.token", []byte("eyJ\x00tok"))
	bigConfig := write("big.json", []byte(`{"profiles": {}}`+strings.Repeat(" ", 1<<20)))
	secretProfile := write("secretprofile.json", []byte(`{"profiles": {"p": {"user_pool_id": "eu-west-1_AbC123", "client_id": "c", "client_secret_file": "`+nulSecret+`"}}}`))
	pool := []string{"--user-pool-id", "eu-west-1_AbC123", "--client-id", "c"}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"endless client secret", append(pool, "--client-secret-file", "/dev/zero"),
			"the client secret file /dev/zero is larger than 4 KiB; is it the right file?"},
		{"client secret over the limit", append(pool, "--client-secret-file", bigSecret),
			"the client secret file " + bigSecret + " is larger than 4 KiB; is it the right file?"},
		{"client secret of NUL bytes", append(pool, "--client-secret-file", nulSecret),
			"the client secret file " + nulSecret + " holds control characters or is not text; is it the right file?"},
		{"client secret with an escape", append(pool, "--client-secret-file", escSecret),
			"the client secret file " + escSecret + " holds control characters or is not text; is it the right file?"},
		{"profile's client secret file", []string{"--config", secretProfile, "--profile", "p"},
			"the client secret file " + nulSecret + " holds control characters or is not text; is it the right file?"},
		{"endless access token", []string{"--access-token-file", "/dev/zero"},
			"the access token file /dev/zero is larger than 64 KiB; is it the right file?"},
		{"access token over the limit", []string{"--access-token-file", bigToken},
			"the access token file " + bigToken + " is larger than 64 KiB; is it the right file?"},
		{"access token with a NUL", []string{"--access-token-file", ctlToken},
			"the access token file " + ctlToken + " holds control characters or is not text; is it the right file?"},
		{"endless config", []string{"--config", "/dev/zero", "--profile", "p"},
			`profile "p": the config file /dev/zero is larger than 1 MiB; is it the right file?`},
		{"config over the limit", []string{"--config", bigConfig},
			"the config file " + bigConfig + " is larger than 1 MiB; is it the right file?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := parse(t, nil, c.args...); done <- err }()
			select {
			case err := <-done:
				if err == nil || err.Error() != c.want {
					t.Fatalf("err = %v\nwant  %s", err, c.want)
				}
				for _, leak := range []string{"s3cr3t", "pwned", "eyJ", "\x00"} {
					if strings.Contains(err.Error(), leak) {
						t.Fatalf("the sentence repeats the file's content (%q)", leak)
					}
				}
			case <-time.After(5 * time.Second):
				// A read that does not stop grows by hundreds of MB a second;
				// t.Fatal would leave it running, so end the process.
				panic(c.name + ": still reading after 5 s; the read is not bounded")
			}
		})
	}
}

// A config file named with --config is read and checked whether or not a
// profile is asked for: a typo in its path must not silently mean "no
// profiles". The same holds for the admin commands' pool flags.
func TestExplicitConfigMustBeReadable(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	array := writeConfig(t, `[]`)
	null := writeConfig(t, `null`)
	empty := writeConfig(t, ``)
	trailing := writeConfig(t, `{"profiles": {}} []`)
	unknown := writeConfig(t, `{"pofiles": {}}`)
	for _, c := range []struct {
		name, path, want string
	}{
		{"missing", missing, "there is no config file " + missing + "; see the README for its form"},
		{"directory", dir, "the config file " + dir + " is a directory"},
		{"array", array, `the config file ` + array + ` is not valid: it must be one JSON object, {"profiles": {...}}; see the README for its form`},
		{"null", null, `the config file ` + null + ` is not valid: it must be one JSON object, {"profiles": {...}}; see the README for its form`},
		{"empty", empty, `the config file ` + empty + ` is not valid: it must be one JSON object, {"profiles": {...}}; see the README for its form`},
		{"trailing", trailing, "the config file " + trailing + " is not valid: there is more after its JSON object"},
		{"unknown field", unknown, "the config file " + unknown + ` is not valid: json: unknown field "pofiles"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parse(t, nil, "--config", c.path); err == nil || err.Error() != c.want {
				t.Errorf("wizard: err = %v\nwant        %s", err, c.want)
			}
			if _, err := parsePool(t, nil, "--config", c.path); err == nil || err.Error() != c.want {
				t.Errorf("admin: err = %v\nwant       %s", err, c.want)
			}
			want := `profile "p": ` + c.want
			if _, err := parse(t, nil, "--config", c.path, "--profile", "p"); err == nil || err.Error() != want {
				t.Errorf("with --profile: err = %v\nwant                %s", err, want)
			}
		})
	}
	ok := writeConfig(t, twoProfiles)
	if _, err := parse(t, nil, "--config", ok); err != nil {
		t.Fatalf("a good file without --profile: %v", err)
	}
}

func TestRegionMustBeARegionName(t *testing.T) {
	for _, r := range []string{"eu-west-1", "us-east-1", "ap-southeast-7", "us-gov-west-1", "cn-northwest-1",
		"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "il-central-1"} {
		if _, err := parse(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--client-id", "c", "--region", r); err != nil {
			t.Errorf("%s refused: %v", r, err)
		}
		if _, err := parse(t, nil, "--user-pool-id", r+"_AbC123", "--client-id", "c"); err != nil {
			t.Errorf("pool ID in %s refused: %v", r, err)
		}
	}
	cfg := writeConfig(t, `{"profiles": {"p": {"user_pool_id": "eu-west-1_AbC123", "client_id": "c", "region": "eu-west-1/../x"}}}`)
	pool := []string{"--user-pool-id", "eu-west-1_AbC123", "--client-id", "c"}
	const form = " is not an AWS region name; those look like eu-west-1 or us-gov-west-1"
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"path", append(pool, "--region", "../../"), `--region "../../"` + form},
		{"host", append(pool, "--region", "evil.example.com#"), `--region "evil.example.com#"` + form},
		{"upper case", append(pool, "--region", "EU-WEST-1"), `--region "EU-WEST-1"` + form},
		{"no pool, still checked", []string{"--region", "../../"}, `--region "../../"` + form},
		{"profile", []string{"--config", cfg, "--profile", "p"}, `the profile's region "eu-west-1/../x"` + form},
		{"long", append(pool, "--region", strings.Repeat("x", 500)), `--region "` + strings.Repeat("x", 80) + `"…` + form},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parse(t, nil, c.args...); err == nil || err.Error() != c.want {
				t.Errorf("err = %v\nwant  %s", err, c.want)
			}
		})
	}
	if _, err := parse(t, nil, "--user-pool-id", "../../-a-b_AbC123", "--client-id", "c"); err == nil || !strings.Contains(err.Error(), "is not a user pool ID") {
		t.Errorf("a pool ID whose prefix is not a region: %v", err)
	}
	if _, err := parsePool(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--region", "../../"); err == nil || !strings.Contains(err.Error(), "not an AWS region name") {
		t.Errorf("admin: %v", err)
	}
}

func TestEndpointURLMustBeHTTPWithAHost(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:9229", "https://cognito-idp.eu-west-1.amazonaws.com", "http://[::1]:9229/", "https://proxy.example.com/cognito"} {
		if _, err := parse(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--client-id", "c", "--endpoint-url", u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	const form = " is not an endpoint URL; give http:// or https://, a host and, if needed, a port, such as http://127.0.0.1:9229"
	cfg := writeConfig(t, `{"profiles": {"p": {"user_pool_id": "eu-west-1_AbC123", "client_id": "c", "endpoint_url": "ftp://x"}}}`)
	pool := []string{"--user-pool-id", "eu-west-1_AbC123", "--client-id", "c"}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"file", append(pool, "--endpoint-url", "file:///etc/passwd"), `--endpoint-url "file:///etc/passwd"` + form},
		{"not a url", append(pool, "--endpoint-url", "not a url"), `--endpoint-url "not a url"` + form},
		{"no host", append(pool, "--endpoint-url", "http://"), `--endpoint-url "http://"` + form},
		{"no scheme", append(pool, "--endpoint-url", "127.0.0.1:9229"), `--endpoint-url "127.0.0.1:9229"` + form},
		{"bad port", append(pool, "--endpoint-url", "http://127.0.0.1:99999"), `--endpoint-url "http://127.0.0.1:99999"` + form},
		{"query", append(pool, "--endpoint-url", "http://127.0.0.1:9229/?x=1"), `--endpoint-url "http://127.0.0.1:9229/?x=1"` + form},
		{"user info", append(pool, "--endpoint-url", "http://admin:hunter2@127.0.0.1:9229"), "--endpoint-url has a user name or password in it; an endpoint URL takes none, such as http://127.0.0.1:9229"},
		{"profile", []string{"--config", cfg, "--profile", "p"}, `the profile's endpoint_url "ftp://x"` + form},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(t, nil, c.args...)
			if err == nil || err.Error() != c.want {
				t.Errorf("err = %v\nwant  %s", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Error("the sentence repeats a password")
			}
		})
	}
	if _, err := parsePool(t, nil, "--user-pool-id", "eu-west-1_AbC123", "--endpoint-url", "file:///etc/passwd"); err == nil || !strings.Contains(err.Error(), "is not an endpoint URL") {
		t.Errorf("admin: %v", err)
	}
}
