//go:build linux

// Command soak runs `cognito-totp serve` under churn and measures it from
// outside: it starts serve (with --metrics-listen) on a pool of a running
// `cognito-totp local`, warms it up, reads its RSS (/proc), goroutines
// (go_goroutines on /metrics) and open files, ends -sessions SSH sessions
// every way one can end (internal/sshchurn: dropped with keys pending,
// ctrl+c, idle timeout, refused for no terminal, for too many connections
// from one address and for a full server, the network cut mid-handshake),
// reads them again once settled; then opens and closes sessions as fast as
// they go, for sessions per second; then sends SIGTERM with sessions live.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cognito-totp/cognito-totp/bench/internal/results"
	"github.com/cognito-totp/cognito-totp/bench/internal/sshbench"
	"github.com/cognito-totp/cognito-totp/bench/internal/term"
	"github.com/cognito-totp/cognito-totp/internal/sshchurn"
)

// The server's settings for the run: caps low enough that the refusals
// happen, an idle timeout short enough that idle sessions end in the run.
const (
	maxSessions  = 40
	maxNewPerMin = 20
	idleTimeout  = 4 * time.Second
	grace        = time.Second
	drainDelay   = 500 * time.Millisecond
)

var rssWait time.Duration

func main() {
	bin := flag.String("bin", "bench/out/bin/cognito-totp", "the cognito-totp binary")
	endpoint := flag.String("endpoint", "", "URL of a running `cognito-totp local` for the configured pool")
	sessions := flag.Int("sessions", 1000, "sessions to churn, every way")
	rateSessions := flag.Int("rate-sessions", 300, "sessions opened and closed as fast as they go")
	conc := flag.Int("conc", 8, "sessions at once")
	flag.DurationVar(&rssWait, "rss-wait", 90*time.Second, "after the churn, how long to watch the RSS come back down")
	workdir := flag.String("workdir", os.TempDir(), "where serve's host key and log go")
	out := flag.String("out", "", "write the results as JSON to this file")
	flag.Parse()

	res := results.Soak{Command: strings.Join(append([]string{"bench/out/bin/soak"}, os.Args[1:]...), " "), Cores: runtime.NumCPU()}
	err := run(&res, *bin, *endpoint, *workdir, *sessions, *rateSessions, *conc)
	if err != nil {
		res.Error = err.Error()
	}
	results.Finish("soak", *out, res, err)
}

type server struct {
	cmd     *exec.Cmd
	pid     int
	addr    string
	metrics string // http://127.0.0.1:PORT
	exited  chan struct{}
}

