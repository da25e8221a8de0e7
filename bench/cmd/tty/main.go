//go:build linux

// Command tty runs the cognito-totp wizard in a pseudo-terminal, as a person
// at a terminal would, and measures what the terminal sees:
//
//   - start-up: time from exec to the first sign-in screen on the terminal,
//     for the demo default and for a configured pool, and from exec to the
//     exit of `cognito-totp --version`, each against a Go hello-world run in
//     the same rounds, and against the wall time of one `aws cognito-idp` call;
//   - bytes on the wire: everything the wizard writes to the terminal over a
//     whole scripted enrollment, and per second while idle on the secret
//     screen with the session clock ticking;
//   - memory: the wizard's peak RSS (VmHWM) at the end of the enrollment.
//
// The screen is read back through a terminal emulator (bench/internal/term),
// so keys are typed only once the screen they belong to is showing.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/bench/internal/loadkit"
	"github.com/cognito-totp/cognito-totp/bench/internal/results"
	"github.com/cognito-totp/cognito-totp/bench/internal/term"
)

const (
	region          = "us-east-1"
	demoPassword    = "Demo-Temp-1234!" // the demo pool's temporary password, shown on its sign-in screen
	tempPassword    = "Temp-Passw0rd!"
	newPassword     = "N3w-Passw0rd!"
	screenTimeout   = 15 * time.Second
	signInMarker    = "Username:"
	newPwMarker     = "Choose a new password"
	secretMarker    = "type this secret"
	doneMarker      = "Authenticator app added"
	enter           = "\r"
	ctrlC           = "\x03"
	exitWait        = 10 * time.Second
	settleAfterDraw = 1500 * time.Millisecond
	frameQuiet      = 150 * time.Millisecond // no output for this long: the frame is complete
)

type harness struct {
	bin      string
	env      []string
	endpoint string // cognito-totp local, for the configured pool; "" skips it
	admin    *cip.Client
	poolID   string
	clientID string
	users    int
	res      *results.TTY
}

func main() {
	bin := flag.String("bin", "bench/out/bin/cognito-totp", "the cognito-totp binary")
	endpoint := flag.String("endpoint", "", "URL of a running `cognito-totp local`, for the configured-pool runs")
	startupRuns := flag.Int("startup-runs", 20, "runs per start-up measurement")
	awsRuns := flag.Int("aws-runs", 5, "runs of the aws CLI reference call (0 skips it)")
	sizes := flag.String("sizes", "80x24,120x40", "terminal sizes for the enrollment and idle runs")
	idle := flag.Duration("idle", 10*time.Second, "how long to sit on the secret screen")
	out := flag.String("out", "", "write the results as JSON to this file")
	hello := flag.String("hello", "bench/out/bin/hello", "a Go hello-world binary (bench/cmd/hello), the start-up floor")
	startupOnly := flag.Bool("startup-only", false, "measure start-up only: no enrollments, no idle runs")
	flag.Parse()

	h := &harness{bin: *bin, endpoint: *endpoint, res: &results.TTY{
		Command: strings.Join(append([]string{"bench/out/bin/tty"}, os.Args[1:]...), " "), Cores: runtime.NumCPU()}}
	h.env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TERM=xterm-256color", "LANG=C.UTF-8"}
	ctx := context.Background()
	if h.endpoint != "" {
		if err := h.setupPool(ctx); err != nil {
			h.fail("setting up the configured pool on %s: %v", h.endpoint, err)
			h.endpoint = ""
		}
	}

	// Start-up: the wizard's first frame and --version, each against a Go
	// hello-world run in the same rounds.
	probes := []probe{{label: "hello world (floor)", kind: "hello", argv: []string{*hello}, marker: "hello, world"},
		{label: "demo default", argv: h.demoArgs(), marker: signInMarker}}
	if h.endpoint != "" {
		probes = append(probes, probe{label: "configured pool", argv: h.configuredArgs(""), marker: signInMarker})
	}
	probes = append(probes, probe{label: "cognito-totp --version", kind: "version", argv: []string{h.bin, "--version"}},
		probe{label: "hello world, to its exit (floor)", kind: "hello exit", argv: []string{*hello}})
	h.startup(probes, *startupRuns)
	if *awsRuns > 0 && h.endpoint != "" {
		h.awsReference(*awsRuns)
	}
	if *startupOnly {
		h.write(*out)
		return
	}

	// Bytes and memory over whole enrollments, then idle.
	for _, size := range strings.Split(*sizes, ",") {
		var cols, rows int
		if _, err := fmt.Sscanf(size, "%dx%d", &cols, &rows); err != nil {
			h.fail("bad size %q", size)
			continue
		}
		h.enroll(ctx, "demo default", cols, rows)
		if h.endpoint != "" {
			h.enroll(ctx, "configured pool", cols, rows)
		}
		h.idle(cols, rows, *idle)
	}

	h.write(*out)
}

