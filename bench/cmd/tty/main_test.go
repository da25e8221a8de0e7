//go:build linux

package main

import "testing"

func TestReadSecretBesideTheQRCode(t *testing.T) {
	screen := " █▄▄▄▄▄▄▄█ ▀ ▀ ▀ █▄▄▄▄▄▄▄█     type this secret into it:\n" +
		" █▄ ▄█  ▄ ▄█▄█ ▄██   ▀ ▀▀█     FUWE GPPH LGCC VCTL\n" +
		" ██▄█ ██▄███▀▀▄ ▀▀▀ ██▀▀▄█     YYWC GHH6 32KV R7WH\n" +
		" ███ ▀▄▄▄▄▀▄▄██ ██▀  ▀▀▀▀▀\n"
	if got, want := readSecret(screen), "FUWEGPPHLGCCVCTLYYWCGHH632KVR7WH"; got != want {
		t.Fatalf("secret %q, want %q", got, want)
	}
	wide := "  1. Scan the QR code with the app, or type this secret into it:\n     5ZJP 42UL FXDM BSPO SOQA DDVO HK6R FG7J\n"
	if got, want := readSecret(wide), "5ZJP42ULFXDMBSPOSOQADDVOHK6RFG7J"; got != want {
		t.Fatalf("secret %q, want %q", got, want)
	}
	if got := readSecret("no secret here"); got != "" {
		t.Fatalf("secret %q from a screen without one", got)
	}
}
