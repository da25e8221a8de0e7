package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/config"
	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/serve"
	"github.com/cognito-totp/cognito-totp/ui"
)

// sshOptions are the serve command's own flags; the pool comes from config.Settings.
type sshOptions struct {
	listen, hostKey, authorizedKeys string
	idleTimeout, shutdownGrace      time.Duration
	handshakeTimeout, drainDelay    time.Duration
	startTimeout                    time.Duration
	maxStartups                     string
	metricsListen                   string
	proxyProtocol                   bool
	proxyAllow                      []string
	propagateClientIP               bool
	maxSessions, maxNewPerMinute    int
}

func serveCommand() *cobra.Command {
	var s config.Settings
	var o sshOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Offer the wizard over SSH, so people enroll with nothing installed",
		Long: "Serves the wizard over SSH: each connection gets a wizard of its own on the configured\n" +
			"pool (or, with none, a local demo pool of its own). Any SSH client may connect unless\n" +
			"--authorized-keys is given: the Cognito sign-in is the authentication. A terminal is\n" +
			"required; there is no shell, no command and no forwarding. Stop with SIGTERM or ctrl+c:\n" +
			"live sessions get --shutdown-grace to finish.",
		Example: "  # the local demo pool; then, from another terminal: ssh -p 2222 localhost\n" +
			"  cognito-totp serve\n\n" +
			"  # a real pool, for the network, only for keys in a file\n" +
			"  cognito-totp serve --listen :2222 --user-pool-id eu-west-1_AbC123 --client-id 1example23456789 \\\n" +
			"    --issuer Acme --authorized-keys /etc/cognito-totp/authorized_keys",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := s.Complete(os.Getenv); err != nil {
				return err
			}
			switch {
			case s.AccessToken != "":
				// Everyone who connected would enroll that token's one user.
				return fmt.Errorf("--access-token-file is for the wizard run by the token's owner, not for serve, which offers the wizard to anyone who connects")
			case s.Plain:
				return fmt.Errorf("serve shows the full-screen wizard to every SSH terminal; --plain is for the wizard run locally")
			case o.propagateClientIP && s.ClientSecret == "":
				// Cognito takes UserContextData only from a client with a secret.
				return fmt.Errorf("--propagate-client-ip needs an app client with a secret and EnablePropagateAdditionalUserContextData: give its secret with --client-secret-file")
			}
			if err := ui.CheckIssuer(s.Issuer); err != nil {
				return err
			}
			return serveSSH(cmd.Context(), s, o)
		},
	}
	s.Bind(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&o.listen, "listen", serve.DefaultListen, "address to listen on for SSH")
	fs.StringVar(&o.hostKey, "host-key", defaultHostKeyPath(), "the server's SSH host key; made (ed25519, mode 0600) if missing")
	fs.StringVar(&o.authorizedKeys, "authorized-keys", "", "let in only the keys in this authorized_keys file (default: any SSH client)")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "close a session after this long without a key pressed")
	fs.IntVar(&o.maxSessions, "max-sessions", serve.DefaultMaxSessions, "sessions at once; more are refused")
	fs.IntVar(&o.maxNewPerMinute, "max-new-per-minute", serve.DefaultMaxNewPerMinute, "new connections per source address per minute; more are refused")
	fs.DurationVar(&o.handshakeTimeout, "handshake-timeout", serve.DefaultHandshakeTimeout, "close a connection that has not finished the SSH handshake after this long")
	fs.StringVar(&o.maxStartups, "max-startups", serve.DefaultMaxStartups.String(), "connections not yet logged in (authenticated, a session opened), as OpenSSH's MaxStartups start:rate:full: from start on, drop new ones with rate% chance, rising to 100% at full; at most start from one address")
	fs.DurationVar(&o.startTimeout, "start-timeout", serve.DefaultStartTimeout, "close a session channel that has not asked for a terminal session, or a connection with no session, after this long")
	fs.StringVar(&o.metricsListen, "metrics-listen", "", "serve Prometheus /metrics, /healthz and /readyz over HTTP on this address (default: off; never the SSH address)")
	fs.BoolVar(&o.proxyProtocol, "proxy-protocol", false, "behind a TCP balancer: connections from --proxy-allow must begin with a PROXY protocol v1/v2 header, whose client address the limits and the log use")
	fs.StringSliceVar(&o.proxyAllow, "proxy-allow", nil, "the balancers' addresses (CIDR,...) whose PROXY headers are believed; a header from any other source is refused")
	fs.BoolVar(&o.propagateClientIP, "propagate-client-ip", false, "send each SSH client's address (the PROXY header's, when in use) to Cognito as UserContextData on every sign-in call; the app client needs a secret and EnablePropagateAdditionalUserContextData")
	fs.DurationVar(&o.drainDelay, "drain-delay", 0, "on SIGTERM, how long /readyz says unready while new sessions are still taken, before the shutdown grace")
	fs.DurationVar(&o.shutdownGrace, "shutdown-grace", serve.DefaultShutdownGrace, "on SIGTERM, how long live sessions may run on before they are closed")
	return cmd
}

