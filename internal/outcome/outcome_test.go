package outcome

import "testing"

// The README's exit codes: 0 enrolled, 1 failed or left, 130 interrupted.
func TestExitStatuses(t *testing.T) {
	for o, want := range map[Outcome]int{Enrolled: 0, Quit: 1, Failed: 1, Interrupted: 130} {
		if got := o.Exit(); got != want {
			t.Errorf("%s.Exit() = %d, want %d", o, got, want)
		}
	}
	if Outcome(9).String() != "Outcome(9)" || Interrupted.String() != "Interrupted" {
		t.Errorf("String: %s, %s", Outcome(9), Interrupted)
	}
}
