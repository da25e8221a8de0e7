// Command cognito-totp sets up an authenticator app (TOTP MFA) for an Amazon
// Cognito user-pool account, in the terminal. With no pool configured it runs
// on an embedded local pool, so `go run .` is a complete demo.
package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/fang/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/demo"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/plain"
	"github.com/cognito-totp/cognito-totp/ui"
)

// Exit codes, documented in the README; one table for every command.
const (
	exitEnrolled    = outcome.ExitEnrolled
	exitFailed      = outcome.ExitFailed
	exitInterrupted = outcome.ExitInterrupted
	exitInternal    = outcome.ExitInternal
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	code := exitEnrolled
	root := rootCommand(&code)
	root.SetArgs(args)
	if err := fang.Execute(ctx, root, fang.WithVersion(currentBuild().String()), fang.WithErrorHandler(printError)); err != nil {
		if code == exitInternal { // the command said why, and it is not the person's doing
			return exitInternal
		}
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitFailed
	}
	return code
}

func rootCommand(code *int) *cobra.Command {
	var s config.Settings
	cmd := &cobra.Command{
		Use:   "cognito-totp",
		Short: "Set up an authenticator app (TOTP MFA) for an Amazon Cognito user",
		Long: "cognito-totp signs you in to a Cognito user pool, walks through what Cognito asks,\n" +
			"shows the authenticator secret as a QR code and as text, checks your first code\n" +
			"and leaves TOTP MFA enabled. With no pool configured it runs on a local demo pool.",
		Example: "  # try it on the built-in local demo pool\n" +
			"  cognito-totp\n\n" +
			"  # a real pool (the region comes from the pool ID)\n" +
			"  cognito-totp --user-pool-id eu-west-1_AbC123 --client-id 1example23456789 --issuer \"Acme\"\n\n" +
			"  # serve a local Cognito endpoint for other clients\n" +
			"  cognito-totp local --addr 127.0.0.1:9229",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := s.Complete(os.Getenv); err != nil {
				return err
			}
			c, err := runWizard(cmd.Context(), s)
			*code = c
			return err
		},
	}
	s.Bind(cmd.Flags())
	cmd.AddCommand(localCommand())
	cmd.AddCommand(serveCommand())
	cmd.AddCommand(admin.Command(code))
	return cmd
}

// runWizard runs the terminal wizard and returns the exit code.
func runWizard(ctx context.Context, s config.Settings) (int, error) {
	if err := ui.CheckIssuer(s.Issuer); err != nil { // before a secret is made that no QR code could hold
		return exitFailed, err
	}
	usePlain := plain.Wanted(s.Plain, os.Getenv("TERM"), term.IsTerminal(os.Stdout.Fd()))
	if !usePlain {
		// The renderer measures text with go-runewidth, whose first rune
		// above U+02FF builds a 2 MB width table: milliseconds that every
		// first frame (a rule, a bullet, any Japanese) would wait for. Built
		// here, on another core, it is ready by the time the frame is drawn.
		go ansi.StringWidthWc("─")
	}
	flowOpts, log, closeLog, err := debugLog(s.DebugFile)
	if err != nil {
		return exitFailed, err
	}
	defer closeLog()
	lang := s.Language(os.Getenv)
	logLanguage(log, lang)
	authFlow, _ := flow.ParseAuthFlow(s.AuthFlow) // config checked it
	opts := ui.Options{Username: s.Username, CallTimeout: 20 * time.Second, AuthFlow: authFlow, AccessToken: s.AccessToken,
		Lang: lang.Localizer()}
	if s.Local() {
		var shutdown func()
		if opts, shutdown, err = demo.Start(ctx, s.Issuer, opts, flowOpts...); err != nil {
			return exitFailed, err
		}
		defer shutdown()
	} else {
		pool := flow.Pool{UserPoolID: s.UserPoolID, ClientID: s.ClientID, ClientSecret: s.ClientSecret,
			Region: s.Region, Issuer: s.Issuer, SessionValidity: s.SessionValidity}
		// The SDK's configuration is loaded by the first sign-in, after the first frame.
		api := flow.NewLazyAPI(pool, flow.Endpoint{URL: s.EndpointURL})
		opts.Client = flow.New(api, pool, flowOpts...) // the wizard names the pool in its language
	}
	if usePlain {
		return runPlain(ctx, opts, authFlow, log)
	}
	app := ui.New(opts)
	var model tea.Model = app
	if testWrap != nil {
		model = testWrap(model)
	}
	guarded := ui.Guard(model)
	// One signal handler, ours: SIGINT, SIGTERM and SIGHUP (an SSH drop) all
	// cancel ctx, which stops the program, restores the terminal and exits 130.
	p := tea.NewProgram(guarded, tea.WithContext(ctx), tea.WithOutput(os.Stderr), tea.WithoutSignalHandler(), tea.WithoutCatchPanics())
	stops, endStops := context.WithCancel(ctx) // SIGTSTP and SIGCONT: hand the terminal back, then take it again
	go ui.FollowStops(stops, p)
	_, err = p.Run()
	endStops()
	if guarded.Panicked() {
		logPanic(log, guarded.Recovered())
		return exitInternal, errInternal
	}
	if err != nil {
		if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) || ctx.Err() != nil {
			return exitInterrupted, nil
		}
		return exitFailed, err
	}
	switch app.Outcome() {
	case ui.Enrolled:
		return exitEnrolled, nil
	case ui.Interrupted:
		return exitInterrupted, nil
	}
	if ctx.Err() != nil { // a signal arrived as the program was ending
		return exitInterrupted, nil
	}
	return exitFailed, nil
}

