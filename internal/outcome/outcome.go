// Package outcome is how a run of the wizard ended, and the exit status each
// ending gives: one table for the full-screen wizard, plain mode, serve's SSH
// sessions and the admin commands, so the README's exit codes hold everywhere.
package outcome

import "fmt"

// Outcome is how a wizard ended.
type Outcome int

const (
	Quit        Outcome = iota // left without enrolling (q, or the input ended)
	Enrolled                   // the authenticator is enrolled (whatever the test sign-in said)
	Failed                     // it could not be done, and the person left (or declined to try again)
	Interrupted                // stopped with ctrl+c or a signal before enrolling
)

func (o Outcome) String() string {
	if o < Quit || o > Interrupted {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return [...]string{"Quit", "Enrolled", "Failed", "Interrupted"}[o]
}

// The exit statuses, as the README gives them.
const (
	ExitEnrolled    = 0
	ExitFailed      = 1   // failed, or left without enrolling
	ExitInternal    = 70  // a bug stopped the wizard (EX_SOFTWARE)
	ExitInterrupted = 130 // 128 + SIGINT, as shells report ctrl+c
)

// Exit is the exit status of a run that ended so.
func (o Outcome) Exit() int {
	switch o {
	case Enrolled:
		return ExitEnrolled
	case Interrupted:
		return ExitInterrupted
	}
	return ExitFailed
}
