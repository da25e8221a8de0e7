package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServePropagateClientIPNeedsASecret: Cognito takes UserContextData
// only from an app client with a secret, so --propagate-client-ip without
// one is refused with a sentence, before anything listens.
func TestServePropagateClientIPNeedsASecret(t *testing.T) {
	t.Setenv("COGNITO_TOTP_CLIENT_SECRET", "")
	cmd := serveCommand()
	cmd.SetArgs([]string{"--listen", "127.0.0.1:0", "--propagate-client-ip", "--user-pool-id", "eu-west-1_AbC123",
		"--client-id", "1example23456789", "--host-key", filepath.Join(t.TempDir(), "key")})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "--propagate-client-ip needs an app client with a secret") {
		t.Fatalf("got %v, want a refusal naming the secret", err)
	}
}