// defaultHostKeyPath is under the user's config directory; empty when there is none.
func defaultHostKeyPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "cognito-totp", "ssh_host_ed25519_key")
}

// serveSSH runs the SSH server until ctx is done (SIGINT, SIGTERM, SIGHUP).
func serveSSH(ctx context.Context, s config.Settings, o sshOptions) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	authFlow, _ := flow.ParseAuthFlow(s.AuthFlow) // config checked it
	base := ui.Options{Username: s.Username, CallTimeout: 20 * time.Second, AuthFlow: authFlow}
	flowOpts, _, closeLog, err := debugLog(s.DebugFile)
	if err != nil {
		return err
	}
	defer closeLog()
	if o.metricsListen != "" {
		if err := serve.CheckMetricsAddr(o.listen, o.metricsListen); err != nil {
			return err
		}
	}
	proxyAllow, err := serve.ParseProxyAllow(o.proxyAllow)
	if err != nil {
		return err
	}
	maxStartups, err := serve.ParseStartups(o.maxStartups)
	if err != nil {
		return err
	}
	if o.startTimeout <= 0 {
		return fmt.Errorf("--start-timeout must be more than zero; got %s", o.startTimeout)
	}
	metrics := serve.NewMetrics()
	var wizards serve.Wizards
	if s.Local() {
		wizards = serve.DemoWizards(s.Issuer, base, flowOpts...)
	} else {
		pool := flow.Pool{UserPoolID: s.UserPoolID, ClientID: s.ClientID, ClientSecret: s.ClientSecret,
			Region: s.Region, Issuer: s.Issuer, SessionValidity: s.SessionValidity}
		api, err := flow.NewAPI(ctx, pool, flow.Endpoint{URL: s.EndpointURL})
		if err != nil {
			return err
		}
		wizards = serve.PoolWizards(metrics.InstrumentCognito(api), pool, base, flowOpts...)
	}
	if o.hostKey == "" {
		return fmt.Errorf("there is no user config directory for the host key: give --host-key FILE")
	}
	// Each session's language comes from its own client's environment; the
	// server's --lang or profile lang is for clients that send none. The
	// server process's LANG is never read: it says nothing of the people.
	var lang *i18n.Localizer
	if c := i18n.Choose(s.Lang, s.ProfileLang, func(string) string { return "" }); c.From != "" {
		lang = c.Localizer()
	}
	srv, err := serve.New(serve.Config{
		Lang:             lang,
		HostKeyPath:      o.hostKey,
		AuthorizedKeys:   o.authorizedKeys,
		IdleTimeout:      o.idleTimeout,
		MaxSessions:      o.maxSessions,
		MaxNewPerMinute:  o.maxNewPerMinute,
		ShutdownGrace:    o.shutdownGrace,
		HandshakeTimeout: o.handshakeTimeout,
		StartTimeout:     o.startTimeout,
		MaxStartups:      maxStartups,
		DrainDelay:       o.drainDelay,
		Metrics:          metrics,
		ProxyProtocol:    o.proxyProtocol,
		ProxyAllow:       proxyAllow,
		Wizards:          wizards,
		Log:              log,

		PropagateClientIP: o.propagateClientIP,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("could not listen on %s: %w", o.listen, err)
	}
	if o.metricsListen == "" {
		return srv.Serve(ctx, ln)
	}
	mln, err := net.Listen("tcp", o.metricsListen)
	if err != nil {
		ln.Close()
		return fmt.Errorf("could not listen on %s for metrics: %w", o.metricsListen, err)
	}
	log.Info("metrics and health", "addr", mln.Addr().String(), "paths", "/metrics /healthz /readyz")
	httpErr := make(chan error, 1)
	go func() { httpErr <- srv.ServeHTTP(ctx, mln) }()
	err = srv.Serve(ctx, ln)
	if herr := <-httpErr; err == nil && herr != nil {
		err = fmt.Errorf("the metrics server stopped: %w", herr)
	}
	return err
}
