//go:build linux

// Command sshidle measures the memory of `cognito-totp serve` holding idle SSH
// sessions: it starts serve on a free loopback port for a configured pool (on
// a running `cognito-totp local`), opens sessions with a pseudo-terminal one
// connection each, as people would, waits until each shows its sign-in
// screen, and reads the server's resident set size (VmRSS) at 0 sessions and
// at each step of -steps.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/bench/internal/results"
	"github.com/cognito-totp/cognito-totp/bench/internal/sshbench"
	"github.com/cognito-totp/cognito-totp/bench/internal/term"
)

func main() {
	bin := flag.String("bin", "bench/out/bin/cognito-totp", "the cognito-totp binary")
	endpoint := flag.String("endpoint", "", "URL of a running `cognito-totp local` for the configured pool")
	steps := flag.String("steps", "1,100,500", "session counts to measure at, rising")
	settle := flag.Duration("settle", 2*time.Second, "wait after the last session of a step draws before reading RSS")
	workdir := flag.String("workdir", os.TempDir(), "where serve's host key goes")
	out := flag.String("out", "", "write the results as JSON to this file")
	flag.Parse()

	res := results.SSH{Command: strings.Join(append([]string{"bench/out/bin/sshidle"}, os.Args[1:]...), " "), Cores: runtime.NumCPU()}
	err := run(&res, *bin, *endpoint, *steps, *settle, *workdir)
	if err != nil {
		res.Error = err.Error()
	}
	results.Finish("sshidle", *out, res, err)
}

func run(res *results.SSH, bin, endpoint, stepList string, settle time.Duration, workdir string) error {
	if endpoint == "" {
		return fmt.Errorf("give -endpoint, the URL of a running cognito-totp local")
	}
	var steps []int
	for _, s := range strings.Split(stepList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || (len(steps) > 0 && n <= steps[len(steps)-1]) {
			return fmt.Errorf("-steps must be rising positive counts, not %q", stepList)
		}
		steps = append(steps, n)
	}
	poolID, clientID, err := sshbench.SetupPool(endpoint, "bench-ssh")
	if err != nil {
		return fmt.Errorf("setting up the pool: %w", err)
	}
	port, err := sshbench.FreePort()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + port
	maxSessions := strconv.Itoa(steps[len(steps)-1] + 10)
	argv := []string{bin, "serve", "--listen", addr, "--host-key", filepath.Join(workdir, "ssh_host_ed25519_key"),
		"--user-pool-id", poolID, "--client-id", clientID, "--endpoint-url", endpoint,
		"--max-sessions", maxSessions, "--max-new-per-minute", "100000", "--idle-timeout", "10m"}
	res.ServeCommand = "cognito-totp serve --listen 127.0.0.1:PORT --host-key FILE --user-pool-id ID --client-id ID --endpoint-url URL " +
		"--max-sessions " + maxSessions + " --max-new-per-minute 100000 --idle-timeout 10m"
	logf, err := os.CreateTemp(workdir, "serve-*.log")
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting serve: %w", err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}()
	if err := waitListening(addr, 20*time.Second); err != nil {
		b, _ := os.ReadFile(logf.Name())
		return fmt.Errorf("serve did not listen on %s: %w; its log:\n%s", addr, err, b)
	}
	time.Sleep(settle)
	pid := cmd.Process.Pid
	base, err := term.ProcStatusKiB(pid, "VmRSS")
	if err != nil {
		return err
	}
	res.Steps = append(res.Steps, results.SSHStep{Sessions: 0, RSSKiB: base})
	fmt.Fprintf(os.Stderr, "sshidle: 0 sessions: RSS %d KiB\n", base)

	var sessions []*idleSession
	defer func() {
		for _, s := range sessions {
			s.close()
		}
	}()
	for _, n := range steps {
		start := time.Now()
		opened, err := openSessions(addr, n-len(sessions))
		sessions = append(sessions, opened...)
		if err != nil {
			return fmt.Errorf("opening sessions %d to %d: %w", len(sessions)+1, n, err)
		}
		openTime := time.Since(start)
		time.Sleep(settle)
		rss, err := term.ProcStatusKiB(pid, "VmRSS")
		if err != nil {
			return err
		}
		for _, s := range sessions {
			if s.closed() {
				return fmt.Errorf("a session was closed by the server while idle")
			}
		}
		st := results.SSHStep{Sessions: n, RSSKiB: rss, PerSessionKiB: float64(rss-base) / float64(n), OpenSeconds: openTime.Seconds()}
		fmt.Fprintf(os.Stderr, "sshidle: %d sessions: RSS %d KiB, %.0f KiB per session\n", n, rss, st.PerSessionKiB)
		res.Steps = append(res.Steps, st)
	}
	return nil
}

// idleSession is one SSH connection with a pty and the wizard in it.
type idleSession struct {
	client *ssh.Client
	sess   *ssh.Session
	gone   chan struct{}
}

func (s *idleSession) closed() bool {
	select {
	case <-s.gone:
		return true
	default:
		return false
	}
}

func (s *idleSession) close() {
	s.sess.Close()
	s.client.Close()
}

// openSessions opens n sessions, 8 at a time, each waiting for its sign-in screen.
func openSessions(addr string, n int) ([]*idleSession, error) {
	var mu sync.Mutex
	var out []*idleSession
	var firstErr error
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	for range min(8, n) {
		wg.Go(func() {
			for range work {
				s, err := openSession(addr)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
				} else {
					out = append(out, s)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	return out, firstErr
}

func openSession(addr string) (*idleSession, error) {
	cfg := &ssh.ClientConfig{
		User: "bench",
		Auth: []ssh.AuthMethod{ssh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		// A loopback benchmark against a server it just started with a fresh key.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // a loopback benchmark of our own server
		Timeout:         20 * time.Second,
	}
	client, err := ssh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, ssh.TerminalModes{}); err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, err
	}
	s := &idleSession{client: client, sess: sess, gone: make(chan struct{})}
	drawn := make(chan struct{})
	go func() {
		defer close(s.gone)
		var seen bytes.Buffer
		buf := make([]byte, 4096)
		signalled := false
		for {
			n, err := stdout.Read(buf)
			if !signalled {
				seen.Write(buf[:n])
				if bytes.Contains(seen.Bytes(), []byte("Username:")) {
					close(drawn)
					signalled = true
				}
			}
			if err != nil {
				if !signalled {
					close(drawn)
				}
				return
			}
		}
	}()
	select {
	case <-drawn:
		if s.closed() {
			s.close()
			return nil, io.ErrUnexpectedEOF
		}
		return s, nil
	case <-time.After(20 * time.Second):
		s.close()
		return nil, fmt.Errorf("no sign-in screen within 20s")
	}
}

func waitListening(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
