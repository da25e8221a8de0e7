package serve

import (
	"charm.land/ssh"

	"github.com/cognito-totp/cognito-totp/flow"
)

// flowOptions are the flow options of one session's wizard: the server's
// metrics and, with PropagateClientIP, the SSH client's address (the PROXY
// header's, when in use), which every sign-in call then carries to Cognito
// as UserContextData.IpAddress.
func (s *Server) flowOptions(sess ssh.Session) []flow.Option {
	opts := []flow.Option{s.metrics.flowOption()}
	if s.cfg.PropagateClientIP {
		opts = append(opts, flow.WithClientIP(hostOf(sess.RemoteAddr())))
	}
	return opts
}
