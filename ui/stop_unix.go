//go:build unix

package ui

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// FollowStops makes p hand the terminal back when the process is stopped
// from outside (kill -TSTP, a shell's job control; ctrl+z itself is a key in
// raw mode) and take it again when it continues. Left to the default action,
// the process stops with the terminal raw and its screen up; the shell then
// puts back its own modes, cooked and echoing, and after fg a password
// typed into the wizard would be shown in clear and read a line late.
//
// Bubble Tea suspends on tea.SuspendMsg: it restores the terminal, sends
// SIGTSTP to the process group, and on SIGCONT takes the terminal back and
// draws the screen anew. Once a Go program has asked for SIGTSTP, the
// runtime keeps its own handler even after signal.Stop or signal.Reset, and
// an unwatched SIGTSTP is dropped rather than stopping the process; so that
// second SIGTSTP is caught here too and the process stops itself with
// SIGSTOP, which nothing can catch. FollowStops returns when ctx is done;
// run it in its own goroutine for as long as p runs.
func FollowStops(ctx context.Context, p *tea.Program) {
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGTSTP, syscall.SIGCONT)
	defer signal.Stop(sig)
	suspending := false // the terminal is being handed back: the next SIGTSTP is Bubble Tea's own
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-sig:
			switch {
			case s == syscall.SIGCONT:
				suspending = false
			case !suspending:
				suspending = true
				p.Send(tea.SuspendMsg{})
			default:
				_ = syscall.Kill(os.Getpid(), syscall.SIGSTOP)
			}
		}
	}
}
