package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/ui"
)

// TestMetricsCountWhatHappened: after a failed sign-in then an enrollment,
// a ctrl+c and a refusal, a scrape of /metrics says so, with no username,
// address, password or secret anywhere in it.
func TestMetricsCountWhatHappened(t *testing.T) {
	t.Parallel()
	pool := localPoolWizards(t)
	metrics := NewMetrics()
	ts := startServer(t, Config{Wizards: PoolWizards(metrics.InstrumentCognito(pool.api), pool.pool, ui.Options{PoolLabel: "test pool"}),
		Metrics: metrics})
	web := httptest.NewServer(ts.Handler())
	t.Cleanup(web.Close)

	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")
	if got := scrape(t, web.URL)[`cognito_totp_serve_sessions_active`]; got != 1 {
		t.Errorf("sessions_active %v with one session open, want 1", got)
	}
	tm.typ(pool.demo.Username)
	tm.enter()
	tm.typ("Not-The-Passw0rd!")
	tm.enter()
	tm.waitFor("The username or password is not right")
	tm.typ(strings.Repeat("\x7f", len("Not-The-Passw0rd!")) + pool.demo.TemporaryPassword)
	tm.enter()
	tm.setNewPassword()
	secret := tm.readSecret()
	tm.confirm(secret)
	tm.typ("q")
	if got := tm.waitExit(); got != exitEnrolled {
		t.Fatalf("exit %d, want %d", got, exitEnrolled)
	}

	other := openTerminal(t, ts.mustDial(t))
	other.waitFor("Username:")
	other.typ("\x03")
	other.waitExit()
	noPTY := openSession(t, ts.mustDial(t))
	noPTY.shell()
	noPTY.waitExit()
	waitLive(t, ts, 0)

	body := scrapeText(t, web.URL)
	got := parseScrape(t, body)
	for series, want := range map[string]float64{
		`cognito_totp_serve_sessions_active`:                                   0,
		`cognito_totp_serve_sessions_total{ended="finished"}`:                  2,
		`cognito_totp_serve_sessions_total{ended="idle_timeout"}`:              0,
		`cognito_totp_serve_enrollments_total`:                                 1,
		`cognito_totp_serve_time_to_enroll_seconds_count`:                      1,
		`cognito_totp_serve_session_duration_seconds_count`:                    2,
		`cognito_totp_serve_refusals_total{reason="no_terminal"}`:              1,
		`cognito_totp_serve_refusals_total{reason="busy"}`:                     0,
		`cognito_totp_serve_failures_total{kind="BadCredentials"}`:             1,
		`cognito_totp_serve_cognito_request_errors_total{operation="GetUser"}`: 0,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (present: %v), want %v", series, v, ok, want)
		}
	}
	if n := got[`cognito_totp_serve_cognito_request_duration_seconds_count{operation="VerifySoftwareToken"}`]; n != 1 {
		t.Errorf("VerifySoftwareToken timed %v times, want 1", n)
	}
	if n := got[`cognito_totp_serve_cognito_request_errors_total{operation="RespondToAuthChallenge"}`] +
		got[`cognito_totp_serve_cognito_request_errors_total{operation="InitiateAuth"}`]; n != 1 {
		t.Errorf("%v failed sign-in calls counted, want 1 (the wrong password)", n)
	}
	if got[`go_goroutines`] == 0 || got[`process_resident_memory_bytes`] == 0 {
		t.Errorf("the runtime's and the process's own metrics are missing")
	}
	for what, s := range map[string]string{"the username": pool.demo.Username, "an address": "127.0.0.1",
		"the new password": newPassword, "the temporary password": pool.demo.TemporaryPassword, "the secret": secret, "the user key": "tester"} {
		if strings.Contains(body, s) {
			t.Errorf("the metrics carry %s", what)
		}
	}
}

