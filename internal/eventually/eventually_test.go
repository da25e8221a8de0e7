package eventually

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestUntilSeesALateCondition(t *testing.T) {
	var ready atomic.Bool
	time.AfterFunc(60*time.Millisecond, func() { ready.Store(true) })
	if !Until(5*time.Second, ready.Load) {
		t.Fatal("a condition that became true after 60 ms was not seen in 5 s")
	}
}

func TestUntilGivesUp(t *testing.T) {
	calls := 0
	start := time.Now()
	if Until(100*time.Millisecond, func() bool { calls++; return false }) {
		t.Fatal("a condition that never holds was reported as held")
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Fatalf("gave up after %s, before its patience ran out", waited)
	}
	if calls < 2 {
		t.Fatalf("polled %d times", calls)
	}
}
