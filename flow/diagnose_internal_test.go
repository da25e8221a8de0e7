package flow

import (
	"strings"
	"testing"
	"time"
)

// Each diagnosis says something of its own: a different sentence for each
// direction, size and cause, every one with a key the screens translate and
// no blank left by a missing variable.
func TestCauseSentencesHaveKeys(t *testing.T) {
	setup := Setup{Issuer: "Acme", Account: "ana"}
	replacing := setup
	replacing.Replaces = true
	said := map[string]Diagnosis{}
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
		if e.Key == "" || strings.Contains(e.Message, "<no value>") {
			t.Errorf("%v: key %q, sentence %q", c.d, e.Key, e.Message)
		}
		if other, ok := said[e.Message]; ok {
			t.Errorf("%v and %v both say %q", other, c.d, e.Message)
		}
		said[e.Message] = c.d
	}
}
