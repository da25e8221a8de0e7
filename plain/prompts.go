package plain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

// The most characters Cognito takes in each field a person types.
const (
	usernameLimit = 128
	passwordLimit = 256
)

// askUpTo is ask (or askSecret, for a secret) for a field Cognito takes at
// most limit characters of. A longer answer, typed or pasted, is refused
// with a sentence and asked for again, never cut to fit: a password cut
// would be tried, or set, in a form the person never chose.
func (r *run) askUpTo(prompt string, withClock, secret bool, limit int) (string, error) {
	for {
		var answer string
		var err error
		if secret {
			answer, err = r.askSecret(prompt, withClock)
		} else {
			answer, err = r.ask(prompt, withClock)
		}
		if err != nil || utf8.RuneCountInString(answer) <= limit {
			return answer, err
		}
		r.say(r.tr.T(i18n.InputTooLong, "Limit", limit))
	}
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
