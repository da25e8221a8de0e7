package serve

import (
	"errors"
	"io"
	"sync"
	"time"
)

// DefaultMaxQueuedOutput is how much of a session's output may wait for a
// client that does not read it, beyond what SSH's own window (2 MiB in
// golang.org/x/crypto/ssh) lets through, before the session is dropped.
// A whole screen of the wizard is a few KiB.
const DefaultMaxQueuedOutput = 256 << 10

// flushTimeout bounds how long a session's last output and its closing line
// may take to reach a client once the session has ended.
const flushTimeout = 5 * time.Second

var errSlowClient = errors.New("the client is not reading its output")

// outputQueue is a session's output: the program writes into it and never
// waits on the client; a goroutine of its own passes it on. When more than
// max bytes wait, the queue drops what it holds, refuses all further
// writes, and calls overflow once.
type outputQueue struct {
	w        io.Writer
	max      int
	overflow func()

	mu      sync.Mutex
	pending []byte        // nil when empty: an idle session holds no buffer
	failed  error         // set once the client is gone or too slow
	ready   chan struct{} // a token when pending has bytes
	idle    chan struct{} // closed when the writer holds nothing; replaced when it takes some
	closed  bool
	stopped chan struct{} // closed when the writer goroutine returns
}

func newOutputQueue(w io.Writer, max int, overflow func()) *outputQueue {
	q := &outputQueue{w: w, max: max, overflow: overflow, ready: make(chan struct{}, 1),
		idle: make(chan struct{}), stopped: make(chan struct{})}
	close(q.idle)
	go q.run()
	return q
}

func (q *outputQueue) Write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.failed != nil:
		return 0, q.failed
	case q.closed:
		return 0, io.ErrClosedPipe
	case len(q.pending)+len(p) > q.max:
		q.failed = errSlowClient
		q.pending = nil
		q.wake()
		q.markIdle() // nothing more will reach the client: flush must not wait
		go q.overflow()
		return 0, q.failed
	}
	if len(q.pending) == 0 {
		select {
		case <-q.idle:
			q.idle = make(chan struct{})
		default:
		}
	}
	q.pending = append(q.pending, p...)
	q.wake()
	return len(p), nil
}

// markIdle says the writer holds nothing; q.mu is held.
func (q *outputQueue) markIdle() {
	select {
	case <-q.idle:
	default:
		close(q.idle)
	}
}

// wake tells the writer goroutine to look again; q.mu is held.
func (q *outputQueue) wake() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

func (q *outputQueue) run() {
	defer close(q.stopped)
	for range q.ready {
		q.mu.Lock()
		if q.closed && len(q.pending) == 0 || q.failed != nil {
			q.mu.Unlock()
			return
		}
		chunk := q.pending
		q.pending = nil
		q.mu.Unlock()

		_, err := q.w.Write(chunk)

		q.mu.Lock()
		if err != nil {
			if q.failed == nil {
				q.failed = err
			}
			q.markIdle()
			q.mu.Unlock()
			return
		}
		if len(q.pending) == 0 {
			q.markIdle()
		}
		q.mu.Unlock()
	}
}

// flush waits up to d for what is queued to reach the client (or to fail
// to), and says whether the client was still not taking it after d.
func (q *outputQueue) flush(d time.Duration) (timedOut bool) {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	select {
	case <-idle:
		return false
	case <-time.After(d):
		return true
	}
}

// close stops the queue; what is still queued is dropped. The writer
// goroutine returns once its current write, if any, does.
func (q *outputQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		q.pending = nil
		q.wake()
	}
}
