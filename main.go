// Command cognito-totp sets up an authenticator app (TOTP MFA) for an Amazon
// Cognito user-pool account, in the terminal. With no pool configured it runs
// on an embedded local pool, so `go run .` is a complete demo.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin"
	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
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
