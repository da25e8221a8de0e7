package admin

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
	"github.com/cognito-totp/cognito-totp/config"
)

// ExitInterrupted is the exit code of a run stopped by ctrl+c (as the wizard's).
const ExitInterrupted = 130

// Env is what the admin commands read and write: the process's own in
// Command, a test's in NewCommand.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	StdinTerminal  bool // a person can answer a question
	StderrTerminal bool // progress is drawn as a bar, not as lines
	// ShowProgress draws progress on a terminal (progressui.Run on the
	// process's stdin and stderr); nil means plain lines.
	ShowProgress func(ctx context.Context, work progressui.Work) error
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
		ShowProgress: func(ctx context.Context, work progressui.Work) error {
			return progressui.Run(ctx, os.Stdin, os.Stderr, work)
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
	cmd.AddCommand(c.userCommand(), c.resetCommand(), c.statusCommand())
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

// ask prints question on stderr and reads a yes or no on stdin.
func (c *common) ask(ctx context.Context, question string) (bool, error) {
	fmt.Fprint(c.env.Stderr, wrap(question+" [y/N]")+" ")
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(c.env.Stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(c.env.Stderr)
		return false, &Error{Kind: KindCanceled, Message: "stopped, so nothing was changed", Err: ctx.Err()}
	case line := <-answer:
		a := strings.ToLower(strings.TrimSpace(line))
		return a == "y" || a == "yes", nil
	}
}

func (c *common) interrupted() {
	if c.env.Exit != nil {
		*c.env.Exit = ExitInterrupted
	}
}

func checkOutput(output string, allowed ...string) error {
	if !slices.Contains(allowed, output) {
		return fmt.Errorf("--output is %s, not %q", strings.Join(allowed, ", "), output)
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
		RunE: func(cmd *cobra.Command, args []string) error {
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
			return WriteUser(c.env.Stdout, r)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	return cmd
}

// userErr names the user in an unknown-user error.
func userErr(username string, err error, changes bool) error {
	if KindOf(err) == KindUserNotFound {
		msg := "there is no user " + username + " in this pool"
		if changes {
			msg += ", so nothing was changed"
		}
		return &Error{Kind: KindUserNotFound, Err: err, Action: "cognito-idp:AdminGetUser",
			Message: msg + "; usernames are case-sensitive, and an email alias is not a username"}
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
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, username := cmd.Context(), args[0]
			a, stop, err := c.connect(ctx)
			if err != nil {
				return err
			}
			defer stop()
			opts := ResetOptions{KeepSessions: keep}
			if !yes {
				opts.Confirm = func(r UserReport) (bool, error) {
					q := "Remove the authenticator app (TOTP) of " + username + " in pool " + a.PoolID()
					if !keep {
						q += ", and sign " + username + " out of every session"
					}
					if !c.env.StdinTerminal {
						return false, &Error{Kind: KindNotConfirmed, Message: "this would remove the authenticator app of " + username +
							" in pool " + a.PoolID() + "; with no terminal to ask, give --yes to confirm (nothing was changed)"}
					}
					return c.ask(ctx, q+"?")
				}
			}
			res, err := a.ResetTOTP(ctx, username, opts)
			if err != nil {
				if KindOf(err) == KindCanceled {
					c.interrupted()
				}
				return userErr(username, err, true)
			}
			return writeReset(c.env.Stdout, username, a.PoolID(), res)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation (for scripts)")
	cmd.Flags().BoolVar(&keep, "keep-sessions", false, "do not sign the user out of their current sessions")
	return cmd
}

func writeReset(w io.Writer, username, poolID string, r ResetResult) error {
	done := "Removed the authenticator app (TOTP) of " + username + " in pool " + poolID
	if r.SignedOut {
		done += ", and signed " + username + " out of every session: their tokens from before no longer work."
	} else {
		done += "; their current sessions were kept (--keep-sessions)."
	}
	next := "At their next sign-in Cognito " + r.Next.Sentence + "."
	switch r.Next.Next {
	case NextSetUpTOTP:
		next = "At their next sign-in Cognito asks to set up MFA: " + username +
			" runs the cognito-totp wizard, which walks them through adding the new phone's authenticator app."
	case NextNoCode:
		next += " To add the new phone's authenticator app, " + username + " runs the cognito-totp wizard after signing in."
	}
	_, err := fmt.Fprintln(w, wrap(done)+"\n"+wrap(next))
	return err
}

// wrap breaks a sentence for a person at word boundaries within 80 columns,
// the narrowest terminal the tool supports.
func wrap(s string) string { return ansi.Wordwrap(s, 80, "") }
