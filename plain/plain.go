// Package plain is the wizard as lines: prompts on one stream, answers read a
// line at a time from another, no alternate screen, no cursor movement and no
// colour. Screen readers, logs and expect scripts can follow it. It runs the
// same flow as the ui package, in the same order and with the same words; the
// QR code is left out and the secret and otpauth URI are printed as text.
package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cognito-totp/cognito-totp/flow"
	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/outcome"
)

// Demo is set when plain mode runs against the local demo pool.
type Demo struct {
	Username, Password string
	PoolID             string // the demo pool's ID, for the header; "" leaves PoolLabel as given
}

// Options configure a plain run. They mirror ui.Options.
type Options struct {
	Client      *flow.Client
	Username    string           // the default at the username prompt (enter keeps it); may be empty
	Demo        *Demo            // non-nil: the first line says it is the local demo pool, and its credentials are printed
	PoolLabel   string           // printed in the header line; "": made from Client's pool, in the run's language
	Now         func() time.Time // clock for the session's time left; nil: time.Now
	CallTimeout time.Duration    // per call to Cognito; 0: 20s
	AuthFlow    flow.AuthFlow    // how to sign in; zero: SRP, as the wizard
	// ReadPassword reads a password without echo; nil: passwords are read as
	// lines from the input like any other answer (the input is not a
	// terminal). It must not print: Run ends the prompt's line itself, since
	// a read without echo leaves the cursor after the prompt.
	ReadPassword func() (string, error)
	Lang         *i18n.Localizer // the language of every line; nil: English
}

// Outcome is how a plain run ended: the same endings as the full-screen
// wizard's.
type Outcome = outcome.Outcome

// The endings, named here so plain's callers need not import outcome.
const (
	Quit        = outcome.Quit        // the input ended before enrolling
	Enrolled    = outcome.Enrolled    // the authenticator is enrolled
	Failed      = outcome.Failed      // it could not be done, or the person declined to try again
	Interrupted = outcome.Interrupted // ctx was cancelled (a signal) before enrolling
)

// Wanted reports whether to run in plain mode: asked for with --plain, or
// chosen because the terminal cannot take the full-screen wizard (TERM=dumb)
// or the output is not a terminal at all (a pipe, a file, a log).
func Wanted(plainFlag bool, term string, stdoutIsTerminal bool) bool {
	return plainFlag || term == "dumb" || !stdoutIsTerminal
}

// Run asks on out and reads answers from in, one line each, until the
// authenticator is enrolled, the input ends, a step fails or ctx is
// cancelled. The error is non-nil only when in or out themselves failed (or
// no Client was given); everything Cognito said has been printed as a sentence.
func Run(ctx context.Context, in io.Reader, out io.Writer, o Options) (Outcome, error) {
	if o.Client == nil {
		return Failed, errors.New("plain: no flow.Client in Options")
	}
	tr := o.Lang
	if tr == nil {
		tr = i18n.English()
	}
	r := &run{
		tr:       tr,
		ctx:      ctx,
		client:   o.Client,
		opts:     o,
		now:      o.Now,
		timeout:  o.CallTimeout,
		out:      &printer{w: out},
		lines:    newLineReader(in),
		username: o.Username,
	}
	defer r.lines.close()
	if r.now == nil {
		r.now = time.Now
	}
	if r.timeout <= 0 {
		r.timeout = 20 * time.Second
	}
	if r.username == "" && o.Demo != nil {
		r.username = o.Demo.Username
	}
	outcome, err := r.drive()
	if r.out.err != nil {
		if outcome == Quit {
			outcome = Failed // the person could not see the prompts
		}
		return outcome, fmt.Errorf("plain: write output: %w", r.out.err)
	}
	return outcome, err
}
