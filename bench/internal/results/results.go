// Package results is the JSON that the benchmark programs write and
// bench/cmd/report reads to write RESULTS.md.
package results

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/cognito-totp/cognito-totp/bench/internal/loadkit"
)

// Load is what bench/cmd/load writes.
type Load struct {
	Command string       `json:"command"`
	Cores   int          `json:"cores"`
	Started string       `json:"started"`
	Ops     []string     `json:"ops"`
	Flow    string       `json:"flow,omitempty"` // "enroll" (also when empty) or "signin": what Enrollments counts
	Targets []LoadTarget `json:"targets"`
}

// LoadTarget is one endpoint's levels.
type LoadTarget struct {
	Name   string      `json:"name"`
	Error  string      `json:"error,omitempty"`
	Levels []LoadLevel `json:"levels,omitempty"`
}

// LoadLevel is one concurrency level against one endpoint.
type LoadLevel struct {
	Concurrency int                        `json:"concurrency"`
	Enrollments int                        `json:"enrollments"`
	Seconds     float64                    `json:"seconds"`
	PerSecond   float64                    `json:"per_second"`
	Errors      int                        `json:"errors"`
	FirstError  string                     `json:"first_error,omitempty"`
	CodeRetries int                        `json:"code_retries"`
	RoundRates  []float64                  `json:"round_rates"` // enrollments per second in each round
	BoundBy     string                     `json:"bound_by"`    // each round's: "time" or "count"
	Ops         map[string]loadkit.Summary `json:"ops"`
}

// TTY is what bench/cmd/tty writes.
type TTY struct {
	Command string       `json:"command"`
	Cores   int          `json:"cores"`
	Startup []StartupRun `json:"startup,omitempty"`
	Enroll  []EnrollRun  `json:"enroll,omitempty"`
	Idle    []IdleRun    `json:"idle,omitempty"`
	Errors  []string     `json:"errors,omitempty"`
}

// StartupRun is the time to the first sign-in screen, over several runs.
type StartupRun struct {
	Label       string    `json:"label"`
	Command     string    `json:"command"`
	Samples     []float64 `json:"samples_ms"`
	MedianMs    float64   `json:"median_ms"`
	FirstByteMs float64   `json:"first_byte_median_ms,omitempty"`
	Reference   bool      `json:"reference,omitempty"` // not the wizard: the aws CLI
	// Kind says what was timed: "" is exec to the wizard's first frame;
	// "version" is exec to the exit of `cognito-totp --version`; "hello" and
	// "hello exit" are a Go hello-world's exec to its line and to its exit,
	// run in the same loop as the wizard as the floor to read them against.
	Kind string `json:"kind,omitempty"`
	// CPUMs is the median CPU time (all threads, user and system) the
	// program had used by then: the work, which the load hardly changes.
	CPUMs float64 `json:"cpu_median_ms,omitempty"`
}

// EnrollRun is one whole scripted enrollment.
type EnrollRun struct {
	Label      string           `json:"label"`
	Cols       int              `json:"cols"`
	Rows       int              `json:"rows"`
	Command    string           `json:"command"`
	Bytes      int64            `json:"bytes"`
	ByScreen   map[string]int64 `json:"bytes_by_screen"`
	PeakRSSKiB int64            `json:"peak_rss_kib"`
	Seconds    float64          `json:"seconds"`
	ExitCode   int              `json:"exit_code"`
}

// IdleRun is the output while the wizard sits on the secret screen.
type IdleRun struct {
	Label       string  `json:"label"`
	Cols        int     `json:"cols"`
	Rows        int     `json:"rows"`
	Seconds     float64 `json:"seconds"`
	Bytes       int64   `json:"bytes"`
	PerSecond   float64 `json:"bytes_per_second"`
	QRResent    bool    `json:"qr_resent"`
	QRCells     int     `json:"qr_cells_sent"`
	ScreenBytes int64   `json:"secret_screen_bytes"`
}

// SSH is what bench/cmd/sshidle writes.
type SSH struct {
	Command      string    `json:"command"`
	ServeCommand string    `json:"serve_command"`
	Cores        int       `json:"cores"`
	Steps        []SSHStep `json:"steps"`
	Error        string    `json:"error,omitempty"`
}

