package admin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
)

// ExitInterrupted is the exit code of a run stopped by ctrl+c (as the wizard's).
const ExitInterrupted = outcome.ExitInterrupted

// Env is what the admin commands read and write: the process's own in
// Command, a test's in NewCommand.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	StdinTerminal  bool // a person can answer a question
	StderrTerminal bool // progress is drawn as a bar, not as lines
	// ShowProgress draws progress on a terminal (progressui.Run on the
	// process's stdin and stderr), in lang; nil means plain lines.
	ShowProgress func(ctx context.Context, lang *i18n.Localizer, work progressui.Work) error
	Credentials  aws.CredentialsProvider // nil: the SDK's standard chain
	HTTPClient   *http.Client
	Retry        RetrySettings
	Exit         *int // set to ExitInterrupted when ctrl+c stopped a run
}

// OSEnv is the process's own Env; exit receives the exit code of an
// interrupted run.
func OSEnv(exit *int) Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		StdinTerminal: term.IsTerminal(os.Stdin.Fd()), StderrTerminal: term.IsTerminal(os.Stderr.Fd()), Exit: exit,
		ShowProgress: func(ctx context.Context, lang *i18n.Localizer, work progressui.Work) error {
			return progressui.Run(ctx, os.Stdin, os.Stderr, lang, work)
		}}
}

type common struct {
	env        Env
	pool       config.Settings
	awsProfile string
}

// NewCommand is `cognito-totp admin` and its subcommands.
func NewCommand(env Env) *cobra.Command {
	c := &common{env: env}
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "For administrators: a user's MFA, a lost phone, the rollout (AWS credentials)",
		Long: "Commands for the people who run the user pool. Unlike the wizard, they call\n" +
			"Cognito's admin API, signed with AWS credentials from the usual places:\n" +
			"AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile of ~/.aws/config\n" +
			"(--aws-profile or AWS_PROFILE), SSO (aws sso login), or an instance or task role.\n" +
			"With no pool configured they run on the local demo pool, in memory.",
		Example: "  cognito-totp admin user alice --user-pool-id eu-west-1_AbC123\n" +
			"  cognito-totp admin reset-totp alice --user-pool-id eu-west-1_AbC123\n" +
			"  cognito-totp admin status --user-pool-id eu-west-1_AbC123 --output csv > rollout.csv",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	c.pool.BindPool(cmd.PersistentFlags())
	cmd.PersistentFlags().StringVar(&c.awsProfile, "aws-profile", "", "profile of ~/.aws/config for the AWS credentials (default: AWS_PROFILE); --profile is a named pool")
	// As the root command's --lang; persistent, so that it is read after
	// the subcommand's name too (cognito-totp --lang ja admin status).
	c.pool.BindLang(cmd.PersistentFlags(), "what the admin commands say (JSON and CSV stay English)")
	cmd.AddCommand(c.userCommand(), c.resetCommand(), c.statusCommand())
	cmd.AddCommand(c.requireMFACommand())
	return cmd
}

// Command is NewCommand on the process's own terminal and environment.
func Command(exit *int) *cobra.Command { return NewCommand(OSEnv(exit)) }

// connect completes the pool settings and returns an Admin for them, or for
// the local demo pool when no pool is configured (and how to stop it).
func (c *common) connect(ctx context.Context) (*Admin, func(), error) {
	if err := c.pool.CompletePool(c.env.Getenv); err != nil {
		return nil, nil, err
	}
	if c.pool.Local() {
		return c.demo(ctx)
	}
	a, err := Connect(ctx, c.pool.UserPoolID, Connection{Region: c.pool.Region, EndpointURL: c.pool.EndpointURL,
		AWSProfile: c.awsProfile, Credentials: c.env.Credentials, HTTPClient: c.env.HTTPClient, Retry: c.env.Retry})
	return a, func() {}, err
}

// tr is the language the person reads: --lang, COGNITO_TOTP_LANG, the
// profile's lang (once the pool settings are complete), then the locale, all
// read through Env.Getenv as the wizard reads them.
func (c *common) tr() *i18n.Localizer { return c.pool.Language(c.env.Getenv).Localizer() }

// said is a command's error with its sentence in the person's language,
// which main prints in place of the English of Error().
type said struct {
	err  error
	text string
}

func (s *said) Error() string { return s.err.Error() }
func (s *said) Unwrap() error { return s.err }

// Localized is the error as a whole sentence in the person's language,
// wrapped at 80 columns after main's "cognito-totp: ".
func (s *said) Localized() string { return s.text }

// run is f with its *Error said in the person's language.
func (c *common) run(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		var e *Error
		if errors.As(err, &e) {
			// main prints it after its name, so the first line wraps with it.
			const name = "cognito-totp: "
			// Whatever an endpoint said inside it is made harmless there.
			return &said{err: err, text: strings.TrimPrefix(safeLines(wrap(name+e.In(c.tr()))), name)}
		}
		return err
	}
}

