package serve

import (
	"io"
	"sync"
	"testing"
)

// FuzzTerminalSize: whatever sizes a client gives in its pty-req and then
// in a window-change, its wizard is given sizes within 1x1 and
// MaxTermWidth x MaxTermHeight (0 taken as 80x24), the last one the clamped
// window-change; the server's heap stays bounded; and the wizard still
// answers ctrl+c. The seeds run in every go test; go test -fuzz
// FuzzTerminalSize looks further.
func FuzzTerminalSize(f *testing.F) {
	f.Add(uint32(80), uint32(24), uint32(120), uint32(40))
	f.Add(uint32(0), uint32(0), uint32(0), uint32(0))           // ssh -tt host </dev/null
	f.Add(uint32(10000), uint32(10000), uint32(80), uint32(24)) // a huge pty-req
	f.Add(uint32(80), uint32(24), uint32(2500), uint32(2500))   // a huge window change
	f.Add(uint32(1), uint32(1), uint32(1), uint32(1))
	f.Add(uint32(1<<32-1), uint32(1<<32-1), uint32(1<<31), uint32(1<<31))
	f.Add(uint32(513), uint32(0), uint32(0), uint32(257))

	var got sizes
	ts := startServer(f, Config{MaxNewPerMinute: 1 << 30, resized: got.record})
	base := retainedHeap()
	var mu sync.Mutex // one input at a time: the sizes are the server's
	f.Fuzz(func(t *testing.T, w1, h1, w2, h2 uint32) {
		mu.Lock()
		defer mu.Unlock()
		got.mu.Lock()
		got.all = nil
		got.mu.Unlock()

		tm := openSession(t, ts.mustDial(t))
		if ok, err := tm.sess.SendRequest("pty-req", true, ptyReq("xterm-256color", w1, h1)); err != nil || !ok {
			t.Fatalf("pty-req %dx%d: refused (%v); want it taken, clamped", w1, h1, err)
		}
		tm.shell()
		w, h := clampSize(w1, h1)
		got.waitLast(t, [2]int{w, h})
		if ok, err := tm.sess.SendRequest("window-change", true, windowChange(w2, h2)); err != nil || !ok {
			t.Fatalf("window-change %dx%d: refused (%v); want it taken, clamped", w2, h2, err)
		}
		w, h = clampSize(w2, h2)
		got.waitLast(t, [2]int{w, h})
		got.checkBounded(t)
		if first := got.list()[0]; first != clampSize2(w1, h1) {
			t.Errorf("pty-req %dx%d: the wizard was first given %dx%d", w1, h1, first[0], first[1])
		}
		if heap := retainedHeap(); heap > base+largeRetained {
			t.Errorf("the heap held %d MiB, from %d MiB", heap>>20, base>>20)
		}
		_, _ = io.WriteString(tm.in, "\x03")
		if status := tm.waitExit(); status != exitInterrupted {
			t.Errorf("ctrl+c at %dx%d then %dx%d: exit %d, want %d", w1, h1, w2, h2, status, exitInterrupted)
		}
	})
}

func clampSize2(w, h uint32) [2]int {
	cw, ch := clampSize(w, h)
	return [2]int{cw, ch}
}
