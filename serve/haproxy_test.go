package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/sshchurn"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
	"github.com/cognito-totp/cognito-totp/ui"
)

// requirePeers, when "1" (as .ci/run sets it), turns a missing haproxy or
// ssh into a failure instead of a skip.
const requirePeers = "COGNITO_TOTP_REQUIRE_PEERS"

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(requirePeers) == "1" {
			t.Fatalf("%s is not installed, and %s=1 requires it (.ci/apt-packages lists it)", name, requirePeers)
		}
		t.Skipf("%s is not installed; skipping the test that runs it", name)
	}
	return path
}

// TestBehindHAProxy: Debian's haproxy, with send-proxy-v2 and a check on
// each instance's /readyz, in front of two serve instances sharing one host
// key. Sessions through it land on both, each enrolls end to end with the
// stock OpenSSH client (which checks the one host key), and each instance
// logs the client's own loopback address, not HAProxy's. Then one instance
// drains (the shutdown a SIGTERM starts): HAProxy stops sending it new
// sessions while the other takes them, and its live session carries on.
func TestBehindHAProxy(t *testing.T) {
	t.Parallel()
	haproxy := needTool(t, "haproxy")
	sshPath := needTool(t, "ssh")

	hostKey := filepath.Join(t.TempDir(), "ssh_host_ed25519_key") // one key, as a mounted secret
	balancer := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	var instances [2]*testServer
	var health [2]string
	for i := range instances {
		instances[i] = startServer(t, Config{HostKeyPath: hostKey, ProxyProtocol: true, ProxyAllow: balancer,
			DrainDelay: 3 * time.Second, ShutdownGrace: 20 * time.Second,
			Wizards: DemoWizards("serve-test", ui.Options{CallTimeout: 20 * time.Second})})
		mln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hs := &http.Server{Handler: instances[i].Handler(), ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = hs.Serve(mln) }()
		t.Cleanup(func() { _ = hs.Close() })
		health[i] = mln.Addr().String()
	}
	a, b := instances[0], instances[1]
	if a.HostKey().Type() != b.HostKey().Type() || string(a.HostKey().Marshal()) != string(b.HostKey().Marshal()) {
		t.Fatal("the two instances serve different host keys from one file")
	}

	front := startHAProxy(t, haproxy, [2]string{a.addr, b.addr}, health)
	host, port, _ := net.SplitHostPort(front)

	// Round robin: one enrollment on each, from a loopback address of its own.
	openSSHEnroll(t, sshPath, host, port, a.HostKey(), "127.0.0.21")
	openSSHEnroll(t, sshPath, host, port, a.HostKey(), "127.0.0.22")
	for i, ts := range instances {
		if n := strings.Count(ts.logs.String(), "outcome=Enrolled"); n != 1 {
			t.Errorf("instance %d: %d enrollments, want 1 (round robin over two)", i, n)
		}
		logs := ts.logs.String()
		if !regexp.MustCompile(`msg=connect session=\d+ remote=127\.0\.0\.2[12]:\d+ user=enroller`).MatchString(logs) {
			t.Errorf("instance %d did not log the client's own address (127.0.0.21 or .22):\n%s", i, logs)
		}
		if strings.Contains(logs, "remote=127.0.0.1:") { // HAProxy connects from 127.0.0.1; the clients from .21 and .22
			t.Errorf("instance %d logged HAProxy's address:\n%s", i, logs)
		}
	}

	// A live session through HAProxy, then its instance (a) drains.
	target := sshchurn.Target{Addr: front, HostKey: a.HostKey(), Patience: patience, LocalIP: "127.0.0.23"}
	liveCtx, endLive := context.WithCancel(context.Background())
	live := make(chan error, 1)
	go func() { live <- sshchurn.Run(liveCtx, target, sshchurn.Hold) }()
	eventually.Require(t, patience, func() bool { return a.liveCount()+b.liveCount() == 1 },
		func() string { return "the live session did not start" })
	drained := 0
	if b.liveCount() == 1 {
		a, b, drained = b, a, 1
	}
	a.stop()
	eventually.Require(t, patience, func() bool { return status(t, "http://"+health[drained]+"/readyz") == http.StatusServiceUnavailable },
		func() string { return "a's /readyz did not turn unready" })
	time.Sleep(time.Second) // HAProxy checks every 100 ms and takes one failure as down
	before := strings.Count(b.logs.String(), "msg=connect")
	for i := range 3 {
		target.LocalIP = fmt.Sprintf("127.0.0.%d", 31+i)
		if err := sshchurn.Run(context.Background(), target, sshchurn.Interrupt); err != nil {
			t.Errorf("a session while a drains: %v", err)
		}
	}
	if got := strings.Count(b.logs.String(), "msg=connect") - before; got != 3 {
		t.Errorf("b took %d of the 3 sessions opened while a drained, want all 3", got)
	}
	if strings.Contains(a.logs.String(), "remote=127.0.0.3") {
		t.Errorf("HAProxy sent a draining instance a new session:\n%s", a.logs.String())
	}
	if a.liveCount() != 1 {
		t.Errorf("a's live session did not carry on while it drained")
	}
	endLive()
	if err := <-live; err != nil {
		t.Errorf("the live session on the draining instance: %v", err)
	}
}

// startHAProxy runs haproxy in the foreground on a free loopback port, in
// front of the two SSH addresses, checking each /readyz; it returns the
// front address once both servers are up.
func startHAProxy(t *testing.T, haproxy string, backends, health [2]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front := ln.Addr().String()
	ln.Close()
	var servers strings.Builder
	for i := range backends {
		_, hport, _ := net.SplitHostPort(health[i])
		fmt.Fprintf(&servers, "    server s%d %s send-proxy-v2 check port %s inter 100ms fall 1 rise 1\n", i, backends[i], hport)
	}
	cfg := fmt.Sprintf(`global
    log stderr format raw local0 warning
defaults
    mode tcp
    timeout connect 5s
    timeout client 5m
    timeout server 5m
frontend ssh
    bind %s
    default_backend serve
backend serve
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
%s`, front, servers.String())
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(haproxy, "-c", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s\n%s", err, out, cfg)
	}
	cmd := exec.Command(haproxy, "-db", "-f", path)
	logs := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("haproxy's log:\n%s", logs.String())
		}
	})
	probe := net.Dialer{Timeout: time.Second, LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 9)}} // not a client the test counts
	eventually.Require(t, patience, func() bool {
		c, err := probe.Dial("tcp", front)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, func() string { return fmt.Sprintf("haproxy did not listen on %s:\n%s", front, logs.String()) })
	time.Sleep(500 * time.Millisecond) // its first checks of both servers
	return front
}
