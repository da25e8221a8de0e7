package plain

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestLineReader: CRLF line ends (a script from Windows), a last line with no
// line break, and the end of input said again on every later read.
func TestLineReader(t *testing.T) {
	lr := newLineReader(strings.NewReader("demo\r\n\nPassw0rd!\n123 456"))
	defer lr.close()
	for _, want := range []string{"demo", "", "Passw0rd!", "123 456"} {
		got, err := lr.next(context.Background())
		if got != want || err != nil {
			t.Fatalf("next() = %q, %v; want %q, nil", got, err, want)
		}
	}
	for range 2 {
		if got, err := lr.next(context.Background()); got != "" || !errors.Is(err, io.EOF) {
			t.Fatalf("after the input ended, next() = %q, %v; want io.EOF", got, err)
		}
	}
}

// TestLineReaderReadsOnlyWhenAsked: nothing is read ahead of a prompt, so a
// password read without echo from the same terminal gets what is typed.
func TestLineReaderReadsOnlyWhenAsked(t *testing.T) {
	pr, pw := io.Pipe()
	lr := newLineReader(pr)
	defer lr.close()
	defer pw.Close()
	written := make(chan error, 1)
	go func() {
		_, err := io.WriteString(pw, "first\n")
		written <- err
	}()
	select {
	case <-written:
		t.Fatal("the line reader read input before a line was asked for")
	case <-time.After(50 * time.Millisecond):
	}
	if got, err := lr.next(context.Background()); got != "first" || err != nil {
		t.Fatalf("next() = %q, %v", got, err)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
}

func TestOneLine(t *testing.T) {
	if got := oneLine("a\x1b[31mb\nc\td\re\x07\u0085f"); got != "ab c d ef" {
		t.Errorf("oneLine = %q", got)
	}
}
