package flow

import (
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Each diagnosis says its cause in words a person can act on: the English
// below is the catalog's sentence for the key, with the offset and the
// entry filled in.
func TestCauseSentences(t *testing.T) {
	setup := Setup{Issuer: "Acme", Account: "ana"}
	replacing := setup
	replacing.Replaces = true
	for _, c := range []struct {
		d     Diagnosis
		setup Setup
		key   i18n.Key
		want  string
	}{
		{Diagnosis{CauseClockBehind, -2 * time.Minute}, setup, i18n.ErrClockBehindMinutes,
			"Your phone's clock is about 2 minutes behind. Turn on automatic date and time on the phone, then type the next code."},
		{Diagnosis{CauseClockBehind, -time.Minute}, setup, i18n.ErrClockBehindSeconds,
			"Your phone's clock is about 60 seconds behind. Turn on automatic date and time on the phone, then type the next code."},
		{Diagnosis{CauseClockAhead, 3 * time.Minute}, setup, i18n.ErrClockAheadMinutes,
			"Your phone's clock is about 3 minutes ahead. Turn on automatic date and time on the phone, then type the next code."},
		{Diagnosis{CauseClockAhead, time.Minute}, setup, i18n.ErrClockAheadSeconds,
			"Your phone's clock is about 60 seconds ahead. Turn on automatic date and time on the phone, then type the next code."},
		{Diagnosis{CauseReused, 0}, setup, i18n.ErrCodeReused,
			"That code is right, yet Cognito refused it: most likely it was used once already, and each code works only once. Wait for the app to show the next code, then type that one."},
		{Diagnosis{CauseOtherEntry, 0}, setup, i18n.ErrOtherEntry,
			"That code comes from a different entry in your authenticator app. Use the entry Acme (ana), added just now."},
		{Diagnosis{CauseOtherEntry, 0}, replacing, i18n.ErrOtherEntryReplaced,
			"That code comes from a different entry in your authenticator app. Use the entry Acme (ana), added just now; the old entry's codes no longer count here."},
	} {
		e := newError(KindWrongCode, "test", causeSentence(c.d, c.setup))
		if e.Key != c.key || e.Message != c.want {
			t.Errorf("%v: %s %q; want %s %q", c.d, e.Key, e.Message, c.key, c.want)
		}
	}
}
