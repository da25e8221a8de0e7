package admin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// stateUsers is how many users a --state file records, or -1 while it does
// not exist or cannot be read whole.
func stateUsers(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	var f struct{ Users map[string]json.RawMessage }
	if json.Unmarshal(b, &f) != nil {
		return -1
	}
	return len(f.Users)
}

// A run killed with SIGKILL half-way is resumed from its --state file: the
// second run reads only the users the first did not, and its summary is
// exactly the one a single run gives.
func TestStatusStateSurvivesSIGKILLAndResumes(t *testing.T) {
	p := newRollout(t) // 300 users, 288 of them enabled
	const first = 100  // reads the endpoint answers before the kill
	release := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(release) }) }
	t.Cleanup(stop) // before the server closes: held requests end
	start := p.counter.count("AdminGetUser")
	p.counter.setHook(func(op string, n int) {
		if op == "AdminGetUser" && n-start > first {
			<-release // held: the endpoint never answers (or counts) it
		}
	})

	state := filepath.Join(t.TempDir(), "rollout.state")
	args, _ := json.Marshal([]string{"status", "--yes", "--output", "json", "--rate", "120", "--state", state,
		"--user-pool-id", p.poolID, "--endpoint-url", p.url})
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperArgs+"="+string(args), "AWS_ACCESS_KEY_ID=AKIDADMINTEST",
		"AWS_SECRET_ACCESS_KEY=dummy-secret", "AWS_CONFIG_FILE="+filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(t.TempDir(), "none"), "AWS_PROFILE=", "COGNITO_TOTP_LANG=en")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until every answered read is in the file, then kill.
	halfWritten := false
	if !eventually.Until(30*time.Second, func() bool {
		if _, err := os.Stat(state); err == nil && stateUsers(state) < 0 {
			halfWritten = true
		}
		return halfWritten || stateUsers(state) >= first
	}) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the state file records %d users after %d reads were answered\n%s", stateUsers(state), first, stderr.String())
	}
	if halfWritten {
		t.Fatal("the state file was seen half-written")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the run was not killed half-way: %v\n%s", err, stderr.String())
	}
	stop()
	p.counter.setHook(nil)
	answered := usernamesRead(t, p.counter.requests("AdminGetUser")[start:])[:first]
	if n := stateUsers(state); n != first {
		t.Fatalf("the state file records %d users, %d reads were answered", n, first)
	}

	// Asked before reading, it counts only the users still to read.
	before := p.counter.count("AdminGetUser")
	enabled := statusUsers - p.want.Disabled
	r := p.run(runOpts{}, "status", "--state", state)
	if r.err == nil || !strings.HasPrefix(r.err.Error(), fmt.Sprintf("Reading the MFA settings of %d users calls AdminGetUser", enabled-first)) ||
		p.counter.count("AdminGetUser") != before {
		t.Fatalf("the billing question of a resumed run: %v", r.err)
	}

	resumeStart := p.counter.count("AdminGetUser")
	r = p.run(runOpts{}, "status", "--yes", "--output", "json", "--rate", "120", "--state", state)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	got := decodeReport(t, r.stdout)
	if got.Partial || fmt.Sprint(got.Summary) != fmt.Sprint(p.want) || len(got.Rows) != statusUsers {
		t.Fatalf("resumed summary %+v (partial %v), want exactly %+v", got.Summary, got.Partial, p.want)
	}
	again := usernamesRead(t, p.counter.requests("AdminGetUser")[resumeStart:])
	if len(again) != enabled-first {
		t.Errorf("the resumed run read %d users, want the %d not read before", len(again), enabled-first)
	}
	for _, name := range again {
		if slices.Contains(answered, name) {
			t.Errorf("%s was read twice", name)
		}
	}
	if !strings.Contains(flat(r.stderr), fmt.Sprintf("%d users read within the last 24h were taken from %s, not read again: %d AdminGetUser calls fewer", first, state, first)) {
		t.Errorf("the run does not say what it saved:\n%s", r.stderr)
	}
	// A third run within --max-age reads nobody; with --max-age 0 everyone.
	third := p.counter.count("AdminGetUser")
	r = p.run(runOpts{}, "status", "--yes", "--output", "json", "--state", state)
	if r.err != nil || p.counter.count("AdminGetUser") != third || fmt.Sprint(decodeReport(t, r.stdout).Summary) != fmt.Sprint(p.want) {
		t.Fatalf("a run with every user recorded: %v, %d reads", r.err, p.counter.count("AdminGetUser")-third)
	}
	r = p.run(runOpts{}, "status", "--yes", "--output", "json", "--rate", "120", "--state", state, "--max-age", "0s")
	if r.err != nil || p.counter.count("AdminGetUser")-third != enabled {
		t.Fatalf("--max-age 0: %v, %d reads, want %d", r.err, p.counter.count("AdminGetUser")-third, enabled)
	}
}

func TestStateFileOfAnotherPoolIsRefused(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	l.newUser("ana", true)
	state := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(state, []byte(`{"version":1,"user_pool_id":"eu-west-1_Other1234","users":{}}`), 0o600)
	r := l.run(runOpts{}, "status", "--state", state)
	if r.err == nil || !strings.Contains(flat(said(t, r.err)), "records the users of pool \"eu-west-1_Other1234\", not of this one") {
		t.Fatalf("%v", r.err)
	}
	os.WriteFile(state, []byte(`{"version":1,`), 0o600)
	r = l.run(runOpts{}, "status", "--state", state)
	if r.err == nil || !strings.Contains(flat(said(t, r.err)), "could not be read") {
		t.Fatalf("%v", r.err)
	}
}

func TestStateFileThatCannotBeWrittenStopsTheRun(t *testing.T) {
	l := newLocal(t, types.UserPoolMfaTypeOptional)
	for i := range 30 {
		l.newUser(fmt.Sprintf("u%02d", i), true)
	}
	state := filepath.Join(t.TempDir(), "no-such-dir", "s.json")
	r := l.run(runOpts{}, "status", "--yes", "--rate", "120", "--state", state)
	if r.err == nil || !strings.Contains(flat(said(t, r.err)), "The state file "+state+" could not be written, so the run stopped:") {
		t.Fatalf("%v", r.err)
	}
	if n := l.counter.count("AdminGetUser"); n > 10 {
		t.Errorf("%d users read after the state could not be written", n)
	}
	if !strings.Contains(r.stdout, "PARTIAL: ") {
		t.Errorf("the report is partial:\n%s", r.stdout)
	}
}