// TestFlowFailuresAreCounted: the metrics observe the wizard's flow, so
// each Cognito call that fails is counted under its Kind and each refused
// authenticator code under its cause, and a call that succeeds counts
// nothing. The failures are real ones, from the local endpoint: a wrong
// password, a client secret not given, and a code from another
// authenticator entry.
func TestFlowFailuresAreCounted(t *testing.T) {
	t.Parallel()
	srv := localtest.New(t)
	pool := srv.Pool(localtest.MFAOn)
	user := pool.User("mona")
	m := NewMetrics()
	ctx := context.Background()
	client := func(app localtest.AppClient) *flow.Client {
		fp := flow.Pool{UserPoolID: pool.ID, ClientID: app.ID, Region: localtest.Region}
		api, err := flow.NewAPI(ctx, fp, flow.Endpoint{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		return flow.New(api, fp, flow.WithClock(srv.Clock.Now), m.flowOption())
	}
	c := client(pool.Client())

	_, err := c.SignIn(ctx, user.Name, "Not-The-Passw0rd!")
	wantFlowKind(t, err, flow.KindBadCredentials)
	_, err = client(pool.Client(localtest.WithSecret())).SignIn(ctx, user.Name, user.Password)
	wantFlowKind(t, err, flow.KindClientSecret)
	step, err := c.SignIn(ctx, user.Name, user.Password)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := c.BeginTOTP(ctx, step)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ConfirmTOTP(ctx, setup, srv.Code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
	wantFlowKind(t, err, flow.KindWrongCode)
	if _, err := c.ConfirmTOTP(ctx, setup, srv.Code(setup.Secret)); err != nil {
		t.Fatal(err)
	}

	for name, want := range map[string]map[string]float64{
		"cognito_totp_serve_failures_total": {
			flow.KindBadCredentials.String(): 1, flow.KindClientSecret.String(): 1, flow.KindWrongCode.String(): 1},
		"cognito_totp_serve_code_refusals_total": {string(flow.CauseOtherEntry): 1},
	} {
		got := counterValues(t, m, name)
		for label, n := range want {
			if got[label] != n {
				t.Errorf("%s{%s} = %v, want %v (all: %v)", name, label, got[label], n, got)
			}
		}
		for label, n := range got {
			if _, ok := want[label]; !ok && n != 0 {
				t.Errorf("%s{%s} = %v, want 0", name, label, n)
			}
		}
	}
}

func wantFlowKind(t *testing.T, err error, k flow.Kind) {
	t.Helper()
	if got := flow.KindOf(err); got != k {
		t.Fatalf("error %v of kind %v, want %v", err, got, k)
	}
}

// counterValues are the values of the counter vector name, by its one label.
func counterValues(t *testing.T, m *Metrics, name string) map[string]float64 {
	t.Helper()
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, c := range f.GetMetric() {
			got[c.GetLabel()[0].GetValue()] = c.GetCounter().GetValue()
		}
	}
	if len(got) == 0 {
		t.Fatalf("no series of %s", name)
	}
	return got
}

// TestReadyzTurnsFirstOnShutdown: /healthz and /readyz say 200 while
// serving; on shutdown /readyz says 503 at once, while new sessions are
// still taken for the drain delay and before the grace begins; once the
// listener is closed /healthz says 503 too.
func TestReadyzTurnsFirstOnShutdown(t *testing.T) {
	t.Parallel()
	const delay = 2 * time.Second
	ts := startServer(t, Config{DrainDelay: delay, ShutdownGrace: time.Second})
	web := httptest.NewServer(ts.Handler())
	t.Cleanup(web.Close)
	if h, r := status(t, web.URL+"/healthz"), status(t, web.URL+"/readyz"); h != 200 || r != 200 {
		t.Fatalf("serving: /healthz %d, /readyz %d; want 200, 200", h, r)
	}
	ts.stop()
	eventually.Require(t, patience, func() bool { return status(t, web.URL+"/readyz") == http.StatusServiceUnavailable },
		func() string { return "/readyz still ready after shutdown began" })
	if strings.Contains(ts.logs.String(), "shutting down") {
		t.Errorf("the grace began before /readyz said unready")
	}
	if h := status(t, web.URL+"/healthz"); h != 200 {
		t.Errorf("/healthz %d during the drain delay, want 200 (still accepting)", h)
	}
	late := openTerminal(t, ts.mustDial(t))
	late.waitFor("Username:")
	late.waitExit() // ended by the shutdown grace
	ts.waitForLog(t, "shutting down")
	eventually.Require(t, patience, func() bool { return status(t, web.URL+"/healthz") == http.StatusServiceUnavailable },
		func() string { return "/healthz still healthy with the listener closed" })
}

func TestCheckMetricsAddr(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ssh, metrics string
		ok           bool
	}{
		{"127.0.0.1:2222", "127.0.0.1:9100", true},
		{"127.0.0.1:2222", "127.0.0.1:2222", false},
		{":2222", "127.0.0.1:2222", false},
		{"127.0.0.1:2222", "0.0.0.0:2222", false},
		{"127.0.0.1:2222", "127.0.0.2:2222", true},
		{"[::]:2222", "localhost:2222", false},
		{"127.0.0.1:2222", "9100", false},
	} {
		if err := CheckMetricsAddr(c.ssh, c.metrics); (err == nil) != c.ok {
			t.Errorf("CheckMetricsAddr(%q, %q) = %v, want ok %v", c.ssh, c.metrics, err, c.ok)
		}
	}
}

// httptestServer serves ts's metrics and health for the test; its URL.
func httptestServer(t *testing.T, ts *testServer) string {
	t.Helper()
	web := httptest.NewServer(ts.Handler())
	t.Cleanup(web.Close)
	return web.URL
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func scrapeText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("scraping: %d, %v", resp.StatusCode, err)
	}
	return string(b)
}

func scrape(t *testing.T, url string) map[string]float64 { return parseScrape(t, scrapeText(t, url)) }

// parseScrape reads the text exposition format: each series as written
// (name{labels}) to its value.
func parseScrape(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, line := range strings.Split(body, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}
