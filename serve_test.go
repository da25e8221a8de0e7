package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesMetricsOnTheSSHAddress: --metrics-listen on the SSH
// address is refused with a sentence, before anything listens.
func TestServeRefusesMetricsOnTheSSHAddress(t *testing.T) {
	cmd := serveCommand()
	cmd.SetArgs([]string{"--listen", "127.0.0.1:2299", "--metrics-listen", "127.0.0.1:2299",
		"--host-key", filepath.Join(t.TempDir(), "key")})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "must not be the SSH address") {
		t.Fatalf("got %v, want a refusal of the metrics address", err)
	}
}

// TestServeRefusesBadLimits: --max-startups that is not start:rate:full (or
// one number) and a --start-timeout of zero are refused with a sentence
// naming the flag, before anything listens.
func TestServeRefusesBadLimits(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-startups", "10:30"}, "--max-startups must be start:rate:full"},
		{[]string{"--max-startups", "100:30:10"}, "--max-startups: full cannot be less than start"},
		{[]string{"--max-startups", "10:130:100"}, "--max-startups: rate is a percentage"},
		{[]string{"--start-timeout", "0s"}, "--start-timeout must be more than zero"},
	} {
		cmd := serveCommand()
		cmd.SetArgs(append([]string{"--listen", "127.0.0.1:0", "--host-key", filepath.Join(t.TempDir(), "key")}, c.args...))
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want %q", c.args, err, c.want)
		}
	}
}
