package serve

import "github.com/cognito-totp/cognito-totp/i18n"

// reason is why the server refused something or ended a session. Each has
// one row in reasons: the words of the log, the label of the metrics and,
// for a refused session, the line its person reads.
type reason uint8

const (
	reasonNone reason = iota

	// Sessions refused: the person reads one line, then the session closes.
	refuseRate
	refuseCommand
	refuseNoPTY
	refuseBusy
	refuseClosing
	refuseWizard

	// Connections, channels and requests refused: the log and the metrics only.
	refuseHandshake
	refuseProxy
	refuseProxyMissing
	refuseStartups        // too many connections not yet logged in
	refuseStartupsAddress // too many of them from one address
	refuseDescriptors     // the process is short of file descriptors
	refuseChannels        // too many session channels on one connection
	refuseNoShell         // a channel or connection that asked for no session in time
	refuseEnv             // an environment variable not read, too long, or one too many
	refuseTerminal        // a pty-req that does not parse or names no sane terminal type

	// How a session that ran a wizard ended.
	endWizard
	endIdle
	endShutdown
	endDisconnected
	endSlowClient
	endPanic

	reasonCount
)

var reasons = [reasonCount]struct {
	log   string   // the log's words
	label string   // the metrics label
	line  i18n.Key // what a refused person reads; "" for none
}{
	refuseRate:    {"too many new connections from this address", "rate_limit", i18n.ServeRate},
	refuseCommand: {"a command was asked for", "command", i18n.ServeCommand},
	refuseNoPTY:   {"no terminal", "no_terminal", i18n.ServeNoTerminal},
	refuseBusy:    {"server full", "busy", i18n.ServeBusy},
	refuseClosing: {"server shutting down", "shutting_down", i18n.ServeClosing},
	refuseWizard:  {"the wizard could not start", "wizard_failed", i18n.ServeWizardFailed},

	refuseHandshake:       {"SSH handshake failed", "handshake_failed", ""},
	refuseProxy:           {"PROXY header from a source not allowed", "proxy_not_allowed", ""},
	refuseProxyMissing:    {"no valid PROXY header from an allowed balancer", "proxy_header_missing", ""},
	refuseStartups:        {"too many connections not yet logged in", "max_startups", ""},
	refuseStartupsAddress: {"too many connections not yet logged in from this address", "max_startups_per_address", ""},
	refuseDescriptors:     {"out of file descriptors", "out_of_descriptors", ""},
	refuseChannels:        {"too many sessions on one connection", "max_channels_per_connection", ""},
	refuseNoShell:         {"no session asked for in time", "no_session_in_time", ""},
	refuseEnv:             {"environment variable refused", "env_refused", ""},
	refuseTerminal:        {"terminal request refused", "terminal_refused", ""},

	endWizard:       {"wizard finished", "finished", ""},
	endIdle:         {"idle timeout", "idle_timeout", ""},
	endShutdown:     {"server shut down", "shutdown", ""},
	endDisconnected: {"client disconnected", "client_disconnected", ""},
	endSlowClient:   {"client not reading its output", "client_not_reading", ""},
	endPanic:        {"internal error", "internal_error", ""},
}

func (r reason) String() string { return reasons[r].log }

// isEnd says whether r is how a session ended, rather than a refusal.
func (r reason) isEnd() bool { return r >= endWizard && r < reasonCount }