// write writes the results and exits 1 when anything failed.
func (h *harness) write(out string) {
	if err := results.Write(out, h.res); err != nil {
		fmt.Fprintln(os.Stderr, "tty:", err)
		os.Exit(1)
	}
	if len(h.res.Errors) > 0 {
		os.Exit(1)
	}
}

func (h *harness) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(os.Stderr, "tty:", msg)
	h.res.Errors = append(h.res.Errors, msg)
}

func (h *harness) demoArgs() []string { return []string{h.bin} }

func (h *harness) configuredArgs(username string) []string {
	args := []string{h.bin, "--user-pool-id", h.poolID, "--client-id", h.clientID, "--endpoint-url", h.endpoint}
	if username != "" {
		args = append(args, "--username", username)
	}
	return args
}

func (h *harness) setupPool(ctx context.Context) error {
	h.admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(h.endpoint), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "dummy", "")})
	p, err := h.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench-tty")})
	if err != nil {
		return err
	}
	h.poolID = aws.ToString(p.UserPool.Id)
	if _, err := h.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(h.poolID),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		return err
	}
	// The flows the demo client allows: SRP, the wizard's default, and passwords.
	c, err := h.admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(h.poolID), ClientName: aws.String("bench-tty"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		return err
	}
	h.clientID = aws.ToString(c.UserPoolClient.ClientId)
	return nil
}

// newUser makes a user of the configured pool with a temporary password, so
// that it goes through the same screens as the demo user.
func (h *harness) newUser(ctx context.Context) (string, error) {
	h.users++
	name := fmt.Sprintf("tty%03d", h.users)
	_, err := h.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(h.poolID), Username: aws.String(name),
		TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}})
	return name, err
}

// probe is one program whose start-up the harness times.
type probe struct {
	label, kind string
	argv        []string
	marker      string // "" waits for the program to exit
}

// startup times every probe runs+1 times (the first round unmeasured, to warm
// the page cache), one of each per round, so that the wizard and the
// hello-world floor are measured within milliseconds of each other on a
// machine whose load changes.
func (h *harness) startup(probes []probe, runs int) {
	samples := make([][]time.Duration, len(probes))
	firstBytes := make([][]time.Duration, len(probes))
	cpu := make([][]time.Duration, len(probes))
	failed := make([]bool, len(probes))
	for i := 0; i <= runs; i++ {
		for j, p := range probes {
			if failed[j] {
				continue
			}
			at, first, started, used, err := h.once(p)
			if err != nil {
				h.fail("%s: start-up: %v", p.label, err)
				failed[j] = true
				continue
			}
			if i > 0 {
				samples[j] = append(samples[j], at.Sub(started))
				firstBytes[j] = append(firstBytes[j], first.Sub(started))
				cpu[j] = append(cpu[j], used)
			}
		}
	}
	for j, p := range probes {
		if failed[j] {
			continue
		}
		cmd := commandLine(p.argv, 80, 24)
		if strings.HasPrefix(p.kind, "hello") {
			cmd = fmt.Sprintf("%s (in a 80x24 pty)", strings.Join(p.argv, " "))
		}
		r := results.StartupRun{Label: p.label, Kind: p.kind, Command: cmd}
		for _, d := range samples[j] {
			r.Samples = append(r.Samples, ms(d))
		}
		r.MedianMs = ms(loadkit.Median(samples[j]))
		r.FirstByteMs = ms(loadkit.Median(firstBytes[j]))
		r.CPUMs = ms(loadkit.Median(cpu[j]))
		fmt.Fprintf(os.Stderr, "tty: start-up %s: median %.1f ms (CPU %.1f ms) over %d runs\n", p.label, r.MedianMs, r.CPUMs, len(samples[j]))
		h.res.Startup = append(h.res.Startup, r)
	}
}

