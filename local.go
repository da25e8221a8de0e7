package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
	"github.com/cognito-totp/cognito-totp/config"
)

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
			if err := config.CheckRegion(region, "--region"); err != nil {
				return err
			}
			return serveLocal(cmd.Context(), cmd.ErrOrStderr(), addr, region, dataDir, demo, localLimits)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:9229", "Address to listen on")
	cmd.Flags().StringVar(&region, "region", "us-east-1", "region in the pool IDs it makes")
	cmd.Flags().BoolVar(&demo, "demo", false, "seed the demo pool, client and user, and print their IDs")
	cmd.Flags().StringVar(&dataDir, "data-dir", "", "keep the endpoint's data in this directory across restarts (default: in memory only; with --demo, each start seeds new demo pools)")
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

func serveLocal(ctx context.Context, w io.Writer, addr, region, dataDir string, seed bool, limits httpLimits) error {
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

// openLocal makes the endpoint: in memory, or kept in dataDir when given.
func openLocal(region, dataDir string) (*cognitolocal.Server, error) {
	if dataDir == "" {
		return cognitolocal.New(cognitolocal.Options{Region: region}), nil
	}
	return cognitolocal.Open(dataDir, cognitolocal.Options{Region: region})
}
