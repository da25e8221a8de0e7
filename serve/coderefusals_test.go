package serve

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/ui"
)

// TestRefusedCodesAreCountedByCause: over SSH, a code of a phone 2 minutes
// slow and a code of another entry are refused with their causes on screen,
// and /metrics counts each by cause.
func TestRefusedCodesAreCountedByCause(t *testing.T) {
	t.Parallel()
	pool := localPoolWizards(t)
	metrics := NewMetrics()
	ts := startServer(t, Config{Wizards: PoolWizards(pool.api, pool.pool, ui.Options{PoolLabel: "test pool"}), Metrics: metrics})
	web := httptest.NewServer(ts.Handler())
	t.Cleanup(web.Close)

	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")
	tm.typ(pool.demo.Username)
	tm.enter()
	tm.typ(pool.demo.TemporaryPassword)
	tm.enter()
	tm.setNewPassword()
	secret := tm.readSecret()
	slow, err := totp.GenerateCode(secret, time.Now().Add(-2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	tm.typ(slow)
	tm.enter()
	tm.waitFor("about 2 minutes behind")
	other, err := totp.GenerateCode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tm.typ(other)
	tm.enter()
	tm.waitFor("different entry")
	tm.confirm(secret)
	tm.typ("q")
	tm.waitExit()

	got := parseScrape(t, scrapeText(t, web.URL))
	for series, want := range map[string]float64{
		`cognito_totp_serve_code_refusals_total{cause="clock_behind"}`: 1,
		`cognito_totp_serve_code_refusals_total{cause="clock_ahead"}`:  0,
		`cognito_totp_serve_code_refusals_total{cause="reused"}`:       0,
		`cognito_totp_serve_code_refusals_total{cause="other_entry"}`:  1,
		`cognito_totp_serve_failures_total{kind="WrongCode"}`:          2,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (present: %v), want %v", series, v, ok, want)
		}
	}
}
