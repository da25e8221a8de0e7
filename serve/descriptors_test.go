//go:build unix

package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/cognitolocal/localtest"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/ui"
)

const (
	shortOfDescriptorsEnv = "COGNITO_TOTP_TEST_SERVE_FD_LIMIT"
	helperFDLimit         = 128
)

// serveShortOfDescriptors is the helper process of TestShortOfDescriptors:
// a server (and its /healthz) in a process of at most helperFDLimit open
// files, on loopback, until its standard input closes. It prints its SSH
// address, metrics address and host key on one line.
func serveShortOfDescriptors() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 1 }
	lim := syscall.Rlimit{Cur: helperFDLimit, Max: helperFDLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fail(err)
	}
	local := localtest.NewServer() // a failure to start it panics, which fails the helper process
	defer local.Close()
	demo := local.Demo()
	p := flow.Pool{UserPoolID: demo.UserPoolID, ClientID: demo.ClientID, Region: demo.Region, Issuer: "serve-test"}
	api, err := flow.NewAPI(context.Background(), p, flow.Endpoint{URL: local.URL})
	if err != nil {
		return fail(err)
	}
	dir, err := os.MkdirTemp("", "serve-fd")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	srv, err := New(Config{HostKeyPath: filepath.Join(dir, "key"), IdleTimeout: time.Minute, MaxSessions: 5,
		MaxNewPerMinute: 1000, ShutdownGrace: time.Second, HandshakeTimeout: time.Minute,
		Wizards: PoolWizards(api, p, ui.Options{PoolLabel: "test pool"})})
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	go func() { _ = srv.ServeHTTP(ctx, mln) }()
	fmt.Printf("%s %s %s", ln.Addr(), mln.Addr(), gossh.MarshalAuthorizedKey(srv.HostKey()))
	if err := srv.Serve(ctx, ln); err != nil {
		return fail(err)
	}
	return 0
}

// TestShortOfDescriptors: a server allowed few open files, flooded with
// connections from many addresses that never authenticate, keeps
// descriptors for /healthz, which answers throughout; refuses the rest
// without spinning; and serves an honest client once the flood is gone.
func TestShortOfDescriptors(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), shortOfDescriptorsEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(patience):
			_ = cmd.Process.Kill()
			t.Error("the server process did not stop")
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("the server process said nothing: %v", err)
	}
	f := strings.SplitN(strings.TrimSpace(line), " ", 3)
	if len(f) != 3 {
		t.Fatalf("the server process said %q", line)
	}
	sshAddr, metricsAddr := f[0], f[1]
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey([]byte(f[2]))
	if err != nil {
		t.Fatal(err)
	}
	healthy := func() error {
		c := http.Client{Timeout: 2 * time.Second}
		resp, err := c.Get("http://" + metricsAddr + "/healthz")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %s", resp.Status)
		}
		return nil
	}
	if err := healthy(); err != nil {
		t.Fatalf("/healthz before the flood: %v", err)
	}

	// 300 connections from 30 addresses, each sending a version line only:
	// more than the process has descriptors for.
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	for i := range 300 {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i%30))}, Timeout: patience}
		c, err := d.Dial("tcp", sshAddr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		_, _ = io.WriteString(c, "SSH-2.0-flood\r\n")
		flood = append(flood, c)
	}
	time.Sleep(500 * time.Millisecond)
	for i := range 3 {
		if err := healthy(); err != nil {
			t.Fatalf("/healthz during the flood (%d): %v", i, err)
		}
	}
	held := 0
	for _, c := range flood {
		_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if _, err := io.Copy(io.Discard, c); isTimeout(err) {
			held++
		}
	}
	t.Logf("%d of 300 connections held by a server allowed %d open files", held, helperFDLimit)
	if held >= helperFDLimit {
		t.Errorf("%d connections held with %d descriptors", held, helperFDLimit)
	}
	for _, c := range flood {
		c.Close()
	}
	flood = nil

	// Once the flood is gone, an honest client gets in.
	var c *gossh.Client
	for range 50 {
		c, err = gossh.Dial("tcp", sshAddr, &gossh.ClientConfig{User: "honest", Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner())},
			HostKeyCallback: gossh.FixedHostKey(hostKey), Timeout: patience})
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("an honest client could not connect after the flood: %v", err)
	}
	defer c.Close()
	tm := openTerminal(t, c)
	tm.waitFor("Username:")
	tm.typ("\x03")
	tm.waitExit()
	if err := healthy(); err != nil {
		t.Errorf("/healthz after the flood: %v", err)
	}
	if got := scrape(t, "http://"+metricsAddr)[`cognito_totp_serve_refusals_total{reason="out_of_descriptors"}`]; got < 1 {
		t.Errorf("refusals_total{reason=out_of_descriptors} = %v, want some", got)
	}
}
