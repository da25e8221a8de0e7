package term

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Screen is a small model of a terminal's display: enough of ECMA-48 and the
// DEC modes that Bubble Tea's renderer uses (cursor moves, erases, repeat,
// insert and delete, scrolling regions) to read back the text a program drew.
// Colours and attributes are ignored. It is not safe for concurrent use.
type Screen struct {
	cols, rows int
	cells      [][]rune
	x, y       int
	wrapNext   bool // the last column was written: the next character wraps first
	top, bot   int  // scrolling region, inclusive
	savedX     int
	savedY     int
	last       rune // the last printed character, for REP
	parser     *ansi.Parser
}

// NewScreen returns a blank cols x rows screen.
func NewScreen(cols, rows int) *Screen {
	s := &Screen{cols: cols, rows: rows, top: 0, bot: rows - 1}
	s.cells = make([][]rune, rows)
	for i := range s.cells {
		s.cells[i] = blankRow(cols)
	}
	s.parser = ansi.NewParser()
	s.parser.SetHandler(ansi.Handler{
		Print:     s.print,
		Execute:   s.execute,
		HandleCsi: s.csi,
		HandleEsc: s.esc,
	})
	return s
}

func blankRow(cols int) []rune {
	r := make([]rune, cols)
	for i := range r {
		r[i] = ' '
	}
	return r
}

// Write feeds terminal output to the screen. It never fails.
func (s *Screen) Write(b []byte) (int, error) {
	s.parser.Parse(b)
	return len(b), nil
}

// Text is the screen's content, one line per row, trailing spaces trimmed.
func (s *Screen) Text() string {
	lines := make([]string, s.rows)
	for i, row := range s.cells {
		lines[i] = strings.TrimRight(strings.ReplaceAll(string(row), "\x00", ""), " ")
	}
	return strings.Join(lines, "\n")
}

func (s *Screen) print(r rune) {
	w := ansi.StringWidth(string(r))
	if w == 0 {
		return // combining marks and the like: not needed to read the text
	}
	if s.wrapNext {
		s.x, s.wrapNext = 0, false
		s.lineFeed()
	}
	if s.x+w > s.cols {
		s.x = 0
		s.lineFeed()
	}
	s.cells[s.y][s.x] = r
	for i := 1; i < w; i++ {
		s.cells[s.y][s.x+i] = 0 // the wide character's second cell
	}
	s.last = r
	s.x += w
	if s.x >= s.cols {
		s.x, s.wrapNext = s.cols-1, true
	}
}

func (s *Screen) execute(b byte) {
	switch b {
	case '\r':
		s.x, s.wrapNext = 0, false
	case '\n', '\v', '\f':
		s.wrapNext = false
		s.lineFeed()
	case '\b':
		s.wrapNext = false
		s.x = max(0, s.x-1)
	case '\t':
		s.wrapNext = false
		s.x = min(s.cols-1, (s.x/8+1)*8)
	}
}

// lineFeed moves down a row, scrolling the region when at its bottom.
func (s *Screen) lineFeed() {
	if s.y == s.bot {
		s.scrollUp(1)
		return
	}
	s.y = min(s.rows-1, s.y+1)
}

func (s *Screen) scrollUp(n int) {
	for range n {
		copy(s.cells[s.top:s.bot], s.cells[s.top+1:s.bot+1])
		s.cells[s.bot] = blankRow(s.cols)
	}
}

func (s *Screen) scrollDown(n int) {
	for range n {
		copy(s.cells[s.top+1:s.bot+1], s.cells[s.top:s.bot])
		s.cells[s.top] = blankRow(s.cols)
	}
}

func (s *Screen) esc(cmd ansi.Cmd) {
	if cmd.Intermediate() != 0 {
		return // charset designations and the like
	}
	switch cmd.Final() {
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.x, s.y, s.wrapNext = s.savedX, s.savedY, false
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	case 'M':
		if s.y == s.top {
			s.scrollDown(1)
		} else {
			s.y = max(0, s.y-1)
		}
	case 'c':
		*s = *NewScreen(s.cols, s.rows)
	}
}

