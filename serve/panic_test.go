package serve

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// panicOnKey is a wizard that panics, with a value that quotes a secret,
// when the person presses "!" (as a bug deep in a screen would).
type panicOnKey struct{ tea.Model }

const panicSecret = "JBSWY3DPEHPK3PXP"

func (p panicOnKey) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
		explode(panicSecret)
	}
	m, cmd := p.Model.Update(msg)
	return panicOnKey{m}, cmd
}

//go:noinline
func explode(secret string) { panic("the wizard broke holding " + secret) }

// TestSessionPanicLogged: when a session's wizard panics, the person is told
// and the session exits 70, and serve's log has what a bug report needs:
// the panic's type and the stack down to the frame that panicked, without
// the panic's value or the frames' arguments, either of which could hold a
// secret.
func TestSessionPanicLogged(t *testing.T) {
	ts := startServer(t, Config{wrap: func(m tea.Model) tea.Model { return panicOnKey{m} }})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")
	tm.typ("!")
	if got := tm.waitExit(); got != exitInternal {
		t.Errorf("exit %d after the wizard panicked, want %d", got, exitInternal)
	}
	ts.waitForLog(t, `ended="internal error"`)
	log := ts.logs.String()
	for _, want := range []string{`level=ERROR msg="internal error: the wizard panicked"`, "type=string", "serve.explode(...)", "panic_test.go:"} {
		if !strings.Contains(log, want) {
			t.Errorf("serve's log does not have %q after the wizard panicked", want)
		}
	}
	if strings.Contains(log, panicSecret) || strings.Contains(tm.out.String()+tm.err.String(), panicSecret) {
		t.Errorf("the panic's value (it quotes a secret) reached the log or the client")
	}
}

// panicInCommand is a wizard whose side effect (a tea.Cmd, run on a
// goroutine of its own, inside a batch) panics when the person presses "?".
type panicInCommand struct{ tea.Model }

func (p panicInCommand) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := p.Model.Update(msg)
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "?" {
		return panicInCommand{m}, tea.Batch(cmd, tea.Sequence(func() tea.Msg { explode(panicSecret); return nil }))
	}
	return panicInCommand{m}, cmd
}

// TestSessionCommandPanicLogged: a panic in one of the wizard's commands,
// not in its Update or View, ends that session as an internal error with
// the same record in serve's log, and leaves the server serving others.
func TestSessionCommandPanicLogged(t *testing.T) {
	ts := startServer(t, Config{wrap: func(m tea.Model) tea.Model { return panicInCommand{m} }})
	tm := openTerminal(t, ts.mustDial(t))
	tm.waitFor("Username:")
	tm.typ("?")
	if got := tm.waitExit(); got != exitInternal {
		t.Errorf("exit %d after a command of the wizard panicked, want %d", got, exitInternal)
	}
	ts.waitForLog(t, `ended="internal error"`)
	log := ts.logs.String()
	for _, want := range []string{`level=ERROR msg="internal error: the wizard panicked"`, "type=string", "serve.explode(...)"} {
		if !strings.Contains(log, want) {
			t.Errorf("serve's log does not have %q after a command of the wizard panicked", want)
		}
	}
	if strings.Contains(log, panicSecret) || strings.Contains(tm.out.String()+tm.err.String(), panicSecret) {
		t.Errorf("the panic's value (it quotes a secret) reached the log or the client")
	}
	other := openTerminal(t, ts.mustDial(t))
	other.waitFor("Username:")
}