// SSHStep is the server's memory with Sessions idle sessions open.
type SSHStep struct {
	Sessions      int     `json:"sessions"`
	RSSKiB        int64   `json:"rss_kib"`
	PerSessionKiB float64 `json:"per_session_kib"` // (RSS - RSS at 0) / sessions
	OpenSeconds   float64 `json:"open_seconds"`
}

// Write writes v as indented JSON to path, or to stdout when path is "".
func Write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "" {
		_, err = os.Stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Finish ends a bench command: it says failed (when not nil) on stderr,
// writes v to path as Write does, and exits 1 when failed is not nil or v
// could not be written, so every command's results and exit status agree.
func Finish(cmd, path string, v any, failed error) {
	if code := finish(os.Stderr, cmd, path, v, failed); code != 0 {
		os.Exit(code)
	}
}

// finish is Finish without the exit: it returns the exit status.
func finish(stderr io.Writer, cmd, path string, v any, failed error) int {
	code := 0
	if failed != nil {
		fmt.Fprintln(stderr, cmd+":", failed)
		code = 1
	}
	if err := Write(path, v); err != nil {
		fmt.Fprintln(stderr, cmd+":", err)
		code = 1
	}
	return code
}

// Read reads the JSON at path into v.
func Read(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Soak is what bench/cmd/soak writes: serve under churn, measured from outside.
type Soak struct {
	Command      string `json:"command"`
	ServeCommand string `json:"serve_command"`
	Cores        int    `json:"cores"`
	Error        string `json:"error,omitempty"`

	Before SoakPoint `json:"before"` // after a warm-up, before the churn
	After  SoakPoint `json:"after"`  // after the churn, once settled
	Peak   SoakPoint `json:"peak"`   // the largest seen during the churn

	Sessions     int            `json:"sessions"`      // churned, every way
	ByWay        map[string]int `json:"by_way"`        // how many of each way
	ClientErrors int            `json:"client_errors"` // sessions that did not end as their way expects
	FirstError   string         `json:"first_error,omitempty"`
	Seconds      float64        `json:"seconds"`
	// From the server's /metrics after the churn.
	Ended   map[string]float64 `json:"ended"`
	Refused map[string]float64 `json:"refused"`

	Rate     SoakRate     `json:"rate"`
	Shutdown SoakShutdown `json:"shutdown"`
}

// SoakPoint is the server's state at one moment.
type SoakPoint struct {
	RSSKiB       int64   `json:"rss_kib"`
	HeapInuseKiB int64   `json:"heap_inuse_kib"` // go_memstats_heap_inuse_bytes: what the Go heap holds, of the RSS
	Goroutines   int     `json:"goroutines"`
	OpenFiles    int     `json:"open_files"`
	Seconds      float64 `json:"seconds,omitempty"` // after the churn ended, for the after point
}

// SoakRate is sessions opened to their first screen and closed (ctrl+c), as fast as they go.
type SoakRate struct {
	Sessions         int     `json:"sessions"`
	Concurrency      int     `json:"concurrency"`
	Seconds          float64 `json:"seconds"`
	PerSecond        float64 `json:"per_second"`
	ServerCPUSeconds float64 `json:"server_cpu_seconds"` // user+system of serve over the phase
	ClientCPUSeconds float64 `json:"client_cpu_seconds"` // of this command, the SSH clients
	TotalCPUSeconds  float64 `json:"total_cpu_seconds"`  // of the whole machine, all cores
	Errors           int     `json:"errors"`
}

// SoakShutdown is a SIGTERM with sessions live.
type SoakShutdown struct {
	Live         int     `json:"live"`
	ToldShutdown int     `json:"told_shutdown"` // sessions that closed with the shutdown line
	ExitSeconds  float64 `json:"exit_seconds"`  // SIGTERM to the process gone
	ReadyzFirst  bool    `json:"readyz_first"`  // /readyz said 503 before the listener closed
	GraceSeconds float64 `json:"grace_seconds"`
	ExitCode     int     `json:"exit_code"`
}
