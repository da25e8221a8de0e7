package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mdp/qrterminal/v3"

	"github.com/cognito-totp/cognito-totp/flow"
)

// qrterminal ignores its encoder's error and panics on text too long for a
// QR code; newQRCode asks the encoder first. When this test fails, qrterminal
// checks the error itself and the check in newQRCode may go.
func TestQrterminalPanicsOnTextTooLongForACode(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("qrterminal no longer panics on text too long for a QR code")
		}
	}()
	var b strings.Builder
	qrterminal.GenerateWithConfig(strings.Repeat("x", 3000), qrterminal.Config{Level: qrterminal.L, Writer: &b, HalfBlocks: true})
}

// An issuer too long for a QR code (1,500 characters) draws no code and
// never panics, at any size; where the long title leaves room, the secret
// screen says why there is no QR code and shows the secret to type.
func TestASecretTooLongForAQRCodeIsShownWithoutOne(t *testing.T) {
	issuer := strings.Repeat("Acme ", 300)
	setup := testSetup()
	setup.Issuer = issuer
	setup.URI = flow.OTPAuthURI(issuer, setup.Account, setup.Secret)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {400, 200}} {
		a := newTestApp(t, testOptions(), size[0], size[1])
		press(a, "demo-user", "enter", "Passw0rd!", "enter")
		reply(t, a, stepMsg{step: mfaSetupStep()})
		reply(t, a, setupMsg{setup: setup}) // the code is drawn here
		words := screenWords(a)             // and laid out here
		if size[0] < 200 {
			continue // the title alone fills the window
		}
		if !strings.Contains(words, "too long for a QR code") {
			t.Errorf("%dx%d: the screen does not say why there is no QR code:\n%s", size[0], size[1], screenText(a))
		}
		if !strings.Contains(words, "JBSW Y3DP") {
			t.Errorf("%dx%d: the secret to type is not on screen:\n%s", size[0], size[1], screenText(a))
		}
	}
}

// CheckIssuer refuses, at start-up, an issuer that makes the otpauth URI too
// long for a QR code with some username Cognito allows, and takes any issuer
// that fits with the longest one; the limit it names is right.
func TestCheckIssuer(t *testing.T) {
	for _, ok := range []string{"", "AWSCognito", "Acme Corp — staging", strings.Repeat("a", 600)} {
		if err := CheckIssuer(ok); err != nil {
			t.Errorf("CheckIssuer(%d characters) = %v, want nil", len(ok), err)
		}
	}
	err := CheckIssuer(strings.Repeat("a", 1500))
	if err == nil {
		t.Fatal("a 1,500-character issuer was taken")
	}
	m := regexp.MustCompile(`at most (\d+) letters`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("the sentence names no limit: %v", err)
	}
	most, _ := strconv.Atoi(m[1])
	longest := strings.Repeat("\U0001F600", MaxUsernameLength)
	for _, tc := range []struct {
		n    int
		fits bool
	}{{most, true}, {most + 1, false}} {
		issuer := strings.Repeat("a", tc.n)
		uri := flow.OTPAuthURI(issuer, longest, strings.Repeat("A", 32))
		if got := newQRCode(uri, 1).height > 0; got != tc.fits {
			t.Errorf("an issuer of %d characters with the longest username: drawn %v, want %v", tc.n, got, tc.fits)
		}
		if got := CheckIssuer(issuer) == nil; got != tc.fits {
			t.Errorf("CheckIssuer(%d characters) took it: %v, want %v", tc.n, got, tc.fits)
		}
	}
}
