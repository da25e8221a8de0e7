package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/flow"
)

// Benchmarks of the wizard's hot drawing, for benchstat. bench/run runs them;
// `go test` alone does not. What reaches a real terminal (bytes, redraws) is
// measured by bench/cmd/tty in a pseudo-terminal.

const benchSecret = "MOPDM4TUQ4KPVJY6AUYX7IO42TEPADKR"

var benchURI = flow.OTPAuthURI("cognito-totp demo", "demo", benchSecret)

// BenchmarkQRGenerate draws the otpauth URI as half-block QR codes (both
// quiet zones), done once when the secret screen opens.
func BenchmarkQRGenerate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if q := newQRCodes(benchURI); q.tight.height == 0 {
			b.Fatal("no QR code")
		}
	}
}

// BenchmarkQRRender paints a drawn code in its fixed colours, as every frame
// of the secret screen does.
func BenchmarkQRRender(b *testing.B) {
	q := newQRCodes(benchURI).tight
	style := DefaultStyles().QR
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = q.render(style)
	}
}

// BenchmarkSecretScreenView is one whole frame of the secret screen, what
// each tick of the session clock costs before the renderer diffs it.
func BenchmarkSecretScreenView(b *testing.B) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		b.Run(size.name, func(b *testing.B) {
			now := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
			a := New(Options{PoolLabel: "eu-west-1_AbC123 · client 1a2b3c4d…", Now: func() time.Time { return now }})
			a.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
			a.showSecret(flow.Setup{Secret: benchSecret, URI: benchURI, Issuer: "cognito-totp demo", Account: "demo",
				Username: "demo", Session: "session", Expires: now.Add(3 * time.Minute)})
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = a.View()
			}
		})
	}
}
