package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

// startLocal runs `local` (serveLocal, as the command does) on a free
// loopback port with limits, and returns its address.
func startLocal(t *testing.T, limits httpLimits) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncbuf.Buffer
	done := make(chan error, 1)
	go func() { done <- serveLocal(ctx, &out, "127.0.0.1:0", "us-east-1", "", false, limits) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	addrOf := regexp.MustCompile(`on http://(\S+) `)
	var addr string
	eventually.Require(t, 5*time.Second, func() bool {
		m := addrOf.FindStringSubmatch(out.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	}, func() string { return fmt.Sprintf("local never said where it listens: %q", out.String()) })
	return addr
}

// closedWithin reads c until the server closes it, and says so unless that
// happens within limit of start.
func closedWithin(c net.Conn, start time.Time, limit time.Duration) error {
	_ = c.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the connection was still open after %s", limit)
	}
	return nil
}

// `local` closes a connection that sends its request too slowly or sits
// idle between requests, so that slow or abandoned connections cannot pile
// up; headers over the limit are refused.
func TestLocalClosesSlowAndIdleConnections(t *testing.T) {
	limits := httpLimits{readHeader: 500 * time.Millisecond, read: time.Second, write: time.Second,
		idle: 500 * time.Millisecond, maxHeaderBytes: 4 << 10}
	addr := startLocal(t, limits)
	const slack = 2 * time.Second

	t.Run("slow body", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Error(err)
					return
				}
				defer c.Close()
				start := time.Now()
				fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"+
					"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{", addr)
				stop := make(chan struct{})
				defer close(stop)
				go func() { // a byte every 100 ms: 100 s for the whole body
					for {
						select {
						case <-stop:
							return
						case <-time.After(100 * time.Millisecond):
							if _, err := c.Write([]byte(" ")); err != nil {
								return
							}
						}
					}
				}()
				if err := closedWithin(c, start, limits.read+slack); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	})

	t.Run("slow headers", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: %s\r\n", addr) // and nothing more
		if err := closedWithin(c, start, limits.readHeader+slack); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("no answer to a whole request: %v", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Close {
			t.Fatal("the server closed after its answer; this test needs a kept-alive connection")
		}
		start := time.Now()
		_ = c.SetReadDeadline(start.Add(limits.idle + slack))
		if _, err := io.Copy(io.Discard, br); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("an idle kept-alive connection was still open after %s", limits.idle+slack)
			}
		}
	})

	t.Run("headers over the limit", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nX-Big: %s\r\n\r\n", addr, strings.Repeat("a", 64<<10))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d, want 431", resp.StatusCode)
		}
	})
}

// The limits `local` runs with are set: a zero would mean no limit at all.
func TestLocalLimitsAreSet(t *testing.T) {
	l := localLimits
	if l.readHeader <= 0 || l.read <= 0 || l.write <= 0 || l.idle <= 0 || l.maxHeaderBytes <= 0 {
		t.Fatalf("%+v", l)
	}
}
