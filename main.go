// Command cognito-totp sets up an authenticator app (TOTP MFA) for an Amazon
// Cognito user-pool account, in the terminal. With no pool configured it runs
// on an embedded local pool, so `go run .` is a complete demo.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/fang/v2"
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

// Exit codes, documented in the README.
const (
	exitEnrolled    = 0
	exitFailed      = 1
	exitInterrupted = 130
	exitInternal    = 70 // a bug stopped the wizard (EX_SOFTWARE)
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
		api, err := flow.NewAPI(ctx, pool, flow.Endpoint{URL: s.EndpointURL})
		if err != nil {
			return exitFailed, err
		}
		opts.Client = flow.New(api, pool, flowOpts...) // the wizard names the pool in its language
	}
	if plain.Wanted(s.Plain, os.Getenv("TERM"), term.IsTerminal(os.Stdout.Fd())) {
		return runPlain(ctx, opts, authFlow)
	}
	app := ui.New(opts)
	guarded := ui.Guard(app)
	// One signal handler, ours: SIGINT, SIGTERM and SIGHUP (an SSH drop) all
	// cancel ctx, which stops the program, restores the terminal and exits 130.
	p := tea.NewProgram(guarded, tea.WithContext(ctx), tea.WithOutput(os.Stderr), tea.WithoutSignalHandler(), tea.WithoutCatchPanics())
	_, err = p.Run()
	if guarded.Panicked() {
		return exitInternal, errors.New("an internal error stopped the wizard; the terminal is restored and nothing secret was written. Run again with --debug FILE and report it")
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

// debugLog opens --debug FILE (0600, appended) for flow's call log; the
// logger is nil when there is no file.
func debugLog(path string) ([]flow.Option, *slog.Logger, func(), error) {
	if path == "" {
		return nil, nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("could not open the debug log: %w", err)
	}
	log := slog.New(slog.NewTextHandler(f, nil))
	return []flow.Option{flow.WithDebugLog(log)}, log, func() { f.Close() }, nil
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
func runPlain(ctx context.Context, opts ui.Options, authFlow flow.AuthFlow) (int, error) {
	po := plain.Options{Client: opts.Client, Username: opts.Username, PoolLabel: opts.PoolLabel,
		CallTimeout: opts.CallTimeout, AuthFlow: authFlow, Lang: opts.Lang}
	if opts.Demo != nil {
		po.Demo = &plain.Demo{Username: opts.Demo.Username, Password: opts.Demo.Password, PoolID: opts.Demo.PoolID}
	}
	if fd := os.Stdin.Fd(); term.IsTerminal(fd) {
		// A signal during a no-echo read would leave echo off: put the state back.
		if state, err := term.GetState(fd); err == nil {
			defer term.Restore(fd, state) //nolint:errcheck // best effort on the way out
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
	var addr, region, dataDir string
	var demo bool
	cmd := &cobra.Command{
		Use:   "local",
		Short: "Serve a local Cognito-compatible endpoint for other clients",
		Long: "Serves Cognito user pools' API (AWS JSON 1.1): pools, clients, users,\n" +
			"sign-in challenges and real TOTP. Point the aws CLI or an SDK at it with --endpoint-url.\n\n" +
			"Everything is in memory and gone when it stops, unless --data-dir names a directory:\n" +
			"then pools, app clients, users, TOTP secrets, MFA settings, refresh tokens, sign-outs,\n" +
			"the signing key and the SMS/email outbox are kept there (SQLite), each change committed\n" +
			"before its answer is sent. Challenge sessions are not kept: a sign-in under way when it\n" +
			"stops starts again. One process at a time may use a directory.",
		Example: "  cognito-totp local --addr 127.0.0.1:9229 --demo\n" +
			"  cognito-totp local --addr 127.0.0.1:9229 --data-dir ~/.local/share/cognito-local\n" +
			"  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:9229 \\\n" +
			"    --region us-east-1 cognito-idp create-user-pool --pool-name test",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveLocal(cmd.Context(), cmd.ErrOrStderr(), addr, region, dataDir, demo)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:9229", "Address to listen on")
	cmd.Flags().StringVar(&region, "region", "us-east-1", "region in the pool IDs it makes")
	cmd.Flags().BoolVar(&demo, "demo", false, "seed the demo pool, client and user, and print their IDs")
	cmd.Flags().StringVar(&dataDir, "data-dir", "", "keep the endpoint's data in this directory across restarts (default: in memory only; with --demo, each start seeds new demo pools)")
	return cmd
}

func serveLocal(ctx context.Context, w io.Writer, addr, region, dataDir string, seed bool) error {
	local, err := openLocal(region, dataDir)
	if err != nil {
		return err
	}
	defer local.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("could not listen on %s: %w", addr, err)
	}
	if dataDir != "" {
		fmt.Fprintf(w, "Data kept in %s.\n", dataDir)
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
	srv := &http.Server{Handler: local, ReadHeaderTimeout: 10 * time.Second}
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

// openLocal makes the endpoint: in memory, or kept in dataDir when given.
func openLocal(region, dataDir string) (*cognitolocal.Server, error) {
	if dataDir == "" {
		return cognitolocal.New(cognitolocal.Options{Region: region}), nil
	}
	return cognitolocal.Open(dataDir, cognitolocal.Options{Region: region})
}
