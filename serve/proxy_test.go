package serve

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pires/go-proxyproto"

	"github.com/cognito-totp/cognito-totp/internal/sshchurn"
)

// withProxyHeader sends a PROXY v2 (or v1) header saying the client is from.
func withProxyHeader(version byte, from string) func(net.Conn) (net.Conn, error) {
	return func(c net.Conn) (net.Conn, error) {
		src := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(from))
		if _, err := proxyproto.HeaderProxyFromAddrs(version, src, c.RemoteAddr()).WriteTo(c); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
}

// TestProxyProtocolGivesTheClientsAddress: behind a balancer, the log and
// the per-address cap see the address in the PROXY header (v1 and v2), not
// the balancer's.
func TestProxyProtocolGivesTheClientsAddress(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{ProxyProtocol: true, ProxyAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, MaxNewPerMinute: 1})
	run := func(version byte, from string, way sshchurn.Way) {
		t.Helper()
		target := sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience, Transform: withProxyHeader(version, from)}
		if err := sshchurn.Run(context.Background(), target, way); err != nil {
			t.Errorf("from %s: %v", from, err)
		}
	}
	run(2, "192.0.2.7:50001", sshchurn.Interrupt)
	ts.waitForLog(t, "remote=192.0.2.7:50001")
	run(2, "192.0.2.7:50002", sshchurn.Refused) // the same client again: over its cap of one a minute
	run(1, "198.51.100.9:40000", sshchurn.Interrupt)
	run(2, "[2001:db8::5]:40000", sshchurn.Interrupt)
	ts.waitForLog(t, "remote=198.51.100.9:40000")
	ts.waitForLog(t, "remote=[2001:db8::5]:40000")
	ts.waitForLog(t, `remote=192.0.2.7:50002 user=churn reason="too many new connections from this address"`)
	if logs := ts.logs.String(); strings.Contains(logs, "remote=127.0.0.1") {
		t.Errorf("the balancer's address reached the log:\n%s", logs)
	}
}

// TestProxyHeaderFromASourceNotAllowedIsRefused: only the balancers in
// ProxyAllow may say who the client is; a header from anyone else is
// refused before the handshake, and a connection with no header from
// elsewhere is served as it is. A balancer that sends no header is refused.
func TestProxyHeaderFromASourceNotAllowedIsRefused(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{ProxyProtocol: true, ProxyAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}})
	forged := sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience, Transform: withProxyHeader(2, "203.0.113.1:1")}
	if err := sshchurn.Run(context.Background(), forged, sshchurn.Interrupt); err == nil {
		t.Errorf("a PROXY header from 127.0.0.1, not allowed, was believed")
	}
	ts.waitForLog(t, `remote=127.0.0.1:`)
	ts.waitForLog(t, `reason="PROXY header from a source not allowed"`)
	if strings.Contains(ts.logs.String(), "203.0.113.1") {
		t.Errorf("the forged address reached the log")
	}

	direct := sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience}
	if err := sshchurn.Run(context.Background(), direct, sshchurn.Interrupt); err != nil {
		t.Errorf("a direct connection with no header: %v", err)
	}

	balancer := sshchurn.Target{Addr: ts.addr, HostKey: ts.HostKey(), Patience: patience, LocalIP: "127.0.0.2"}
	start := time.Now()
	if err := sshchurn.Run(context.Background(), balancer, sshchurn.Interrupt); err == nil {
		t.Errorf("an allowed balancer's connection without a PROXY header was served")
	}
	if took := time.Since(start); took > proxyHeaderTimeout+5*time.Second {
		t.Errorf("refused after %s", took)
	}
	ts.waitForLog(t, `reason="no valid PROXY header from an allowed balancer"`)
	web := scrape(t, httptestServer(t, ts))
	if web[`cognito_totp_serve_refusals_total{reason="proxy_not_allowed"}`] != 1 || web[`cognito_totp_serve_refusals_total{reason="proxy_header_missing"}`] != 1 {
		t.Errorf("refusals not counted by reason")
	}
}

func TestProxyConfig(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{HostKeyPath: t.TempDir() + "/k", IdleTimeout: 1, MaxSessions: 1, MaxNewPerMinute: 1, Wizards: localPoolWizards(t).wizards,
		ProxyProtocol: true}); err == nil || !strings.Contains(err.Error(), "--proxy-allow") {
		t.Errorf("--proxy-protocol without --proxy-allow: %v", err)
	}
	got, err := ParseProxyAllow([]string{"10.0.0.0/8", " 192.0.2.1", "2001:db8::/32", "10.1.2.3/16"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmtPrefixes(got), "10.0.0.0/8 192.0.2.1/32 2001:db8::/32 10.1.0.0/16"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := ParseProxyAllow([]string{"10.0.0.0/33"}); err == nil {
		t.Errorf("a bad CIDR was taken")
	}
}

func fmtPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, " ")
}
