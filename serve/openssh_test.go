package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/pquerna/otp/totp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
	"github.com/cognito-totp/cognito-totp/ui"
)

// TestStockOpenSSHClient enrolls on the demo with the ssh command people have,
// in a pseudo-terminal of 120x40, checking the server's host key against a
// known_hosts file as ssh does.
func TestStockOpenSSHClient(t *testing.T) {
	t.Parallel()
	sshPath, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("the stock OpenSSH client (ssh) is not installed; skipping the test that uses it")
	}
	ts := startServer(t, Config{Wizards: DemoWizards("serve-test", ui.Options{CallTimeout: 20 * time.Second})})
	host, port, _ := net.SplitHostPort(ts.addr)
	openSSHEnroll(t, sshPath, host, port, ts.HostKey(), "")
	ts.waitForLog(t, "user=enroller")
	ts.waitForLog(t, "outcome=Enrolled")
}

// openSSHEnroll runs ssh to host:port (from the local address bind, when
// given) and enrolls on the demo wizard there, the host key checked against
// hostKey.
func openSSHEnroll(t *testing.T, sshPath, host, port string, hostKey gossh.PublicKey, bind string) {
	t.Helper()
	dir := t.TempDir()
	knownHosts := filepath.Join(dir, "known_hosts")
	line := "[" + host + "]:" + port + " " + string(gossh.MarshalAuthorizedKey(hostKey))
	identity := filepath.Join(dir, "id_ed25519")
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := gossh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(knownHosts, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(identity, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}

	args := []string{"-F", "/dev/null", "-p", port, "-i", identity,
		"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
		"-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes",
		"-o", "LogLevel=ERROR"}
	if bind != "" {
		args = append(args, "-b", bind)
	}
	cmd := exec.Command(sshPath, append(args, "enroller@"+host)...)
	cmd.Env = []string{"HOME=" + dir, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	term, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = term.Close(); _ = cmd.Process.Kill() })
	out := &syncbuf.Buffer{}
	go func() { _, _ = io.Copy(out, term) }()
	screen := func() string { return ansi.Strip(out.String()) }
	waitFor := func(re *regexp.Regexp) string {
		t.Helper()
		var m string
		eventually.Require(t, patience, func() bool { m = re.FindString(screen()); return m != "" },
			func() string { return fmt.Sprintf("%v never appeared; the terminal showed:\n%s", re, screen()) })
		return m
	}
	typ := func(s string) {
		if _, err := io.WriteString(term, s); err != nil {
			t.Fatal(err)
		}
	}

	password := waitFor(regexp.MustCompile(`Demo-Temp-[0-9]+!`))
	waitFor(regexp.MustCompile(`Password:`))
	typ(password + "\r")
	waitFor(regexp.MustCompile(`Choose a new password`))
	typ(newPassword + "\r" + newPassword + "\r")
	waitFor(regexp.MustCompile(`Add this account to your authenticator app`))
	secret := strings.ReplaceAll(waitFor(groupedSecret), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	typ(code + "\r")
	waitFor(regexp.MustCompile(`Authenticator app added`))
	typ("q")

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ssh exited with %v, want 0 (enrolled); the terminal showed:\n%s", err, screen())
		}
	case <-time.After(patience):
		t.Fatalf("ssh did not exit; the terminal showed:\n%s", screen())
	}
}