func run(res *results.Soak, bin, endpoint, workdir string, sessions, rateSessions, conc int) error {
	if endpoint == "" {
		return errors.New("give -endpoint, the URL of a running cognito-totp local")
	}
	poolID, clientID, err := sshbench.SetupPool(endpoint, "bench-soak")
	if err != nil {
		return fmt.Errorf("setting up the pool: %w", err)
	}
	sshPort, err := sshbench.FreePort()
	if err != nil {
		return err
	}
	mPort, err := sshbench.FreePort()
	if err != nil {
		return err
	}
	srv := &server{addr: "127.0.0.1:" + sshPort, metrics: "http://127.0.0.1:" + mPort, exited: make(chan struct{})}
	// The soak opens many connections at once from few addresses; serve's
	// early drop of unauthenticated connections (--max-startups) would refuse
	// them by design, which is not what a leak measurement is about.
	flags := []string{"--max-sessions", strconv.Itoa(maxSessions), "--max-new-per-minute", strconv.Itoa(maxNewPerMin),
		"--max-startups", "1000:30:1000",
		"--idle-timeout", idleTimeout.String(), "--shutdown-grace", grace.String(), "--drain-delay", drainDelay.String()}
	argv := append([]string{bin, "serve", "--listen", srv.addr, "--metrics-listen", "127.0.0.1:" + mPort,
		"--host-key", filepath.Join(workdir, "ssh_host_ed25519_key"),
		"--user-pool-id", poolID, "--client-id", clientID, "--endpoint-url", endpoint}, flags...)
	res.ServeCommand = "cognito-totp serve --listen 127.0.0.1:PORT --metrics-listen 127.0.0.1:PORT --host-key FILE --user-pool-id ID --client-id ID --endpoint-url URL " + strings.Join(flags, " ")
	logf, err := os.Create(filepath.Join(workdir, "soak-serve.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	srv.cmd = exec.Command(argv[0], argv[1:]...)
	srv.cmd.Stdout, srv.cmd.Stderr = logf, logf
	srv.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := srv.cmd.Start(); err != nil {
		return fmt.Errorf("starting serve: %w", err)
	}
	srv.pid = srv.cmd.Process.Pid
	exitErr := make(chan error, 1)
	go func() { exitErr <- srv.cmd.Wait(); close(srv.exited) }()
	defer func() {
		_ = syscall.Kill(-srv.pid, syscall.SIGKILL)
		<-srv.exited
	}()
	if err := waitHTTP(srv.metrics+"/readyz", 20*time.Second); err != nil {
		return fmt.Errorf("serve did not become ready: %w (log: %s)", err, logf.Name())
	}

	// Every address here is on loopback; each way comes from addresses of
	// its own, so the per-address cap refuses only the sessions meant to
	// be refused by it.
	target := func(ip string) sshchurn.Target { return sshchurn.Target{Addr: srv.addr, LocalIP: ip} }
	nextIP := 0
	ip := func() string { nextIP++; return fmt.Sprintf("127.0.%d.%d", 1+nextIP/250%200, 1+nextIP%250) }
	const rateIP = "127.0.255.1"

	// Warm-up: one of each, so what every session shares is in the baseline.
	warm := []sshchurn.Way{sshchurn.Drop, sshchurn.Interrupt, sshchurn.NoPTY, sshchurn.HandshakeCut}
	for _, w := range warm {
		_ = sshchurn.Run(context.Background(), target(ip()), w)
	}
	if res.Before, err = settle(srv); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "soak: before: RSS %d KiB, %d goroutines, %d open files\n", res.Before.RSSKiB, res.Before.Goroutines, res.Before.OpenFiles)

	// Peaks, sampled through the churn.
	stopSampling := make(chan struct{})
	var sampled sync.WaitGroup
	sampled.Go(func() {
		for {
			if p, err := point(srv); err == nil {
				res.Peak.RSSKiB = max(res.Peak.RSSKiB, p.RSSKiB)
				res.Peak.Goroutines = max(res.Peak.Goroutines, p.Goroutines)
				res.Peak.OpenFiles = max(res.Peak.OpenFiles, p.OpenFiles)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(250 * time.Millisecond):
			}
		}
	})

	res.ByWay = map[string]int{}
	var mu sync.Mutex
	record := func(w sshchurn.Way, err error) {
		mu.Lock()
		defer mu.Unlock()
		res.Sessions++
		res.ByWay[string(w)]++
		if err != nil {
			res.ClientErrors++
			if res.FirstError == "" {
				res.FirstError = err.Error()
			}
		}
	}
	start := time.Now()

	// The full server: maxSessions held, then some refused as busy, then the
	// held ones dropped by their clients.
	busy := 20
	hold, release := context.WithCancel(context.Background())
	var held sync.WaitGroup
	for range maxSessions {
		t := target(ip())
		held.Go(func() { record(sshchurn.Hold, sshchurn.Run(hold, t, sshchurn.Hold)) })
	}
	if err := waitMetric(srv, "cognito_totp_serve_sessions_active", maxSessions, 30*time.Second); err != nil {
		release()
		return err
	}
	for range busy {
		record(sshchurn.Refused, sshchurn.Run(context.Background(), target(ip()), sshchurn.Refused))
	}
	release()
	held.Wait()
	if err := waitMetric(srv, "cognito_totp_serve_sessions_active", 0, 30*time.Second); err != nil {
		return err
	}

	// The rest, every way, conc at a time. The rate-limited address uses up
	// its allowance first.
	for range maxNewPerMin {
		_ = sshchurn.Run(context.Background(), target(rateIP), sshchurn.NoPTY)
	}
	mix := []sshchurn.Way{sshchurn.Drop, sshchurn.Interrupt, sshchurn.Drop, sshchurn.Idle, sshchurn.NoPTY,
		sshchurn.Interrupt, sshchurn.HandshakeCut, sshchurn.Refused}
	jobs := make(chan sshchurn.Way)
	var workers sync.WaitGroup
	for range conc {
		workers.Go(func() {
			for w := range jobs {
				mu.Lock()
				addr := ip()
				mu.Unlock()
				if w == sshchurn.Refused {
					addr = rateIP
				}
				record(w, sshchurn.Run(context.Background(), target(addr), w))
			}
		})
	}
	for i := range max(0, sessions-maxSessions-busy) {
		jobs <- mix[i%len(mix)]
	}
	close(jobs)
	workers.Wait()
	res.Seconds = time.Since(start).Seconds()
	close(stopSampling)
	sampled.Wait()

	ended := time.Now()
	if res.After, err = settle(srv); err != nil {
		return err
	}
	// The Go runtime gives freed memory back to the kernel over minutes, not
	// at once: watch the RSS come down for up to -rss-wait.
	for time.Since(ended) < rssWait && !within(res.After.RSSKiB, res.Before.RSSKiB) {
		time.Sleep(2 * time.Second)
		if p, err := point(srv); err == nil {
			res.After = p
		}
	}
	res.After.Seconds = time.Since(ended).Seconds()
	fmt.Fprintf(os.Stderr, "soak: after %d sessions in %.0f s: RSS %d KiB, %d goroutines, %d open files (%d client errors)\n",
		res.Sessions, res.Seconds, res.After.RSSKiB, res.After.Goroutines, res.After.OpenFiles, res.ClientErrors)
	m, err := scrape(srv)
	if err != nil {
		return err
	}
	res.Ended, res.Refused = map[string]float64{}, map[string]float64{}
	for k, v := range m {
		if l, ok := strings.CutPrefix(k, `cognito_totp_serve_sessions_total{ended="`); ok {
			res.Ended[strings.TrimSuffix(l, `"}`)] = v
		}
		if l, ok := strings.CutPrefix(k, `cognito_totp_serve_refusals_total{reason="`); ok {
			res.Refused[strings.TrimSuffix(l, `"}`)] = v
		}
	}

	// Sessions per second: open to the first screen, ctrl+c, closed.
	res.Rate = measureRate(srv, rateSessions, conc, ip, &mu)
	fmt.Fprintf(os.Stderr, "soak: %d sessions opened and closed at %.1f/s; serve used %.1f CPU-seconds of %.1f busy on the machine\n",
		res.Rate.Sessions, res.Rate.PerSecond, res.Rate.ServerCPUSeconds, res.Rate.TotalCPUSeconds)

	// SIGTERM with sessions live.
	res.Shutdown = shutdown(srv, target, ip, exitErr)
	fmt.Fprintf(os.Stderr, "soak: SIGTERM with %d live: %d told, exit after %.1f s (code %d), readyz first: %v\n",
		res.Shutdown.Live, res.Shutdown.ToldShutdown, res.Shutdown.ExitSeconds, res.Shutdown.ExitCode, res.Shutdown.ReadyzFirst)
	return nil
}

// within says whether after is back to before, within 10% or 10 MB.
func within(after, before int64) bool {
	return after <= before+max(before/10, 10_000_000/1024)
}

func measureRate(srv *server, n, conc int, ip func() string, mu *sync.Mutex) results.SoakRate {
	r := results.SoakRate{Sessions: n, Concurrency: conc}
	cpu0, _ := procCPU(srv.pid)
	self0, _ := procCPU(os.Getpid())
	busy0, _ := machineBusy()
	start := time.Now()
	jobs := make(chan struct{})
	var errs sync.WaitGroup
	var nerr int
	var emu sync.Mutex
	for range conc {
		errs.Go(func() {
			for range jobs {
				mu.Lock()
				addr := ip()
				mu.Unlock()
				if err := sshchurn.Run(context.Background(), sshchurn.Target{Addr: srv.addr, LocalIP: addr}, sshchurn.Interrupt); err != nil {
					emu.Lock()
					nerr++
					emu.Unlock()
				}
			}
		})
	}
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	errs.Wait()
	r.Seconds = time.Since(start).Seconds()
	r.PerSecond = float64(n) / r.Seconds
	r.Errors = nerr
	cpu1, _ := procCPU(srv.pid)
	self1, _ := procCPU(os.Getpid())
	busy1, _ := machineBusy()
	r.ServerCPUSeconds = cpu1 - cpu0
	r.ClientCPUSeconds = self1 - self0
	r.TotalCPUSeconds = busy1 - busy0
	return r
}

func shutdown(srv *server, target func(string) sshchurn.Target, ip func() string, exitErr chan error) results.SoakShutdown {
	const live = 10
	s := results.SoakShutdown{Live: live, GraceSeconds: grace.Seconds()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range live {
		t := target(ip())
		wg.Go(func() {
			if sshchurn.Run(context.Background(), t, sshchurn.Hold) == nil {
				mu.Lock()
				s.ToldShutdown++
				mu.Unlock()
			}
		})
	}
	_ = waitMetric(srv, "cognito_totp_serve_sessions_active", live, 30*time.Second)
	start := time.Now()
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	for time.Since(start) < drainDelay {
		resp, err := http.Get(srv.metrics + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				if c, err := net.DialTimeout("tcp", srv.addr, time.Second); err == nil {
					c.Close()
					s.ReadyzFirst = true
				}
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	err := <-exitErr
	s.ExitSeconds = time.Since(start).Seconds()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		s.ExitCode = ee.ExitCode()
	}
	wg.Wait()
	return s
}

// settle waits for the server's goroutines to stop changing, then reads its state.
func settle(srv *server) (results.SoakPoint, error) {
	var last results.SoakPoint
	steady := 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && steady < 6; {
		time.Sleep(500 * time.Millisecond)
		p, err := point(srv)
		if err != nil {
			return p, err
		}
		if p.Goroutines == last.Goroutines {
			steady++
		} else {
			steady = 0
		}
		last = p
	}
	return last, nil
}

func point(srv *server) (results.SoakPoint, error) {
	rss, err := term.ProcStatusKiB(srv.pid, "VmRSS")
	if err != nil {
		return results.SoakPoint{}, err
	}
	m, err := scrape(srv)
	if err != nil {
		return results.SoakPoint{}, err
	}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", srv.pid))
	return results.SoakPoint{RSSKiB: rss, HeapInuseKiB: int64(m["go_memstats_heap_inuse_bytes"]) / 1024,
		Goroutines: int(m["go_goroutines"]), OpenFiles: len(fds)}, nil
}

func scrape(srv *server) (map[string]float64, error) {
	resp, err := http.Get(srv.metrics + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out, sc.Err()
}

func waitMetric(srv *server, series string, want float64, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		m, err := scrape(srv)
		if err == nil && m[series] == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s never reached %v (last %v, %v)", series, want, m[series], err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitHTTP(url string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// procCPU is a process's user+system CPU seconds.
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100, nil // USER_HZ is 100 on Linux
}

// machineBusy is the CPU seconds all cores spent not idle, since boot.
func machineBusy() (float64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])[1:]
	var busy float64
	for i, s := range f {
		v, _ := strconv.ParseFloat(s, 64)
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy / 100, nil
}