// once runs p in an 80x24 pty and returns when its marker showed (or it
// exited), when its first byte arrived, when it was started, and the CPU time
// it had used by then.
func (h *harness) once(p probe) (at, first, started time.Time, used time.Duration, err error) {
	s, err := term.Start(p.argv, h.env, 80, 24)
	if err != nil {
		return at, first, started, used, err
	}
	if p.marker == "" {
		code, err := s.Wait(exitWait)
		at = time.Now()
		s.Close()
		if err == nil && code != 0 {
			err = fmt.Errorf("exited %d: %s", code, s.Text())
		}
		if st := s.Cmd.ProcessState; st != nil {
			used = st.UserTime() + st.SystemTime()
		}
		return at, s.FirstByte(), s.Started, used, err
	}
	at, err = s.WaitFor(p.marker, screenTimeout)
	first = s.FirstByte()
	var cpuErr error
	if err == nil {
		used, cpuErr = s.CPUTime()
	}
	quit(s)
	if cpuErr != nil { // it had exited already (the hello-world): all its CPU was before
		if st := s.Cmd.ProcessState; st != nil {
			used, cpuErr = st.UserTime()+st.SystemTime(), nil
		}
	}
	if err == nil {
		err = cpuErr
	}
	return at, first, s.Started, used, err
}

// awsReference times one `aws cognito-idp describe-user-pool` call against
// the same local endpoint: the wall time of the tool people already know.
func (h *harness) awsReference(runs int) {
	path, err := exec.LookPath("aws")
	if err != nil {
		h.fail("the aws CLI is not on PATH: no reference for start-up")
		return
	}
	argv := []string{path, "--endpoint-url", h.endpoint, "--region", region, "cognito-idp", "describe-user-pool", "--user-pool-id", h.poolID}
	env := append([]string{"AWS_ACCESS_KEY_ID=AKIDBENCH", "AWS_SECRET_ACCESS_KEY=dummy", "AWS_PAGER="}, h.env...)
	r := results.StartupRun{Label: "aws cognito-idp describe-user-pool (reference)", Command: "aws --endpoint-url URL --region us-east-1 cognito-idp describe-user-pool --user-pool-id ID", Reference: true}
	var samples []time.Duration
	for i := 0; i <= runs; i++ {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		start := time.Now()
		out, err := cmd.CombinedOutput()
		d := time.Since(start)
		if err != nil {
			h.fail("aws reference call: %v: %s", err, out)
			return
		}
		if i > 0 {
			samples = append(samples, d)
		}
	}
	for _, d := range samples {
		r.Samples = append(r.Samples, ms(d))
	}
	r.MedianMs = ms(loadkit.Median(samples))
	fmt.Fprintf(os.Stderr, "tty: aws reference: median %.1f ms over %d runs\n", r.MedianMs, len(samples))
	h.res.Startup = append(h.res.Startup, r)
}

// secretLine is one line of the grouped secret on the secret screen: groups
// of up to four base32 characters at the end of a line.
var secretLine = regexp.MustCompile(`^.*?\s{2,}((?:[A-Z2-7]{4} )*[A-Z2-7]{1,4})$`)

// readSecret takes the grouped secret from the lines under "type this secret".
func readSecret(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.Contains(l, secretMarker) {
			continue
		}
		var b strings.Builder
		for _, next := range lines[i+1:] {
			m := secretLine.FindStringSubmatch(strings.TrimRight(next, " "))
			if m == nil {
				break
			}
			b.WriteString(strings.ReplaceAll(m[1], " ", ""))
		}
		return b.String()
	}
	return ""
}

