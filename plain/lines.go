package plain

import (
	"bufio"
	"context"
	"io"
	"strings"

	"github.com/cognito-totp/cognito-totp/internal/safetext"
)

// lineReader reads one line of input each time one is asked for, in its own
// goroutine, so that waiting for an answer can be given up when ctx is
// cancelled. It reads only when asked: between prompts nothing is read, so a
// password read without echo from the same terminal never races with it.
type lineReader struct {
	want    chan struct{}
	got     chan readResult
	waiting bool // a line was asked for and not yet taken
}

type readResult struct {
	line string
	err  error
}

func newLineReader(in io.Reader) *lineReader {
	lr := &lineReader{want: make(chan struct{}, 1), got: make(chan readResult, 1)}
	go lr.serve(bufio.NewReader(in))
	return lr
}

func (lr *lineReader) serve(br *bufio.Reader) {
	var ended error
	for range lr.want {
		if ended != nil {
			lr.got <- readResult{err: ended}
			continue
		}
		line, err := readLine(br)
		if err != nil {
			ended = err
			if line != "" {
				err = nil // a last line without a line break is still an answer
			}
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		lr.got <- readResult{line: line, err: err}
	}
}

// maxLine is the most of one line kept, in bytes: far more than any answer
// (a password is at most 256 characters) and little memory. The rest of a
// longer line is read and dropped; the answer it gives is then too long for
// any field, and refused as such.
const maxLine = 16 << 10

// readLine reads up to and including the next line break, keeping at most
// maxLine bytes of it.
func readLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk[:min(len(chunk), max(0, maxLine-len(line)))]...)
		if err != bufio.ErrBufferFull {
			return string(line), err
		}
	}
}

// next returns the next line without its line break; io.EOF when the input
// has ended, ctx's error when ctx is cancelled first. A line being read when
// ctx is cancelled is returned by the next call.
func (lr *lineReader) next(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !lr.waiting {
		lr.want <- struct{}{}
		lr.waiting = true
	}
	select {
	case res := <-lr.got:
		lr.waiting = false
		return res.line, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// close lets the goroutine end once the read it may be blocked in returns.
func (lr *lineReader) close() { close(lr.want) }

// printer writes whole lines and prompts, each in one Write, and keeps the
// first error: after it nothing more is written.
type printer struct {
	w   io.Writer
	err error
}

// line prints s as one line.
func (p *printer) line(s string) { p.write(oneLine(s) + "\n") }

// prompt prints s with no line break: the answer is typed after it.
func (p *printer) prompt(s string) { p.write(oneLine(s)) }

// asciiEllipsis keeps the three dots scripts and screen readers expect
// where the catalogs write one character (Signing in…).
var asciiEllipsis = strings.NewReplacer("…", "...")

func (p *printer) write(s string) {
	if p.err != nil {
		return
	}
	_, p.err = io.WriteString(p.w, s)
}

// oneLine makes s safe to print as (part of) one line: line breaks and tabs
// become spaces and escape sequences and other control characters are
// dropped, so nothing Cognito or a setting says can move the cursor or add
// colour (safetext.Line, which admin uses too).
func oneLine(s string) string { return safetext.Line(asciiEllipsis.Replace(s)) }
