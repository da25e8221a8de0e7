package cognitolocal

import "time"

// Lockout, as Cognito does it: after lockoutAfter consecutive failures a user
// is refused for a delay that doubles with each further failure (1 s, 2 s,
// 4 s, ... up to lockoutMax), by the server's Clock. MFA codes (VerifySoftwareToken,
// SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP) and passwords (USER_PASSWORD_AUTH,
// USER_SRP_AUTH, USER_AUTH) are counted apart; a success resets its count.
// While locked, attempts are refused before they are checked, so a locked-out
// guess learns nothing and does not lengthen the delay.

const (
	lockoutAfter = 5
	lockoutFirst = time.Second
	lockoutMax   = 15 * time.Minute

	msgCodeLocked     = "Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds."
	msgPasswordLocked = "Password attempts exceeded"
)

type lockout struct {
	failures int       // consecutive
	until    time.Time // refused before this time
}

func (l *lockout) locked(now time.Time) bool { return now.Before(l.until) }

// failed counts one failure; from the lockoutAfter-th on, each one locks.
func (l *lockout) failed(now time.Time) {
	l.failures++
	if n := l.failures - lockoutAfter; n >= 0 {
		d := lockoutMax
		if n < 20 {
			d = min(lockoutFirst<<n, lockoutMax)
		}
		l.until = now.Add(d)
	}
}

func (l *lockout) reset() { *l = lockout{} }

func (s *Server) codeLocked(u *user) *apiError {
	if u.codeLock.locked(s.clock.Now()) {
		return errNotAuthorized(msgCodeLocked)
	}
	return nil
}

func (s *Server) codeFailed(u *user)    { u.codeLock.failed(s.clock.Now()) }
func (s *Server) codeSucceeded(u *user) { u.codeLock.reset() }

func (s *Server) passwordLocked(u *user) *apiError {
	if u.passwordLock.locked(s.clock.Now()) {
		return errNotAuthorized(msgPasswordLocked)
	}
	return nil
}

// checkPassword applies the password lockout around a password check.
func (s *Server) checkPassword(u *user, ok bool) *apiError {
	if !ok {
		u.passwordLock.failed(s.clock.Now())
		return errNotAuthorized(msgIncorrectCredentials)
	}
	u.passwordLock.reset()
	return nil
}
