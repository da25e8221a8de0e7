package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// An issuer too long for a QR code is refused at start-up with a sentence
// and exit 1, before anything is asked or any secret made: on the secret
// screen it could not be drawn.
func TestAnIssuerTooLongForAQRCodeIsRefusedAtStartUp(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	cmd := exec.Command(bin, "--plain", "--issuer", strings.Repeat("Acme", 375))
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
		t.Fatalf("exit %v, want %d", err, exitFailed)
	}
	if !strings.Contains(stderr.String(), "too long for a QR code") {
		t.Errorf("no sentence about the issuer; stderr:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "Password") {
		t.Errorf("the wizard started before the issuer was checked:\n%s", stdout.String())
	}
}
