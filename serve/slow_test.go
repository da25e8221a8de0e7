package serve

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// TestClientThatNeverReadsIsDropped: a client that stops taking its output
// (here a network path that stops carrying the server's bytes, so the
// server's writes block) does not hold up another session, and is dropped
// once the output queued for it reaches the cap, its slot freed.
func TestClientThatNeverReadsIsDropped(t *testing.T) {
	t.Parallel()
	// The kernel's send buffer for each connection is kept small (it grows
	// to megabytes on loopback), so a stalled path blocks the server's
	// writes after a few KiB, as a slow link would.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := startServerOn(t, Config{MaxQueuedOutput: 16 << 10, MaxSessions: 2}, smallSendBuffers{ln})
	relay := newStallingRelay(t, ts.addr)
	c, err := gossh.Dial("tcp", relay.addr, &gossh.ClientConfig{User: "slow", Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner())},
		HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	slow := openTerminal(t, c)
	slow.waitFor("Username:")
	relay.stall()

	// Each new size redraws the screen: output the client never gets.
	resized := 0
	resize := func(n int) {
		for range n {
			h, w := 20, 60
			if resized%2 == 1 {
				h, w = 60, 200
			}
			_ = slow.sess.WindowChange(h, w)
			resized++
			time.Sleep(5 * time.Millisecond)
		}
	}
	resize(20)
	other := openTerminal(t, ts.mustDial(t))
	other.waitFor("Username:")
	other.typ("\x03")
	if got := other.waitExit(); got != exitInterrupted {
		t.Errorf("the other session: exit %d, want %d", got, exitInterrupted)
	}

	deadline := time.Now().Add(patience)
	for !strings.Contains(ts.logs.String(), `ended="client not reading its output"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the session was not dropped after %d resizes", resized)
		}
		resize(10)
	}
	waitLive(t, ts, 0)
	select {
	case <-relay.serverClosed:
	case <-time.After(patience):
		t.Errorf("the server did not close the slow client's connection")
	}
	t.Logf("dropped after %d resizes", resized)
}

// smallSendBuffers gives each accepted connection a 4 KiB send buffer.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// stallingRelay passes one TCP connection on to the server, until stall:
// from then on it takes nothing more from the server, with a receive buffer
// kept small, so the server's writes soon block.
type stallingRelay struct {
	addr         string
	stalled      chan struct{}
	serverClosed chan struct{} // the server closed its side (seen after stall too)
}

func newStallingRelay(t *testing.T, server string) *stallingRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &stallingRelay{addr: ln.Addr().String(), stalled: make(chan struct{}), serverClosed: make(chan struct{})}
	go func() {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		up, err := d.Dial("tcp", server)
		if err != nil {
			client.Close()
			return
		}
		t.Cleanup(func() { client.Close(); up.Close() })
		go func() { _, _ = io.Copy(up, client) }()
		buf := make([]byte, 1024)
		for {
			select {
			case <-r.stalled:
				// Read nothing more; only notice the server closing, which
				// shows as the write side failing.
				for {
					if _, err := up.Write(nil); err != nil {
						close(r.serverClosed)
						return
					}
					one := make([]byte, 0)
					_ = up.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
					if _, err := up.Read(one); err != nil && !isTimeout(err) {
						close(r.serverClosed)
						return
					}
				}
			default:
			}
			_ = up.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
			n, err := up.Read(buf)
			if n > 0 {
				if _, err := client.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil && !isTimeout(err) {
				close(r.serverClosed)
				return
			}
		}
	}()
	return r
}

func (r *stallingRelay) stall() { close(r.stalled) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestSilentConnectionClosedAtHandshakeTimeout: a connection that sends
// nothing after the TCP connect is closed once the handshake timeout is up.
func TestSilentConnectionClosedAtHandshakeTimeout(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	ts := startServer(t, Config{HandshakeTimeout: timeout})
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(patience))
	_, err = io.Copy(io.Discard, conn) // the server's version line, then the close
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection was still open after %s", patience)
	}
	if took := time.Since(start); took < timeout-100*time.Millisecond || took > timeout+5*time.Second {
		t.Errorf("closed after %s, want about %s", took, timeout)
	}
	ts.waitForLog(t, `reason="SSH handshake failed"`)
}

// TestOutputQueueIsBounded: with the client taking nothing, writes are
// queued up to the cap, the one that would pass it is refused and calls
// overflow once, and nothing is queued after.
func TestOutputQueueIsBounded(t *testing.T) {
	t.Parallel()
	w := &blockedWriter{release: make(chan struct{})}
	overflowed := make(chan struct{}, 2)
	q := newOutputQueue(w, 1000, func() { overflowed <- struct{}{} })
	defer func() { close(w.release); q.close() }()

	chunk := bytes.Repeat([]byte("x"), 100)
	if _, err := q.Write(chunk); err != nil { // taken by the writer, which blocks
		t.Fatal(err)
	}
	w.waitStarted(t)
	for i := range 10 { // 1000 bytes queued: at the cap, not over
		if _, err := q.Write(chunk); err != nil {
			t.Fatalf("write %d of 10 under the cap: %v", i+1, err)
		}
	}
	if _, err := q.Write([]byte("y")); !errors.Is(err, errSlowClient) {
		t.Fatalf("the write past the cap: %v, want %v", err, errSlowClient)
	}
	if _, err := q.Write([]byte("y")); err == nil {
		t.Fatalf("a write after the overflow was taken")
	}
	q.mu.Lock()
	held := len(q.pending)
	q.mu.Unlock()
	if held != 0 {
		t.Errorf("%d bytes still queued after the overflow", held)
	}
	<-overflowed
	select {
	case <-overflowed:
		t.Errorf("overflow called twice")
	case <-time.After(50 * time.Millisecond):
	}
	if q.flush(time.Second) {
		t.Errorf("flush waited on a dropped queue")
	}
}

// blockedWriter blocks every write until released.
type blockedWriter struct {
	once    sync.Once
	started chan struct{}
	mu      sync.Mutex
	release chan struct{}
}

func (b *blockedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.once.Do(func() {
		if b.started == nil {
			b.started = make(chan struct{})
		}
		close(b.started)
	})
	b.mu.Unlock()
	<-b.release
	return len(p), nil
}

func (b *blockedWriter) waitStarted(t *testing.T) {
	t.Helper()
	eventually.Require(t, patience, func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.started != nil
	}, func() string { return "the queue never wrote" })
}
