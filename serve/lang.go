package serve

import (
	"log/slog"
	"strings"

	"charm.land/ssh"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// sessionLanguage is the language one SSH session reads: chosen from the
// environment its client sent (ssh -o SendEnv=LANG), never from the server
// process's own, which serves people in many languages at once; with none
// sent, the server's configured language.
func (s *Server) sessionLanguage(sess ssh.Session, log *slog.Logger) *i18n.Localizer {
	c := languageOf(sess.Environ())
	switch {
	case c.Unknown != "":
		log.Info("language not supported; English instead", "asked", c.Unknown, "from", c.From)
	case c.From == "" && s.cfg.Lang != nil:
		return s.cfg.Lang
	}
	return c.Localizer()
}

// languageOf chooses from an environment given as KEY=value lines.
func languageOf(environ []string) i18n.Choice {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return i18n.Choose("", "", func(k string) string { return env[k] })
}
