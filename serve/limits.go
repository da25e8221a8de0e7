package serve

import (
	"sync"
	"time"
)

// rateLimiter allows up to max events per key in any window (a sliding
// window, one timestamp per event allowed). Refused events are not counted,
// so a client that keeps trying gets back in once its earlier ones age out.
type rateLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	seen  map[string][]time.Time
	swept time.Time
}

func newRateLimiter(max int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{max: max, window: window, now: now, seen: map[string][]time.Time{}}
}

func (r *rateLimiter) allow(key string) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.swept) >= r.window {
		// Forget addresses not seen for a window, so the map stays the size
		// of the last minute's clients.
		for k, ts := range r.seen {
			if now.Sub(ts[len(ts)-1]) >= r.window {
				delete(r.seen, k)
			}
		}
		r.swept = now
	}
	recent := r.seen[key][:0:0]
	for _, t := range r.seen[key] {
		if now.Sub(t) < r.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= r.max {
		r.seen[key] = recent
		return false
	}
	r.seen[key] = append(recent, now)
	return true
}
