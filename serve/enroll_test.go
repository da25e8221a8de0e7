package serve

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/ui"
)

// TestEnrollOverSSH is a person enrolling over SSH on a configured pool: a
// real SSH client with a 120x40 xterm, sign in, new password, secret read off
// the screen, the code an app would show, done. On the way the window is made
// too small for the QR and back, which only works if size changes reach the
// program. Afterwards the session exits 0 and the server's log says who came
// and how it ended, with no password, secret or code in it.
func TestEnrollOverSSH(t *testing.T) {
	t.Parallel()
	pool := localPoolWizards(t)
	ts := startServer(t, Config{Wizards: pool.wizards})
	tm := openTerminal(t, ts.mustDial(t))

	tm.signInPool(pool.demo)
	secret := tm.readSecret()

	tm.sess.WindowChange(20, 60)
	tm.waitFor("Window too small for the QR code")
	tm.sess.WindowChange(40, 120)

	code := tm.confirm(secret)
	tm.typ("q")
	if got := tm.waitExit(); got != exitEnrolled {
		t.Errorf("exit status %d, want %d (enrolled)", got, exitEnrolled)
	}

	ts.waitForLog(t, "msg=\"session end\"")
	logs := ts.logs.String()
	for _, want := range []string{"msg=connect", "user=tester", "key=SHA256:", "outcome=Enrolled", `ended="wizard finished"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	for name, secretThing := range map[string]string{
		"temporary password": pool.demo.TemporaryPassword, "new password": newPassword,
		"TOTP secret": secret, "TOTP secret's first group": secret[:8], "code": code,
	} {
		if strings.Contains(logs, secretThing) {
			t.Errorf("the log contains the %s:\n%s", name, logs)
		}
	}
}

// TestSessionsNeverShareState runs two demo sessions at once. Each gets a demo
// pool of its own, so each enrolls its own user with its own secret, and
// neither's output ever holds the other's secret.
func TestSessionsNeverShareState(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{Wizards: DemoWizards("serve-test", ui.Options{CallTimeout: 20 * time.Second})})
	a := openTerminal(t, ts.mustDial(t))
	b := openTerminal(t, ts.mustDial(t))
	a.waitFor("Local demo pool, not AWS")
	b.waitFor("Local demo pool, not AWS")

	// Interleaved, so both are live with a session in Cognito at once.
	a.signInDemo()
	b.signInDemo()
	secretA, secretB := a.readSecret(), b.readSecret()
	if secretA == secretB {
		t.Fatalf("both sessions were given the secret %d chars long that is the same", len(secretA))
	}
	a.confirm(secretA)
	b.confirm(secretB)

	for _, c := range []struct {
		name        string
		tm          *terminal
		otherSecret string
	}{{"A", a, secretB}, {"B", b, secretA}} {
		raw, seen := c.tm.out.String(), c.tm.screen()
		for _, form := range []string{c.otherSecret, group(c.otherSecret)} {
			if strings.Contains(raw, form) || strings.Contains(seen, form) {
				t.Errorf("session %s's output holds the other session's secret", c.name)
			}
		}
	}
	a.typ("q")
	b.typ("q")
	if a.waitExit() != exitEnrolled || b.waitExit() != exitEnrolled {
		t.Errorf("both sessions should exit enrolled")
	}
}

func group(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestOnlyTheWizard: a session without a terminal gets one line and is closed;
// so is a command; forwarding and subsystems are refused outright.
func TestOnlyTheWizard(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{})
	c := ts.mustDial(t)

	noPTY := openSession(t, c)
	noPTY.shell()
	if got := noPTY.waitExit(); got != exitFailed {
		t.Errorf("no terminal: exit status %d, want %d", got, exitFailed)
	}
	if got, want := noPTY.err.String(), refusalLine(i18n.English(), refuseNoPTY)+"\n"; got != want {
		t.Errorf("no terminal: stderr %q, want the one line %q", got, want)
	}
	if got := noPTY.out.String(); got != "" {
		t.Errorf("no terminal: stdout %q, want nothing", got)
	}

	cmd := openSession(t, c)
	if err := cmd.sess.RequestPty("xterm-256color", 40, 120, nil); err != nil {
		t.Fatal(err)
	}
	err := cmd.sess.Run("cat /etc/passwd")
	if exit, ok := err.(*gossh.ExitError); !ok || exit.ExitStatus() != exitFailed {
		t.Errorf("a command: %v, want exit status %d", err, exitFailed)
	}
	if got, want := cmd.err.String(), refusalLine(i18n.English(), refuseCommand); !strings.Contains(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("a command: stderr %q, want the one line %q", got, want)
	}

	sub := openSession(t, c)
	if err := sub.sess.RequestSubsystem("sftp"); err == nil {
		t.Errorf("the sftp subsystem was granted")
	}
	if conn, err := c.Dial("tcp", ts.addr); err == nil {
		conn.Close()
		t.Errorf("a local forward (direct-tcpip) was opened")
	}
	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Errorf("a remote forward (tcpip-forward) was granted")
	}
	ts.waitForLog(t, `reason="no terminal"`)
	ts.waitForLog(t, `reason="a command was asked for"`)
}

// TestAnyClientByDefault: with no authorized_keys, a client with no key at all
// gets in (keyboard-interactive, no questions), and the log says it had none.
func TestAnyClientByDefault(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{})
	noQuestions := gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		if len(qs) > 0 {
			t.Errorf("the server asked %q", qs)
		}
		return make([]string, len(qs)), nil
	})
	tm := openTerminal(t, ts.mustDial(t, noQuestions))
	tm.waitFor("Username:")
	ts.waitForLog(t, "key=none")
}
