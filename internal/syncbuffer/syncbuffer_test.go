package syncbuffer

import (
	"strings"
	"sync"
	"testing"
)

// Writers and a reader at once: run with -race, which reports the buffer if
// it is not locked; and no write is lost or torn.
func TestWritesAndReadsAtOnce(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, _ = b.Write([]byte("line\n"))
			}
		}()
	}
	for range 100 {
		_ = b.String()
	}
	wg.Wait()
	got := b.String()
	if n := strings.Count(got, "line\n"); n != 400 || len(got) != 400*len("line\n") {
		t.Fatalf("%d whole lines in %d bytes, want 400 lines", n, len(got))
	}
}
