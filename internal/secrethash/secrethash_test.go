package secrethash

import "testing"

// The value openssl gives for these inputs:
// echo -n 'aliceclient123' | openssl dgst -sha256 -hmac 'secret' -binary | base64
func TestOfMatchesOpenSSL(t *testing.T) {
	const want = "oKHO337pkuh1r3zUNCZ1oCL3YgM0Yi2nkcAZsKQTIH8="
	if got := Of("secret", "alice", "client123"); got != want {
		t.Fatalf("Of = %s, want %s", got, want)
	}
	if !Equal(want, Of("secret", "alice", "client123")) || Equal(want, Of("secret", "Alice", "client123")) {
		t.Fatal("Equal does not tell the right hash from the wrong one")
	}
}