// errInternal is what a person reads when a bug stopped the wizard; the
// debug log, when there is one, has the stack.
var errInternal = errors.New("an internal error stopped the wizard; the terminal is restored and nothing secret was written. Run again with --debug FILE and report it")

// testWrap, when set, wraps the wizard's model. Only a test build sets it
// (see testpanic.go), to make the wizard panic on purpose.
var testWrap func(tea.Model) tea.Model

// debugLog opens --debug FILE (0600, appended) for flow's call log; the
// logger is nil when there is no file. It writes its first line at once, so
// that a file that cannot be written (a full disk, /dev/full, a read-only
// mount) is refused at start-up, not found empty after a failure.
func debugLog(path string) ([]flow.Option, *slog.Logger, func(), error) {
	if path == "" {
		return nil, nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("could not open the debug log %s: %v", path, pathErr(err))
	}
	h := slog.NewTextHandler(f, nil)
	first := slog.NewRecord(time.Now(), slog.LevelInfo, "debug log started", 0)
	first.AddAttrs(slog.String("version", currentBuild().String()), slog.Int("pid", os.Getpid()))
	err = h.Handle(context.Background(), first)
	if err == nil {
		// A regular file's write can succeed into the page cache and fail
		// later for want of space; Sync says now. A terminal or a pipe
		// cannot be synced (EINVAL), and needs not be.
		if serr := f.Sync(); serr != nil && !errors.Is(serr, syscall.EINVAL) && !errors.Is(serr, syscall.ENOTSUP) {
			err = serr
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("could not write the debug log %s: %v", path, pathErr(err))
	}
	log := slog.New(h)
	return []flow.Option{flow.WithDebugLog(log)}, log, func() { f.Close() }, nil
}

func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// logPanic puts a recovered panic in the debug log: its type, the runtime's
// message when the runtime raised it, and the stack without argument values
// (ui.Panic says why that is all).
func logPanic(log *slog.Logger, p *ui.Panic) {
	if log == nil || p == nil {
		return
	}
	attrs := []any{"type", p.Type}
	if p.Runtime != "" {
		attrs = append(attrs, "runtime_error", p.Runtime)
	}
	log.Error("internal error: the wizard panicked", append(attrs, "stack", p.Stack)...)
}

// logLanguage notes in the debug log (when there is one) which language was
// chosen and from where, and a language asked for that is not supported.
func logLanguage(log *slog.Logger, c i18n.Choice) {
	if log == nil {
		return
	}
	if c.Unknown != "" {
		log.Warn("language not supported; English instead", "asked", c.Unknown, "from", c.From)
		return
	}
	log.Info("language", "lang", c.Tag.String(), "from", c.From)
}

// runPlain runs the same enrollment as line-by-line prompts on stdin and
// stdout, for screen readers, logs and expect scripts.
func runPlain(ctx context.Context, opts ui.Options, authFlow flow.AuthFlow, log *slog.Logger) (int, error) {
	return recoverInternal(log, func() (int, error) { return runPrompts(ctx, opts, authFlow) })
}

// recoverInternal runs f and makes a panic on this goroutine end as one in
// the full-screen wizard does: exit 70, errInternal, and the stack in the
// debug log. f's own deferred calls (the terminal's state put back) run
// first.
func recoverInternal(log *slog.Logger, f func() (int, error)) (code int, err error) {
	defer func() {
		if v := recover(); v != nil {
			logPanic(log, ui.NewPanic(v, debug.Stack()))
			code, err = exitInternal, errInternal
		}
	}()
	return f()
}

func runPrompts(ctx context.Context, opts ui.Options, authFlow flow.AuthFlow) (int, error) {
	po := plain.Options{Client: opts.Client, Username: opts.Username, PoolLabel: opts.PoolLabel,
		CallTimeout: opts.CallTimeout, AuthFlow: authFlow, Lang: opts.Lang}
	if opts.Demo != nil {
		po.Demo = &plain.Demo{Username: opts.Demo.Username, Password: opts.Demo.Password, PoolID: opts.Demo.PoolID}
	}
	if fd := os.Stdin.Fd(); term.IsTerminal(fd) {
		// A signal during a no-echo read would leave echo off: put the state back.
		if state, err := term.GetState(fd); err == nil {
			defer term.Restore(fd, state) // best effort on the way out: nothing to do if it fails
		}
		po.ReadPassword = func() (string, error) { b, err := term.ReadPassword(fd); return string(b), err }
	}
	outcome, err := plain.Run(ctx, os.Stdin, os.Stdout, po)
	switch outcome {
	case plain.Enrolled:
		return exitEnrolled, err
	case plain.Interrupted:
		return exitInterrupted, err
	}
	return exitFailed, err
}

func localCommand() *cobra.Command {
	var addr, region string
	var demo bool
	cmd := &cobra.Command{
		Use:   "local",
		Short: "Serve a local Cognito-compatible endpoint (in memory) for other clients",
		Long: "Serves Cognito user pools' API (AWS JSON 1.1) in memory: pools, clients, users,\n" +
			"sign-in challenges and real TOTP. Point the aws CLI or an SDK at it with --endpoint-url.",
		Example: "  cognito-totp local --addr 127.0.0.1:9229 --demo\n" +
			"  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:9229 \\\n" +
			"    --region us-east-1 cognito-idp create-user-pool --pool-name test",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := config.CheckRegion(region, "--region"); err != nil {
				return err
			}
			return serveLocal(cmd.Context(), cmd.ErrOrStderr(), addr, region, demo, localLimits)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:9229", "Address to listen on")
	cmd.Flags().StringVar(&region, "region", "us-east-1", "region in the pool IDs it makes")
	cmd.Flags().BoolVar(&demo, "demo", false, "seed the demo pool, client and user, and print their IDs")
	return cmd
}

// httpLimits bound what one connection may hold of the server: time to send
// the headers and the whole request, to take the answer, to sit idle between
// requests, and the headers' size. (The request body is bounded by
// cognitolocal itself.)
type httpLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// localLimits are generous for any SDK or the aws CLI, which send a request
// of a few KB at once, and short enough that slow or abandoned connections
// cannot pile up.
var localLimits = httpLimits{
	readHeader:     10 * time.Second,
	read:           30 * time.Second,
	write:          30 * time.Second,
	idle:           60 * time.Second,
	maxHeaderBytes: 64 << 10,
}

func serveLocal(ctx context.Context, w io.Writer, addr, region string, seed bool, limits httpLimits) error {
	local := cognitolocal.New(cognitolocal.Options{Region: region})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("could not listen on %s: %w", addr, err)
	}
	fmt.Fprintf(w, "Local Cognito endpoint on http://%s (region %s). Stop with ctrl+c.\n", ln.Addr(), region)
	if seed {
		d, err := local.SeedDemo()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Demo pool %s, client %s (MFA required):\n", d.UserPoolID, d.ClientID)
		for _, u := range d.Users {
			if u.Username == "optional-user" {
				fmt.Fprintf(w, "Demo pool %s, client %s (MFA optional):\n", d.OptionalPoolID, d.OptionalClientID)
			}
			fmt.Fprintf(w, "  %s / %s: %s\n", u.Username, u.Password, u.Story)
		}
	}
	srv := &http.Server{Handler: local, ReadHeaderTimeout: limits.readHeader, ReadTimeout: limits.read,
		WriteTimeout: limits.write, IdleTimeout: limits.idle, MaxHeaderBytes: limits.maxHeaderBytes}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(c)
	}
}
