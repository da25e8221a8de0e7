package peers

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// requireEnv, when set to 1, turns "peer not installed" from a skip into a
// failure. .ci/run sets it, so CI never silently loses a peer.
const requireEnv = "COGNITO_TOTP_REQUIRE_PEERS"

// peer is one independent implementation the tests need, as TestMain found it.
type peer struct {
	url     string // where it answers, once started
	missing string // not installed: the one line a test skips with
	err     error  // installed, but could not be started (always a failure)
}

var (
	moto   peer   // moto_server, started with TOTP checking on
	local  peer   // the cognito-totp binary serving `local`
	awsCLI string // path of the aws CLI; empty when it is not on PATH
)

// TestMain starts moto_server and, when the aws CLI is installed, builds and
// starts `cognito-totp local`; it stops both whatever the tests' outcome. The
// stops are deferred in run, which returns before os.Exit. A panic inside a
// test ends the process without running defers, so the children are also
// started with a parent-death signal: the kernel kills them when this process
// dies.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var stops []func()
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Go(func() {
		p, stop := startMoto()
		mu.Lock()
		defer mu.Unlock()
		moto = p
		if stop != nil {
			stops = append(stops, stop)
		}
	})
	if path, err := exec.LookPath("aws"); err == nil {
		awsCLI = path
		wg.Go(func() {
			p, stop := startLocal()
			mu.Lock()
			defer mu.Unlock()
			local = p
			if stop != nil {
				stops = append(stops, stop)
			}
		})
	}
	wg.Wait()
	for name, p := range map[string]peer{"moto_server": moto, "cognito-totp local": local} {
		switch {
		case p.err != nil:
			fmt.Fprintf(os.Stderr, "peers: %s did not start: %v\n", name, p.err)
		case p.missing != "":
			fmt.Fprintln(os.Stderr, "peers: "+p.missing+" ("+requireEnv+"=1 makes this a failure)")
		}
	}
	if awsCLI == "" {
		fmt.Fprintln(os.Stderr, "peers: "+awsMissing+" ("+requireEnv+"=1 makes this a failure)")
	}
	return m.Run()
}

const (
	motoMissing = "moto_server is not on PATH: the tests against moto are skipped"
	awsMissing  = "the aws CLI is not on PATH: the aws CLI tests against cognito-totp local are skipped"
)

func peersRequired() bool { return os.Getenv(requireEnv) == "1" }

// needMoto returns moto's URL, or ends the test: a skip when moto is not
// installed (a failure under COGNITO_TOTP_REQUIRE_PEERS=1), a failure when it
// is installed but did not start.
func needMoto(t *testing.T) string {
	t.Helper()
	return need(t, moto)
}

// needLocal returns the URL of the running `cognito-totp local` and the aws
// CLI's path, on the same terms as needMoto.
func needLocal(t *testing.T) (url, aws string) {
	t.Helper()
	if awsCLI == "" {
		need(t, peer{missing: awsMissing})
	}
	return need(t, local), awsCLI
}

func need(t *testing.T, p peer) string {
	t.Helper()
	switch {
	case p.err != nil:
		t.Fatal(p.err)
	case p.missing != "" && peersRequired():
		t.Fatal(p.missing + "; " + requireEnv + "=1 makes that a failure: install the peer")
	case p.missing != "":
		t.Skip(p.missing + " (" + requireEnv + "=1 makes this a failure)")
	}
	return p.url
}

// startMoto runs moto_server on a free loopback port with TOTP checking on.
func startMoto() (peer, func()) {
	path, err := exec.LookPath("moto_server")
	if err != nil {
		return peer{missing: motoMissing}, nil
	}
	env := append(os.Environ(), "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true")
	var lastErr error
	for range 3 { // another process may take the free port before moto binds it
		port, err := freePort()
		if err != nil {
			return peer{err: err}, nil
		}
		addr := "127.0.0.1:" + port
		proc, err := startProcess("moto_server", []string{path, "-H", "127.0.0.1", "-p", port}, env, "http://"+addr+"/", 60*time.Second)
		if err == nil {
			return peer{url: "http://" + addr}, proc.stop
		}
		lastErr = err
		if !errors.Is(err, errExited) {
			break
		}
	}
	return peer{err: fmt.Errorf("moto_server: %w", lastErr)}, nil
}

// startLocal builds the cognito-totp command and runs `cognito-totp local`.
func startLocal() (peer, func()) {
	dir, err := os.MkdirTemp("", "peers-cognito-totp-")
	if err != nil {
		return peer{err: err}, nil
	}
	removeDir := func() { os.RemoveAll(dir) }
	bin := filepath.Join(dir, "cognito-totp")
	goCmd, err := exec.LookPath("go")
	if err != nil {
		removeDir()
		return peer{err: fmt.Errorf("building cognito-totp: the go command is not on PATH: %w", err)}, nil
	}
	build := exec.Command(goCmd, "build", "-o", bin, "github.com/cognito-totp/cognito-totp")
	if out, err := build.CombinedOutput(); err != nil {
		removeDir()
		return peer{err: fmt.Errorf("cognito-totp does not build, so `cognito-totp local` cannot be tested (%v):\n%s", err, out)}, nil
	}
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			removeDir()
			return peer{err: err}, nil
		}
		addr := "127.0.0.1:" + port
		proc, err := startProcess("cognito-totp local", []string{bin, "local", "--addr", addr}, os.Environ(), "http://"+addr+"/", 30*time.Second)
		if err == nil {
			return peer{url: "http://" + addr}, func() { proc.stop(); removeDir() }
		}
		lastErr = err
		if !errors.Is(err, errExited) {
			break
		}
	}
	removeDir()
	return peer{err: fmt.Errorf("cognito-totp local: %w", lastErr)}, nil
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("no free loopback port: %w", err)
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// process is a child in its own process group, its output kept in a temp file.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	log    *os.File
}

var errExited = errors.New("exited before answering")

// startProcess starts argv and waits, up to timeout, until url answers any
// HTTP request. On failure the process is stopped and the error carries the
// tail of its output.
func startProcess(name string, argv, env []string, url string, timeout time.Duration) (*process, error) {
	log, err := os.CreateTemp("", "peers-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		os.Remove(log.Name())
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{}), log: log}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	client := &http.Client{Timeout: time.Second}
	answered, exited := false, false
	eventually.Until(timeout, func() bool {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			answered = true
			return true
		}
		select {
		case <-p.exited:
			exited = true
		default:
		}
		return exited
	})
	switch {
	case answered:
		return p, nil
	case exited:
		err := fmt.Errorf("%s %w (%v); its output ends:\n%s", name, errExited, cmd.ProcessState, p.tail())
		p.stop()
		return nil, err
	}
	p.stop()
	return nil, fmt.Errorf("%s did not answer at %s within %v; its output ends:\n%s", name, url, timeout, p.tail())
}

// stop kills the process group and removes the output file.
func (p *process) stop() {
	select {
	case <-p.exited:
	default:
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			fmt.Fprintf(os.Stderr, "peers: process %d did not exit after SIGKILL\n", p.cmd.Process.Pid)
		}
	}
	p.log.Close()
	os.Remove(p.log.Name())
}

// tail is the end of the process's output, for a failure message.
func (p *process) tail() string {
	b, _ := os.ReadFile(p.log.Name())
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return "    " + strings.ReplaceAll(string(bytes.Join(lines, []byte("\n"))), "\n", "\n    ")
}