// ask prints question on stderr and reads a yes or no on stdin, in the
// person's language (the plain mode's words: y, yes; s, sí; はい).
func (c *common) ask(ctx context.Context, question text) (bool, error) {
	tr := c.tr()
	fmt.Fprint(c.env.Stderr, wrap(tr.T(i18n.AdminAsk, "Question", question.In(tr)))+" ")
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(c.env.Stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(c.env.Stderr)
		return false, withCause(newError(KindCanceled, say(i18n.AdminErrStoppedUnchanged)), ctx.Err())
	case line := <-answer:
		a := strings.ToLower(strings.TrimSpace(line))
		return a != "" && slices.Contains(strings.Fields(tr.T(i18n.PlainYesWords)), a), nil
	}
}

func (c *common) interrupted() {
	if c.env.Exit != nil {
		*c.env.Exit = ExitInterrupted
	}
}

func checkOutput(output string, allowed ...string) error {
	if !slices.Contains(allowed, output) {
		return newError(KindUsage, say(i18n.AdminErrOutput, "Allowed", strings.Join(allowed, ", "), "Output", strconv.Quote(output)))
	}
	return nil
}

func (c *common) userCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "user USERNAME",
		Short: "A user's status, MFA factors, and what their next sign-in asks",
		Long: "Reads the user (AdminGetUser) and the pool's MFA configuration\n" +
			"(GetUserPoolMfaConfig) and says whether the next sign-in asks for a code from an\n" +
			"authenticator app, asks to set one up, or neither.",
		Args: cobra.ExactArgs(1),
		RunE: c.run(func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json"); err != nil {
				return err
			}
			a, stop, err := c.connect(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			r, err := a.Describe(cmd.Context(), args[0])
			if err != nil {
				return userErr(args[0], err, false)
			}
			if output == "json" {
				return WriteUserJSON(c.env.Stdout, r)
			}
			return WriteUser(c.env.Stdout, c.tr(), r)
		}),
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}

// userErr names the user in an unknown-user error.
func userErr(username string, err error, changes bool) error {
	if KindOf(err) == KindUserNotFound {
		key := i18n.AdminErrUnknownUser
		if changes {
			key = i18n.AdminErrUnknownUserUnchanged
		}
		e := withCause(newError(KindUserNotFound, say(key, "Username", username)), err)
		e.Action = "cognito-idp:AdminGetUser"
		return e
	}
	return err
}

func (c *common) resetCommand() *cobra.Command {
	var yes, keep bool
	cmd := &cobra.Command{
		Use:   "reset-totp USERNAME",
		Short: "Remove a user's authenticator app (a lost phone) and sign them out",
		Long: "Removes the user's software token and TOTP preference (AdminDeleteSoftwareToken),\n" +
			"leaving other factors, then signs the user out of every session\n" +
			"(AdminUserGlobalSignOut) unless --keep-sessions. In a pool where MFA is required,\n" +
			"the next sign-in asks to set up a new authenticator app, which the cognito-totp\n" +
			"wizard does. It asks first, naming the user and the pool; --yes skips that.",
		Args: cobra.ExactArgs(1),
		RunE: c.run(func(cmd *cobra.Command, args []string) error {
			ctx, username := cmd.Context(), args[0]
			a, stop, err := c.connect(ctx)
			if err != nil {
				return err
			}
			defer stop()
			opts := ResetOptions{KeepSessions: keep}
			if !yes {
				opts.Confirm = func(r UserReport) (bool, error) {
					q := say(i18n.AdminResetAskSignOut, "Username", username, "PoolID", a.PoolID())
					if keep {
						q = say(i18n.AdminResetAsk, "Username", username, "PoolID", a.PoolID())
					}
					if !c.env.StdinTerminal {
						return false, newError(KindNotConfirmed, say(i18n.AdminErrResetNoTerminal, "Username", username, "PoolID", a.PoolID()))
					}
					return c.ask(ctx, q)
				}
			}
			res, err := a.ResetTOTP(ctx, username, opts)
			if err != nil {
				if KindOf(err) == KindCanceled {
					c.interrupted()
				}
				return userErr(username, err, true)
			}
			return writeReset(c.env.Stdout, c.tr(), username, a.PoolID(), res)
		}),
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (for scripts)")
	cmd.Flags().BoolVar(&keep, "keep-sessions", false, "do not sign the user out of their current sessions")
	return cmd
}

func writeReset(w io.Writer, tr *i18n.Localizer, username, poolID string, r ResetResult) error {
	done := say(i18n.AdminResetDoneKept, "Username", username, "PoolID", poolID)
	if r.SignedOut {
		done = say(i18n.AdminResetDoneSignedOut, "Username", username, "PoolID", poolID)
	}
	next := say(i18n.AdminResetNext, "Next", r.Next.text)
	switch r.Next.Next {
	case NextSetUpTOTP:
		next = say(i18n.AdminResetNextSetUp, "Username", username)
	case NextNoCode:
		next = sentences(next, say(i18n.AdminResetNextNoCode, "Username", username))
	}
	_, err := fmt.Fprintln(w, wrap(done.In(tr))+"\n"+wrap(next.In(tr)))
	return err
}