// toSecretScreen signs in and sets the new password, and returns the secret
// the secret screen shows and the bytes written until it was complete.
func toSecretScreen(s *term.Session, typedUsername string, password string) (string, map[string]int64, error) {
	by := map[string]int64{}
	if _, err := s.WaitFor(signInMarker, screenTimeout); err != nil {
		return "", by, err
	}
	by["sign-in"] = s.WaitQuiet(frameQuiet, screenTimeout)
	if typedUsername != "" {
		if err := s.Type(typedUsername + enter); err != nil {
			return "", by, err
		}
	}
	if err := s.Type(password + enter); err != nil {
		return "", by, err
	}
	if _, err := s.WaitFor(newPwMarker, screenTimeout); err != nil {
		return "", by, err
	}
	by["new password"] = s.WaitQuiet(frameQuiet, screenTimeout) - by["sign-in"]
	if err := s.Type(newPassword + enter + newPassword + enter); err != nil {
		return "", by, err
	}
	if _, err := s.WaitFor(secretMarker, screenTimeout); err != nil {
		return "", by, err
	}
	var secret string
	deadline := time.Now().Add(screenTimeout)
	for len(secret) < 16 && time.Now().Before(deadline) { // the lines may still be arriving
		secret = readSecret(s.Text())
		if len(secret) < 16 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if len(secret) < 16 {
		return "", by, fmt.Errorf("no secret under %q on the screen:\n%s", secretMarker, s.Text())
	}
	by["secret"] = s.WaitQuiet(frameQuiet, screenTimeout) - by["sign-in"] - by["new password"]
	return secret, by, nil
}

// enroll runs one whole enrollment: sign in, new password, the secret screen,
// a computed code, the done screen; then it reads the peak RSS and quits.
func (h *harness) enroll(ctx context.Context, label string, cols, rows int) {
	argv, typed, password := h.demoArgs(), "", demoPassword
	if label != "demo default" {
		name, err := h.newUser(ctx)
		if err != nil {
			h.fail("%s: creating a user: %v", label, err)
			return
		}
		argv, typed, password = h.configuredArgs(""), name, tempPassword
	}
	s, err := term.Start(argv, h.env, cols, rows)
	if err != nil {
		h.fail("%s: %v", label, err)
		return
	}
	defer s.Kill()
	secret, by, err := toSecretScreen(s, typed, password)
	if err != nil {
		h.fail("%s %dx%d: %v", label, cols, rows, err)
		return
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		h.fail("%s: computing the code for %q: %v", label, secret, err)
		return
	}
	before := s.Bytes()
	if err := s.Type(code + enter); err != nil {
		h.fail("%s: %v", label, err)
		return
	}
	if _, err := s.WaitFor(doneMarker, screenTimeout); err != nil {
		h.fail("%s %dx%d: %v", label, cols, rows, err)
		return
	}
	by["done"] = s.WaitQuiet(frameQuiet, screenTimeout) - before
	rss, err := s.PeakRSS()
	if err != nil {
		h.fail("%s: reading VmHWM: %v", label, err)
	}
	if err := s.Type("q"); err != nil {
		h.fail("%s: %v", label, err)
	}
	exit, err := s.Wait(exitWait)
	if err != nil {
		h.fail("%s %dx%d: quitting: %v", label, cols, rows, err)
	}
	total := s.Bytes()
	by["quit"] = total - before - by["done"]
	r := results.EnrollRun{Label: label, Cols: cols, Rows: rows, Command: commandLine(argv, cols, rows), Bytes: total, ByScreen: by,
		PeakRSSKiB: rss, Seconds: time.Since(s.Started).Seconds(), ExitCode: exit}
	if exit != 0 {
		h.fail("%s %dx%d: the wizard exited %d after enrolling, want 0", label, cols, rows, exit)
	}
	fmt.Fprintf(os.Stderr, "tty: enrollment %s %dx%d: %d bytes, peak RSS %d KiB\n", label, cols, rows, total, rss)
	h.res.Enroll = append(h.res.Enroll, r)
}

// idle sits on the secret screen of the demo for d and counts what is sent.
func (h *harness) idle(cols, rows int, d time.Duration) {
	const label = "demo default"
	s, err := term.Start(h.demoArgs(), h.env, cols, rows)
	if err != nil {
		h.fail("idle: %v", err)
		return
	}
	defer s.Kill()
	if _, _, err := toSecretScreen(s, "", demoPassword); err != nil {
		h.fail("idle %dx%d: %v", cols, rows, err)
		return
	}
	time.Sleep(settleAfterDraw)
	from := s.Bytes()
	start := time.Now()
	time.Sleep(d)
	to := s.Bytes()
	elapsed := time.Since(start)
	sent := s.Raw(from, to)
	cells := strings.Count(sent, "▀") + strings.Count(sent, "▄") + strings.Count(sent, "█")
	r := results.IdleRun{Label: label, Cols: cols, Rows: rows, Seconds: elapsed.Seconds(), Bytes: to - from,
		PerSecond: float64(to-from) / elapsed.Seconds(), QRCells: cells, QRResent: cells > 0, ScreenBytes: from}
	_ = s.Type(ctrlC)
	if _, err := s.Wait(exitWait); err != nil {
		h.fail("idle: quitting: %v", err)
	}
	fmt.Fprintf(os.Stderr, "tty: idle %dx%d: %.1f bytes/s, QR cells resent: %d\n", cols, rows, r.PerSecond, cells)
	h.res.Idle = append(h.res.Idle, r)
}

// quit asks the wizard to stop (ctrl+c) and kills it if it does not.
func quit(s *term.Session) {
	_ = s.Type(ctrlC)
	if _, err := s.Wait(exitWait); err != nil {
		s.Kill()
	}
	s.Close()
}

func commandLine(argv []string, cols, rows int) string {
	args := append([]string{"cognito-totp"}, argv[1:]...)
	return fmt.Sprintf("%s (in a %dx%d pty)", strings.Join(args, " "), cols, rows)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
