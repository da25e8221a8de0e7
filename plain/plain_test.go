package plain_test

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/plain"
)

func TestWanted(t *testing.T) {
	tests := []struct {
		name             string
		flag             bool
		term             string
		stdoutIsTerminal bool
		want             bool
	}{
		{"a terminal, nothing asked", false, "xterm-256color", true, false},
		{"no TERM at all on a terminal", false, "", true, false},
		{"--plain on a terminal", true, "xterm-256color", true, true},
		{"TERM=dumb", false, "dumb", true, true},
		{"output piped or redirected", false, "xterm-256color", false, true},
		{"all three", true, "dumb", false, true},
		{"a TERM that only contains dumb", false, "dumbterm", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plain.Wanted(tt.flag, tt.term, tt.stdoutIsTerminal); got != tt.want {
				t.Errorf("Wanted(%v, %q, %v) = %v, want %v", tt.flag, tt.term, tt.stdoutIsTerminal, got, tt.want)
			}
		})
	}
}

// TestEndToEndThroughPipes answers every prompt the way an expect script
// would, through pipes, against cognitolocal over loopback: sign in with the
// temporary password, choose a new one, read the secret, get a badly formed
// code and a wrong code refused, enrol with the right one and prove it with
// the test sign-in.
func TestEndToEndThroughPipes(t *testing.T) {
	w := newWorld(t)
	c := start(t, context.Background(), w.options())

	c.expect("cognito-totp: local demo pool\n")
	secret := c.signInToSecret(w, true)
	if grouped := c.transcript(); !strings.Contains(grouped, "\nSecret: "+groupOf4(secret)+"\n") {
		t.Errorf("no grouped secret line for the secret printed without spaces:\n%s", grouped)
	}
	uri := c.expectLine("otpauth URI: ")
	if want := "otpauth://totp/cognito-totp%20demo:" + w.demo.Username + "?secret=" + secret + "&issuer=cognito-totp%20demo"; uri != want {
		t.Errorf("otpauth URI = %q, want %q", uri, want)
	}
	c.expect("Session: 3:00 left.\nCode: ")

	c.send("12345")
	c.expect("A code has 6 digits; this has 5.\n")
	if strings.Contains(c.transcript(), "Checking the code") {
		t.Error("a 5-digit code was sent to Cognito")
	}
	c.expect("Code: ")

	c.send(w.wrongCode(t, secret))
	c.expect("Checking the code...\n")
	c.expect("That code comes from a different entry in your authenticator app. Use the entry cognito-totp demo (demo), added just now.\n")
	c.expect("Amazon Cognito's clock says 04:05:06 UTC.\n")
	c.expect("Code: ")

	c.send(w.code(t, secret))
	c.expect("Done: demo is enrolled. The authenticator app lists the account as cognito-totp demo (demo).\n")
	c.expect("Test sign-in now with a new code? [y/N]: ")
	c.send("y")
	c.expect("Test sign-in: Cognito asks for a code.")
	c.expect("Code (a new one): ")
	w.clock.Advance(30 * time.Second) // the app shows the next code
	c.send(w.code(t, secret))
	c.expect("Test sign-in worked: Cognito asked for a code from the app and accepted it.\n")

	outcome, err := c.finish()
	if outcome != plain.Enrolled || err != nil {
		t.Errorf("Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	out := c.transcript()
	assertClean(t, out, w.demo.TemporaryPassword, newPassword)
	// Every line is a message or a prompt followed by what came after it;
	// none is longer than a message needs, and none was wrapped.
	if strings.Contains(out, "\r") {
		t.Errorf("the output has a carriage return:\n%q", out)
	}
}

// groupOf4 is secret in groups of four, as a person types it.
func groupOf4(secret string) string {
	var groups []string
	for len(secret) > 4 {
		groups, secret = append(groups, secret[:4]), secret[4:]
	}
	return strings.Join(append(groups, secret), " ")
}

// TestSessionRunsOutBeforeTheCode moves the clock past the three minutes
// Cognito gives a session before the code is typed: plain mode says why and
// goes back to the password prompt, keeping the username, and the setup can
// then be finished with a new secret.
func TestSessionRunsOutBeforeTheCode(t *testing.T) {
	w := newWorld(t)
	c := start(t, context.Background(), w.options())
	first := c.signInToSecret(w, true)
	c.expect("Session: 3:00 left.\nCode: ")

	w.clock.Advance(3*time.Minute + time.Second)
	c.send(w.code(t, first))
	gap := c.expect("Password: ")
	if !strings.Contains(gap, "Cognito's session ran out before the setup was finished (it lasts only a few minutes), so sign in again to go on.\n") {
		t.Errorf("no sentence saying the session ran out before the password prompt:\n%s", gap)
	}
	if strings.Contains(gap, "Username") || strings.Contains(gap, "Checking the code") {
		t.Errorf("after the session ran out it asked for the username again or sent the code anyway:\n%s", gap)
	}

	c.send(newPassword) // the new password was set before the session ran out
	second := c.expectLine("Secret (no spaces): ")
	if second == first {
		t.Error("the same secret was shown after signing in again")
	}
	c.expect("Session: 3:00 left.\nCode: ")
	c.send(w.code(t, second))
	c.expect("Done: demo is enrolled.")
	c.expect("Test sign-in now with a new code? [y/N]: ")
	c.send("n")
	if outcome, err := c.finish(); outcome != plain.Enrolled || err != nil {
		t.Errorf("Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	assertClean(t, c.transcript(), w.demo.TemporaryPassword, newPassword)
}

// TestCognitoSaysSessionExpired is the same from Cognito's side: this
// computer's clock still shows time left, Cognito's has run out, and the
// answer is KindSessionExpired, which also goes back to the password prompt.
func TestCognitoSaysSessionExpired(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.Now = func() time.Time { return t0 } // this computer's clock, behind Cognito's
	c := start(t, context.Background(), o)
	secret := c.signInToSecret(w, true)
	c.expect("Code: ")
	w.clock.Advance(3*time.Minute + time.Second)
	c.send(w.code(t, secret))
	gap := c.expect("Password: ")
	if !strings.Contains(gap, "Checking the code...\nThe sign-in session ran out of time (Cognito allows only a few minutes). Sign in again to go on.\n") {
		t.Errorf("Cognito's session answer was not said before the password prompt:\n%s", gap)
	}
	c.closeInput()
	if outcome, _ := c.finish(); outcome != plain.Quit {
		t.Errorf("outcome = %v, want Quit", outcome)
	}
	if !strings.HasSuffix(c.transcript(), "Password: Input ended before the setup was finished: the new password is set, but no authenticator app was added.\n") {
		t.Errorf("the last line does not say what changed:\n%s", c.transcript())
	}
}

func TestInputEndsAtTheUsernamePrompt(t *testing.T) {
	w := newWorld(t)
	c := start(t, context.Background(), w.options())
	c.expect("Username: ")
	c.closeInput()
	outcome, err := c.finish()
	if outcome != plain.Quit || err != nil {
		t.Errorf("Run = %v, %v; want Quit, nil", outcome, err)
	}
	if out := c.transcript(); !strings.HasSuffix(out, "Username: Input ended before the setup was finished: nothing was changed.\n") {
		t.Errorf("the last line does not say nothing was changed:\n%s", out)
	}
}

func TestInterruptedWhileWaitingForAnAnswer(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := start(t, ctx, w.options())
	c.signInToSecret(w, true)
	c.expect("Code: ") // Run is blocked reading a line now
	cancel()
	stopped := time.Now()
	select {
	case r := <-c.result:
		if took := time.Since(stopped); took > time.Second {
			t.Errorf("Run took %v to return after ctx was cancelled", took)
		}
		if r.outcome != plain.Interrupted || r.err != nil {
			t.Errorf("Run = %v, %v; want Interrupted, nil", r.outcome, r.err)
		}
	case <-time.After(time.Second):
		t.Fatal("Run still waits for input a second after ctx was cancelled")
	}
	<-c.outDone
	if out := c.transcript(); !strings.HasSuffix(out, "Code: Interrupted before the setup was finished: the new password is set, but no authenticator app was added.\n") {
		t.Errorf("the last line does not say what changed:\n%s", out)
	}
}

// TestInterruptedWhileReadingAPasswordWithoutEcho: the no-echo reader main
// passes cannot be cancelled; Run returns anyway.
func TestInterruptedWhileReadingAPasswordWithoutEcho(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	o := w.options()
	o.Username = w.demo.Username
	block := make(chan struct{})
	defer close(block)
	o.ReadPassword = func() (string, error) { <-block; return "", io.EOF }
	c := start(t, ctx, o)
	c.expect("Username [demo]: ")
	c.send("")
	c.expect("Password: ")
	cancel()
	select {
	case r := <-c.result:
		if r.outcome != plain.Interrupted {
			t.Errorf("outcome = %v, want Interrupted", r.outcome)
		}
	case <-time.After(time.Second):
		t.Fatal("Run still waits for the password a second after ctx was cancelled")
	}
}

// TestPasswordsReadWithoutEcho: with a ReadPassword (a terminal), every
// password comes from it, never from the input lines, and Run ends the
// prompt's line itself, since the enter typed was not echoed.
func TestPasswordsReadWithoutEcho(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.Username = w.demo.Username
	passwords := make(chan string, 3)
	passwords <- w.demo.TemporaryPassword
	passwords <- newPassword
	passwords <- newPassword
	o.ReadPassword = func() (string, error) {
		select {
		case p := <-passwords:
			return p, nil
		default:
			return "", errors.New("asked for a password more often than the flow needs")
		}
	}
	c := start(t, context.Background(), o)
	c.expect("Username [demo]: ")
	c.send("")
	c.expect("Password: \nSigning in...\n")
	c.expect("New password: \nNew password again: \nSetting the new password...\n")
	secret := c.expectLine("Secret (no spaces): ")
	c.expect("Code: ")
	c.send(w.code(t, secret))
	c.expect("Test sign-in now with a new code? [y/N]: ")
	c.closeInput()
	outcome, err := c.finish()
	if outcome != plain.Enrolled || err != nil {
		t.Errorf("Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	if !strings.HasSuffix(c.transcript(), "[y/N]: Input ended; demo stays enrolled.\n") {
		t.Errorf("the last line does not say the account stays enrolled:\n%s", c.transcript())
	}
}

// TestWrongPasswordAsksAgain: an account problem goes back to the username
// prompt with the name typed as its default, as the wizard goes back to sign-in.
func TestWrongPasswordAsksAgain(t *testing.T) {
	w := newWorld(t)
	c := start(t, context.Background(), w.options())
	c.expect("Username: ")
	c.send(w.demo.Username)
	c.expect("Password: ")
	c.send("Not-The-Passw0rd!")
	c.expect("Signing in...\nThe username or password is not right. Check both and try again.\nUsername [demo]: ")
	c.send("")
	c.expect("Password: ")
	c.send(w.demo.TemporaryPassword)
	c.expect("New password: ")
	c.closeInput()
	if outcome, _ := c.finish(); outcome != plain.Quit {
		t.Errorf("outcome = %v, want Quit", outcome)
	}
	assertClean(t, c.transcript(), "Not-The-Passw0rd!", w.demo.TemporaryPassword)
}

// enrolledTwice enrolls the demo user in a first run and starts a second
// run that signs in with that authenticator's code and reaches the warning.
// replaceWithNew answers yes to replacing the authenticator, reads the new
// secret and types its code, one step after the old one's; it returns the
// new secret.
func (c *conversation) replaceWithNew(t *testing.T, w *world) string {
	t.Helper()
	c.send("y")
	second := c.expectLine("Secret (no spaces): ")
	c.expect("Code: ")
	w.clock.Advance(30 * time.Second)
	c.send(w.code(t, second))
	return second
}

func enrolledTwice(t *testing.T, w *world) (*conversation, string) {
	t.Helper()
	c := start(t, context.Background(), w.options())
	first := c.signInToSecret(w, true)
	c.expect("Code: ")
	c.send(w.code(t, first))
	c.expect("[y/N]: ")
	c.send("")
	if outcome, _ := c.finish(); outcome != plain.Enrolled {
		t.Fatalf("first run: outcome = %v, want Enrolled", outcome)
	}

	o := w.options()
	o.Username = w.demo.Username
	c = start(t, context.Background(), o)
	c.expect("Username [demo]: ")
	c.send("")
	c.expect("Password: ")
	c.send(newPassword)
	c.expect("demo already has an authenticator app set up. A code from it proves it is you; then you can replace it with a new one.\n")
	c.expect("Code: ")
	w.clock.Advance(30 * time.Second)
	c.send(w.wrongCode(t, first))
	c.expect("Code: ")
	c.send(w.code(t, first))
	c.expect("demo already has an authenticator app. Its codes keep working while you set up a new one, and if you stop halfway. Once Cognito accepts a code from the new app, only the new app works.\n")
	c.expect("Set up a new authenticator app? [y/N]: ")
	return c, first
}

// oldCodeWorks signs the demo user in with a code of secret.
func (w *world) oldCodeWorks(t *testing.T, secret string) bool {
	t.Helper()
	w.clock.Advance(30 * time.Second)
	step, err := w.client.SignIn(context.Background(), w.demo.Username, newPassword)
	if err != nil || step.Challenge != flow.ChallengeSoftwareToken {
		t.Fatalf("sign-in: challenge %q, error %v", step.Challenge, err)
	}
	next, err := w.client.AnswerTOTP(context.Background(), step, w.code(t, secret))
	if err != nil && flow.KindOf(err) != flow.KindWrongCode {
		t.Fatalf("code: %v", err)
	}
	return err == nil && next.SignedIn()
}

// TestReplaceAuthenticator: a second run for an enrolled account proves the
// old authenticator, replaces it, and is told to delete the old entry; then
// only the new authenticator signs in.
func TestReplaceAuthenticator(t *testing.T) {
	w := newWorld(t)
	c, first := enrolledTwice(t, w)
	second := c.replaceWithNew(t, w)
	c.expect("The old authenticator no longer works for demo. Delete its entry from your authenticator app; if the app lists two entries with the same name, the old one is the one added first.\n")
	c.expect("[y/N]: ")
	c.send("")
	if outcome, err := c.finish(); outcome != plain.Enrolled || err != nil {
		t.Fatalf("second run: Run = %v, %v; want Enrolled, nil", outcome, err)
	}
	if w.oldCodeWorks(t, first) {
		t.Error("the replaced authenticator's code still signs in")
	}
	if !w.oldCodeWorks(t, second) {
		t.Error("the new authenticator's code does not sign in")
	}
}

// Answering n keeps the old authenticator, and says nothing changed.
func TestReplaceDeclined(t *testing.T) {
	w := newWorld(t)
	c, first := enrolledTwice(t, w)
	c.send("n")
	c.expect("Kept the old authenticator app: nothing was changed.\n")
	if outcome, err := c.finish(); outcome != plain.Quit || err != nil {
		t.Fatalf("Run = %v, %v; want Quit, nil", outcome, err)
	}
	if !w.oldCodeWorks(t, first) {
		t.Error("the kept authenticator's code is refused")
	}
}

// Walking away with the new secret shown leaves the old authenticator working.
func TestReplaceAbandonedHalfway(t *testing.T) {
	w := newWorld(t)
	c, first := enrolledTwice(t, w)
	c.send("y")
	c.expectLine("Secret (no spaces): ")
	c.expect("Code: ")
	c.closeInput()
	c.expect("Input ended before the setup was finished: nothing was changed.\n")
	if outcome, _ := c.finish(); outcome != plain.Quit {
		t.Fatalf("outcome = %v, want Quit", outcome)
	}
	if !w.oldCodeWorks(t, first) {
		t.Error("after an abandoned replacement, the old authenticator's code is refused")
	}
}

// faultyAPI is the real SDK client with InitiateAuth answered by fault
// while it is set: how a throttled Cognito or an unknown challenge is met.
type faultyAPI struct {
	flow.API
	fault func() (*cip.InitiateAuthOutput, error)
}

func (f *faultyAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, o ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	if f.fault != nil {
		return f.fault()
	}
	return f.API.InitiateAuth(ctx, in, o...)
}

func throttled() (*cip.InitiateAuthOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "Rate exceeded", Fault: smithy.FaultClient}
}

// TestRetryableFailureAsksToTryAgain: enter alone tries the same call again.
func TestRetryableFailureAsksToTryAgain(t *testing.T) {
	w := newWorld(t)
	api := &faultyAPI{API: w.api, fault: throttled}
	o := w.options()
	o.Client = flow.New(api, w.pool, flow.WithClock(w.clock.Now))
	o.Username = w.demo.Username
	c := start(t, context.Background(), o)
	c.acceptUsername(w)
	c.expect("Signing in...\nCould not sign in: Cognito is getting too many requests right now. Wait a moment and try again.\nTry again? [Y/n]: ")
	api.fault = nil
	c.send("")
	c.expect("Signing in...\nThe password demo signed in with was temporary")
	c.expect("New password: ")
	c.closeInput()
	if outcome, _ := c.finish(); outcome != plain.Quit {
		t.Errorf("outcome = %v, want Quit", outcome)
	}
}

// TestRetryDeclined: n at "Try again?" ends the run as Failed, as q on the
// wizard's failure screen does.
func TestRetryDeclined(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.Client = flow.New(&faultyAPI{API: w.api, fault: throttled}, w.pool, flow.WithClock(w.clock.Now))
	o.Username = w.demo.Username
	c := start(t, context.Background(), o)
	c.acceptUsername(w)
	c.expect("Try again? [Y/n]: ")
	c.send("maybe")
	c.expect("Answer y or n.\nTry again? [Y/n]: ")
	c.send("n")
	c.expect("Setup not finished: nothing was changed.\n")
	if outcome, err := c.finish(); outcome != plain.Failed || err != nil {
		t.Errorf("Run = %v, %v; want Failed, nil", outcome, err)
	}
}

// TestUnknownChallenge: a challenge this version does not answer is named, and the run fails.
func TestUnknownChallenge(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.Client = flow.New(&faultyAPI{API: w.api, fault: func() (*cip.InitiateAuthOutput, error) {
		session := strings.Repeat("s", 40)
		return &cip.InitiateAuthOutput{ChallengeName: types.ChallengeNameTypeSmsMfa, Session: &session,
			ChallengeParameters: map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}}, nil
	}}, w.pool, flow.WithClock(w.clock.Now))
	o.Username = w.demo.Username
	c := start(t, context.Background(), o)
	c.acceptUsername(w)
	c.expect("Cognito asked for SMS_MFA, which this version does not handle yet.\n")
	if outcome, err := c.finish(); outcome != plain.Failed || err != nil {
		t.Errorf("Run = %v, %v; want Failed, nil", outcome, err)
	}
}

// TestNewPasswordRefused: the pool's rules refuse the password, and a
// mismatch is caught before any call; both ask for the new password again.
func TestNewPasswordRefused(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.Username = w.demo.Username
	c := start(t, context.Background(), o)
	c.acceptUsername(w)
	c.expect("New password: ")
	c.send("short")
	c.expect("New password again: ")
	c.send("short")
	c.expect("Setting the new password...\nThe new password does not meet the pool's rules")
	c.expect("Session: 3:00 left.\nNew password: ")
	c.send(newPassword)
	c.expect("New password again: ")
	c.send(newPassword + "x")
	gap := c.expect("New password: ")
	if gap != "The two passwords are not the same. Type the new password again.\nSession: 3:00 left.\nNew password: " {
		t.Errorf("after a mismatch the output was %q", gap)
	}
	c.send(newPassword)
	c.expect("New password again: ")
	c.send(newPassword)
	c.expectLine("Secret (no spaces): ")
	c.closeInput()
	outcome, _ := c.finish()
	if outcome != plain.Quit {
		t.Errorf("outcome = %v, want Quit", outcome)
	}
	assertClean(t, c.transcript(), "short", newPassword)
}

// TestMessagesStayOnOneLine: text from outside (a pool label here; Cognito's
// messages go the same way) cannot add a line or an escape sequence.
func TestMessagesStayOnOneLine(t *testing.T) {
	w := newWorld(t)
	o := w.options()
	o.PoolLabel = "evil\x1b[2J\nlabel\ttab"
	c := start(t, context.Background(), o)
	c.expect("Username: ")
	c.closeInput()
	c.finish()
	out := c.transcript()
	assertClean(t, out)
	if !regexp.MustCompile(`(?m)^cognito-totp: evil label tab$`).MatchString(out) {
		t.Errorf("the header is not one clean line:\n%q", out)
	}
}

func TestNoClient(t *testing.T) {
	outcome, err := plain.Run(context.Background(), strings.NewReader(""), io.Discard, plain.Options{})
	if outcome != plain.Failed || err == nil {
		t.Errorf("Run without a Client = %v, %v; want Failed and an error", outcome, err)
	}
}
