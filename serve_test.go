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