func (s *Screen) csi(cmd ansi.Cmd, params ansi.Params) {
	if cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		return // private modes, queries, cursor style: nothing drawn
	}
	p := func(i, def int) int {
		v, _, _ := params.Param(i, def)
		if v == 0 && def == 1 {
			return 1
		}
		return v
	}
	clampX := func(x int) int { return max(0, min(s.cols-1, x)) }
	clampY := func(y int) int { return max(0, min(s.rows-1, y)) }
	final := cmd.Final()
	if final != 'b' {
		s.wrapNext = false
	}
	switch final {
	case 'A':
		s.y = max(s.top*boolInt(s.y >= s.top), s.y-p(0, 1))
	case 'B':
		s.y = clampY(s.y + p(0, 1))
	case 'C':
		s.x = clampX(s.x + p(0, 1))
	case 'D':
		s.x = clampX(s.x - p(0, 1))
	case 'E':
		s.x, s.y = 0, clampY(s.y+p(0, 1))
	case 'F':
		s.x, s.y = 0, clampY(s.y-p(0, 1))
	case 'G', '`':
		s.x = clampX(p(0, 1) - 1)
	case 'd':
		s.y = clampY(p(0, 1) - 1)
	case 'H', 'f':
		s.y, s.x = clampY(p(0, 1)-1), clampX(p(1, 1)-1)
	case 'J':
		s.eraseDisplay(p(0, 0))
	case 'K':
		s.eraseLine(p(0, 0))
	case 'X':
		for i := s.x; i < min(s.cols, s.x+p(0, 1)); i++ {
			s.cells[s.y][i] = ' '
		}
	case 'b':
		for range p(0, 1) {
			s.print(s.last)
		}
	case '@':
		n := min(p(0, 1), s.cols-s.x)
		row := s.cells[s.y]
		copy(row[s.x+n:], row[s.x:])
		for i := s.x; i < s.x+n; i++ {
			row[i] = ' '
		}
	case 'P':
		n := min(p(0, 1), s.cols-s.x)
		row := s.cells[s.y]
		copy(row[s.x:], row[s.x+n:])
		for i := s.cols - n; i < s.cols; i++ {
			row[i] = ' '
		}
	case 'L', 'M':
		if s.y < s.top || s.y > s.bot {
			return
		}
		top := s.top
		s.top = s.y
		if final == 'L' {
			s.scrollDown(min(p(0, 1), s.bot-s.y+1))
		} else {
			s.scrollUp(min(p(0, 1), s.bot-s.y+1))
		}
		s.top = top
		s.x = 0
	case 'S':
		s.scrollUp(min(p(0, 1), s.bot-s.top+1))
	case 'T':
		s.scrollDown(min(p(0, 1), s.bot-s.top+1))
	case 'r':
		top, bot := p(0, 1)-1, p(1, s.rows)-1
		if top < bot && bot < s.rows {
			s.top, s.bot = top, bot
		} else {
			s.top, s.bot = 0, s.rows-1
		}
		s.x, s.y = 0, 0
	}
}

func (s *Screen) eraseDisplay(mode int) {
	switch mode {
	case 0:
		s.eraseLine(0)
		for y := s.y + 1; y < s.rows; y++ {
			s.cells[y] = blankRow(s.cols)
		}
	case 1:
		s.eraseLine(1)
		for y := 0; y < s.y; y++ {
			s.cells[y] = blankRow(s.cols)
		}
	case 2, 3:
		for y := range s.cells {
			s.cells[y] = blankRow(s.cols)
		}
	}
}

func (s *Screen) eraseLine(mode int) {
	from, to := s.x, s.cols
	switch mode {
	case 1:
		from, to = 0, s.x+1
	case 2:
		from = 0
	}
	for i := from; i < to; i++ {
		s.cells[s.y][i] = ' '
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
