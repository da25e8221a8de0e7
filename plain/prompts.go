package plain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// ask prints prompt and reads the answer. withClock prints the session's
// time left first, when one is held. errRanOut: it ran out while the person typed.
func (r *run) ask(prompt string, withClock bool) (string, error) {
	r.beforePrompt(withClock)
	r.out.prompt(prompt)
	if r.out.err != nil {
		return "", r.out.err
	}
	line, err := r.lines.next(r.ctx)
	if err != nil {
		return "", err
	}
	return line, r.afterAnswer()
}

// askSecret is ask for a password: read without echo when Options say how.
func (r *run) askSecret(prompt string, withClock bool) (string, error) {
	if r.opts.ReadPassword == nil {
		return r.ask(prompt, withClock)
	}
	r.beforePrompt(withClock)
	r.out.prompt(prompt)
	if r.out.err != nil {
		return "", r.out.err
	}
	got := make(chan readResult, 1)
	go func() {
		s, err := r.opts.ReadPassword()
		got <- readResult{line: s, err: err}
	}()
	var res readResult
	select {
	case res = <-got:
	case <-r.ctx.Done():
		r.out.write("\n")
		return "", r.ctx.Err()
	}
	r.out.write("\n") // the enter typed was not echoed
	if res.err != nil {
		return "", res.err
	}
	return res.line, r.afterAnswer()
}

func (r *run) beforePrompt(withClock bool) {
	if !withClock || r.expires.IsZero() {
		return
	}
	secs := int(max(0, r.expires.Sub(r.now())) / time.Second)
	r.say(r.tr.T(i18n.PlainSession, "Time", fmt.Sprintf("%d:%02d", secs/60, secs%60)))
}

// afterAnswer notices a session that ran out while the person was typing.
func (r *run) afterAnswer() error {
	if !r.expires.IsZero() && !r.now().Before(r.expires) {
		return errRanOut
	}
	return nil
}

// yesNo asks a yes-or-no question; enter alone gives def.
func (r *run) yesNo(prompt string, def bool) (bool, error) {
	for {
		typed, err := r.ask(prompt, true)
		if err != nil {
			return false, err
		}
		answer := strings.ToLower(strings.TrimSpace(typed))
		switch {
		case answer == "":
			return def, nil
		case slices.Contains(strings.Fields(r.tr.T(i18n.PlainYesWords)), answer):
			return true, nil
		case slices.Contains(strings.Fields(r.tr.T(i18n.PlainNoWords)), answer):
			return false, nil
		}
		r.say(r.tr.T(i18n.PlainYesNo))
	}
}

func (r *run) say(line string) { r.out.line(line) }
