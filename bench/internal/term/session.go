//go:build linux

package term

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/vtscreen"
)

// Session is one program running in a pseudo-terminal. Everything the program
// writes is counted and fed to a Screen; keys are written to it as a person
// would type them.
type Session struct {
	Cmd     *exec.Cmd
	Started time.Time // just before exec

	master  *os.File
	done    chan struct{} // closed when the program has exited and its output is read
	waitErr error

	mu     sync.Mutex
	screen *vtscreen.Screen
	raw    []byte // everything the program wrote
	bytes  int64
	first  time.Time // when the first byte arrived
	last   time.Time // when the latest bytes arrived
	change chan struct{}
}

// Start runs argv in a cols x rows pseudo-terminal with env.
func Start(argv, env []string, cols, rows int) (*Session, error) {
	master, slave, err := openPTY(cols, rows)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	s := &Session{Cmd: cmd, master: master, done: make(chan struct{}), screen: vtscreen.New(cols, rows), change: make(chan struct{})}
	s.Started = time.Now()
	if err := startInPTY(cmd, slave); err != nil {
		master.Close()
		slave.Close()
		return nil, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	slave.Close() // the child holds its own copies
	readDone := make(chan struct{})
	go s.read(readDone)
	go func() {
		s.waitErr = cmd.Wait()
		<-readDone
		close(s.done)
	}()
	return s, nil
}

func (s *Session) read(done chan struct{}) {
	defer close(done)
	defer func() { // the screen stays readable; its emulator stops
		s.mu.Lock()
		s.screen.Close()
		s.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := s.master.Read(buf)
		if n > 0 {
			s.mu.Lock()
			if s.bytes == 0 {
				s.first = time.Now()
			}
			s.bytes += int64(n)
			s.last = time.Now()
			s.raw = append(s.raw, buf[:n]...)
			s.screen.Write(buf[:n])
			close(s.change)
			s.change = make(chan struct{})
			s.mu.Unlock()
		}
		if err != nil {
			return // EIO once the program and every child have closed the slave
		}
	}
}

// Bytes is how many bytes the program has written to the terminal so far.
func (s *Session) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// FirstByte is when the program's first output arrived; zero before it has.
func (s *Session) FirstByte() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first
}

// Raw is what the program wrote between byte offsets from and to.
func (s *Session) Raw(from, to int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	to = min(to, int64(len(s.raw)))
	from = min(from, to)
	return string(s.raw[from:to])
}

// Text is the screen as it stands.
func (s *Session) Text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.screen.Text()
}

// ErrTimeout is returned when the screen did not show what was awaited in time.
var ErrTimeout = errors.New("timed out")

// WaitFor waits until the screen shows want and returns when it did.
func (s *Session) WaitFor(want string, timeout time.Duration) (time.Time, error) {
	_, at, err := s.wait(func(text string) (string, bool) { return "", strings.Contains(text, want) }, timeout)
	if err != nil {
		return at, fmt.Errorf("waiting for %q: %w; the screen shows:\n%s", want, err, s.Text())
	}
	return at, nil
}

// WaitForMatch waits until re matches the screen and returns its first group.
func (s *Session) WaitForMatch(re *regexp.Regexp, timeout time.Duration) (string, error) {
	m, _, err := s.wait(func(text string) (string, bool) {
		if g := re.FindStringSubmatch(text); g != nil {
			return g[len(g)-1], true
		}
		return "", false
	}, timeout)
	if err != nil {
		return "", fmt.Errorf("waiting for %v: %w; the screen shows:\n%s", re, err, s.Text())
	}
	return m, nil
}

func (s *Session) wait(match func(string) (string, bool), timeout time.Duration) (string, time.Time, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		text, change := s.screen.Text(), s.change
		s.mu.Unlock()
		if m, ok := match(text); ok {
			return m, time.Now(), nil
		}
		select {
		case <-change:
		case <-s.done:
			s.mu.Lock()
			text = s.screen.Text()
			s.mu.Unlock()
			if m, ok := match(text); ok {
				return m, time.Now(), nil
			}
			return "", time.Now(), fmt.Errorf("the program exited (%v)", s.waitErr)
		case <-deadline.C:
			return "", time.Now(), ErrTimeout
		}
	}
}

// WaitQuiet waits until the program has written nothing for quiet (a frame
// arrives in several reads), at most timeout, and returns the bytes so far.
func (s *Session) WaitQuiet(quiet, timeout time.Duration) int64 {
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		since, n := time.Since(s.last), s.bytes
		s.mu.Unlock()
		if since >= quiet || time.Now().After(deadline) {
			return n
		}
		time.Sleep(quiet - since)
	}
}

// Type writes keys to the terminal as typed input.
func (s *Session) Type(keys string) error {
	_, err := s.master.Write([]byte(keys))
	return err
}

// PeakRSS reads the program's peak resident set size (VmHWM) in KiB while it runs.
func (s *Session) PeakRSS() (int64, error) { return procStatusKiB(s.Cmd.Process.Pid, "VmHWM") }

// RSS reads the program's current resident set size (VmRSS) in KiB.
func (s *Session) RSS() (int64, error) { return procStatusKiB(s.Cmd.Process.Pid, "VmRSS") }

// Wait waits up to timeout for the program to exit and its output to be read,
// and returns its exit code.
func (s *Session) Wait(timeout time.Duration) (int, error) {
	select {
	case <-s.done:
	case <-time.After(timeout):
		s.Kill()
		return -1, fmt.Errorf("the program did not exit within %v: %w", timeout, ErrTimeout)
	}
	return s.Cmd.ProcessState.ExitCode(), nil
}

// Kill ends the program (its whole session's process group) and releases the pty.
func (s *Session) Kill() {
	if s.Cmd.Process != nil {
		_ = syscall.Kill(-s.Cmd.Process.Pid, syscall.SIGKILL)
	}
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
	s.master.Close()
}

// Close releases the pty once the program has exited.
func (s *Session) Close() { s.master.Close() }

// CPUTime is the CPU time the program's threads have had so far (the sum of
// /proc/<pid>/task/*/schedstat's first field), while it runs. Unlike the
// wall clock it hardly moves with the machine's load: it is the work done,
// not the time spent waiting for a core.
func (s *Session) CPUTime() (time.Duration, error) {
	pid := s.Cmd.Process.Pid
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, t.Name()))
		if err != nil {
			continue // the thread ended
		}
		var ns int64
		if _, err := fmt.Sscanf(string(b), "%d", &ns); err != nil {
			return 0, fmt.Errorf("reading the CPU time of process %d: %w", pid, err)
		}
		total += time.Duration(ns)
	}
	return total, nil
}

// procStatusKiB reads one "kB" field of /proc/<pid>/status.
func procStatusKiB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			var kib int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kib); err != nil {
				return 0, fmt.Errorf("reading %s of process %d: %w", field, pid, err)
			}
			return kib, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// ProcStatusKiB reads one "kB" field (VmRSS, VmHWM, ...) of /proc/<pid>/status.
func ProcStatusKiB(pid int, field string) (int64, error) { return procStatusKiB(pid, field) }
