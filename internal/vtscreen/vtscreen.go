// Package vtscreen is a terminal's display kept by charmbracelet/x/vt's
// emulator, read back as text: what a person at that terminal would see
// now, not everything ever written. The benchmarks' terminal harness and
// the tests' screen reader both read screens through it.
package vtscreen

import (
	"io"
	"strings"

	"github.com/charmbracelet/x/vt"
)

// Screen is a terminal's display, kept by charmbracelet/x/vt's emulator, from
// which the text a program drew is read back. It is not safe for concurrent
// use.
type Screen struct {
	rows int
	emu  *vt.Emulator
}

// New returns a blank cols x rows screen.
func New(cols, rows int) *Screen {
	emu := vt.NewEmulator(cols, rows)
	// The emulator answers a program's queries (cursor position, modes,
	// colours) through a pipe that blocks its Write until read. The answers
	// are dropped: the program measured must see a terminal that does not
	// answer, as before, so that what it sends does not change with the
	// harness.
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	return &Screen{rows: rows, emu: emu}
}

// Write feeds terminal output to the screen. It never fails.
func (s *Screen) Write(b []byte) (int, error) {
	_, _ = s.emu.Write(b)
	return len(b), nil
}

// Text is the screen's content, one line per row, trailing spaces trimmed.
func (s *Screen) Text() string {
	lines := strings.Split(s.emu.String(), "\n")
	out := make([]string, s.rows)
	for i := range out {
		if i < len(lines) {
			out[i] = strings.TrimRight(lines[i], " ")
		}
	}
	return strings.Join(out, "\n")
}

// Close ends the goroutine that drops the emulator's answers; the screen
// stays readable. It closes the answers' pipe rather than calling the
// emulator's Close, which writes a flag its Read reads without a lock (a
// data race under -race in vt v0.1.0).
func (s *Screen) Close() {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		_ = c.Close()
	}
}
