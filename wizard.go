package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/demo"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/plain"
	"github.com/cognito-totp/cognito-totp/ui"
)

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
	// Bubble Tea writes a frame on each tick of its renderer, the first one a
	// whole tick after the program starts: at its highest rate (120 a
	// second) the first frame waits 8 ms for it instead of 17. An unchanged
	// frame writes nothing, so the idle terminal gets no more bytes.
	teaOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(os.Stderr), tea.WithoutSignalHandler(), tea.WithoutCatchPanics(),
		tea.WithFPS(wizardFPS)}
	if cp, ok := detectedColorProfile(term.IsTerminal(os.Stdout.Fd()), term.IsTerminal(os.Stderr.Fd())); ok {
		teaOpts = append(teaOpts, tea.WithColorProfile(cp))
	}
	p := tea.NewProgram(guarded, teaOpts...)
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

// detectedColorProfile is the colour profile lipgloss detected for stdout
// as the process started, when it is also the answer for stderr, where the
// wizard draws. Detection depends only on whether the output is a terminal
// and on the environment, so the answers agree when both are terminals or
// neither is. Each detection reads the terminfo database and, inside tmux,
// runs `tmux info` as a child process; lipgloss does it once at package
// init whatever we do, so the wizard does not do it a second time before
// its first frame.
func detectedColorProfile(stdoutTTY, stderrTTY bool) (colorprofile.Profile, bool) {
	if stdoutTTY != stderrTTY {
		return 0, false
	}
	return lipgloss.Writer.Profile, true
}

// wizardFPS is the wizard's frame rate: Bubble Tea's highest.
const wizardFPS = 120

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
		po.ReadPassword = func() (string, error) { return readPassword(fd) }
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
