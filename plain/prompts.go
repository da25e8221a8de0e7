package plain

import (
	"fmt"
	"strings"
	"time"
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
	r.say(fmt.Sprintf("Session: %d:%02d left.", secs/60, secs%60))
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
		switch strings.ToLower(strings.TrimSpace(typed)) {
		case "":
			return def, nil
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		r.say("Answer y or n.")
	}
}

func (r *run) say(line string) { r.out.line(line) }
