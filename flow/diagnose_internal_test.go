package flow

import (
	"testing"
	"time"
)

// Each diagnosis's sentence is its key's English with its variables, so the
// screens, which translate the key, say what Message says.
func TestCauseSentencesHaveKeys(t *testing.T) {
	setup := Setup{Issuer: "Acme", Account: "ana"}
	replacing := setup
	replacing.Replaces = true
	for _, c := range []struct {
		d     Diagnosis
		setup Setup
	}{
		{Diagnosis{CauseClockBehind, -2 * time.Minute}, setup}, {Diagnosis{CauseClockBehind, -time.Minute}, setup},
		{Diagnosis{CauseClockAhead, 3 * time.Minute}, setup}, {Diagnosis{CauseClockAhead, time.Minute}, setup},
		{Diagnosis{CauseReused, 0}, setup}, {Diagnosis{CauseOtherEntry, 0}, setup}, {Diagnosis{CauseOtherEntry, 0}, replacing},
	} {
		s := causeSentence(c.d, c.setup)
		e := newError(KindWrongCode, "test", s)
		if got := englishOf(e); got != e.Message || e.Key == "" {
			t.Errorf("%v: %s in English is %q; the error says %q", c.d, e.Key, got, e.Message)
		}
	}
}
