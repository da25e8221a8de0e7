package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/plain"
	"github.com/cognito-totp/cognito-totp/ui"
)

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
