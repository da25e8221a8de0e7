// Command screenshots draws README pictures of the wizard's main screens
// from the UI test goldens (plain text, colours stripped): one SVG per
// screen, a dark terminal window with the text in a monospace font and the
// QR code drawn as squares, so that the picture's code scans.
//
//	go run ./tools/screenshots -out docs/screens
//
// The output depends only on the goldens: the same goldens give the same
// bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// screen is one golden to draw: its directory under the goldens and the
// title shown in the window's title bar.
type screen struct {
	name, title string
}

// screens are the pictures written, in README order.
var screens = []screen{
	{"signin_demo", "Sign in"},
	{"replace_warning", "Replace the authenticator app?"},
	{"newpassword_policy", "New password"},
	{"secret_demo", "Add the authenticator app"},
	{"secret_clock_behind", "Refused code: the phone's clock"},
	{"code_sms_demo_outbox", "SMS code (demo outbox)"},
	{"failure_retryable", "Retryable failure"},
	{"done_test_worked", "Done, test sign-in worked"},
}

// Geometry, in pixels. A half-block cell is charW wide and lineH/2 tall:
// lineH is twice charW so that QR modules are square.
const (
	fontSize = 14.0
	charW    = 8.4
	lineH    = 2 * charW
	pad      = 16.0
	titleH   = 28.0
)

const (
	bgColour     = "#1e1f29"
	barColour    = "#2c2e3b"
	textColour   = "#e0e0e6"
	headColour   = "#9ab8ff"
	helpColour   = "#8a8c99"
	titleColour  = "#b8bac6"
	lightModule  = "#fff"
	darkModule   = "#000"
	fontFamilies = "ui-monospace, Menlo, Consolas, monospace"
)

func main() {
	out := flag.String("out", "docs/screens", "directory for the SVG files")
	goldens := flag.String("goldens", "ui/testdata/TestGoldenScreens", "directory of the screen goldens")
	size := flag.String("size", "120x40", "golden size to draw")
	flag.Parse()
	if err := run(*goldens, *size, *out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func goldenPath(goldens, name, size string) string {
	return filepath.Join(goldens, name, size+".golden")
}

func run(goldens, size, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, s := range screens {
		text, err := os.ReadFile(goldenPath(goldens, s.name, size))
		if err != nil {
			return err
		}
		svg := render(s.title, string(text))
		dst := filepath.Join(out, s.name+".svg")
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, svg) {
			continue // unchanged: leave the file (and its time) alone
		}
		if err := os.WriteFile(dst, svg, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", dst)
	}
	return nil
}

// num formats a coordinate with at most two decimals, the same way every time.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// escape makes s safe as XML character data.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		default:
			if r < 0x20 && r != '\t' { // not allowed in XML 1.0
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBlock(r rune) bool { return r == '█' || r == '▀' || r == '▄' }

// qrArea is where the QR code sits on the screen, in cells: rows
// [top, top+rows) and columns [left, right].
type qrArea struct {
	top, rows, left, right int
}

// findQR finds the QR code: the first run of at least minQR lines whose
// leading cells (after spaces) are half blocks, spanning at least minQR
// columns. Block characters elsewhere (a lone cursor, say) stay text.
func findQR(lines [][]rune) (qrArea, bool) {
	const minQR = 10
	start := func(l []rune) (left, right int, ok bool) {
		i := 0
		for i < len(l) && l[i] == ' ' {
			i++
		}
		if i == len(l) || !isBlock(l[i]) {
			return 0, 0, false
		}
		right = i
		for j := i; j < len(l); j++ {
			if isBlock(l[j]) {
				right = j
			}
		}
		return i, right, true
	}
	for top := 0; top < len(lines); top++ {
		left, right, ok := start(lines[top])
		if !ok {
			continue
		}
		a := qrArea{top: top, left: left, right: right}
		for a.top+a.rows < len(lines) {
			l, r, ok := start(lines[a.top+a.rows])
			if !ok || l != left {
				break
			}
			a.right = max(a.right, r)
			a.rows++
		}
		if a.rows >= minQR && a.right-a.left+1 >= minQR {
			return a, true
		}
		top += a.rows
	}
	return qrArea{}, false
}

// modules reads the QR area as half-cell modules, true for light: the
// block characters draw light modules (white foreground), spaces are dark
// (black background). A last half row with no light module is the bottom
// of a half-block line below the quiet zone, not part of the code.
func modules(lines [][]rune, a qrArea) [][]bool {
	var rows [][]bool
	for y := a.top; y < a.top+a.rows; y++ {
		top := make([]bool, a.right-a.left+1)
		bottom := make([]bool, a.right-a.left+1)
		for x := a.left; x <= a.right; x++ {
			r := ' '
			if x < len(lines[y]) {
				r = lines[y][x]
			}
			top[x-a.left] = r == '█' || r == '▀'
			bottom[x-a.left] = r == '█' || r == '▄'
		}
		rows = append(rows, top, bottom)
	}
	if !slices.Contains(rows[len(rows)-1], true) {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// render draws one screen (golden text) as an SVG terminal window.
func render(title, text string) []byte {
	raw := strings.Split(strings.TrimRight(text, "\n"), "\n")
	lines := make([][]rune, len(raw))
	cols := 0
	for i, l := range raw {
		lines[i] = []rune(l)
		cols = max(cols, len(lines[i]))
	}
	help := -1 // the key help line: the last line with text
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(string(lines[i])) != "" {
			help = i
			break
		}
	}

	width := 2*pad + float64(cols)*charW
	height := titleH + 2*pad + float64(len(lines))*lineH
	x0, y0 := pad, titleH+pad

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s">`+"\n",
		num(width), num(height), num(width), num(height), escape("cognito-totp: "+title))
	fmt.Fprintf(&b, "<title>%s</title>\n", escape("cognito-totp: "+title))
	fmt.Fprintf(&b, `<rect width="%s" height="%s" rx="10" fill="%s"/>`+"\n", num(width), num(height), bgColour)
	fmt.Fprintf(&b, `<path d="M0 10a10 10 0 0 1 10-10h%sa10 10 0 0 1 10 10v%sh-%sz" fill="%s"/>`+"\n",
		num(width-20), num(titleH-10), num(width), barColour)
	for i, c := range []string{"#ff5f57", "#febc2e", "#28c840"} {
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="6" fill="%s"/>`+"\n", num(18+float64(i)*20), num(titleH/2), c)
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-family="%s" font-size="13" fill="%s">%s</text>`+"\n",
		num(width/2), num(titleH/2+4.5), fontFamilies, titleColour, escape(title))

	a, hasQR := findQR(lines)
	if hasQR {
		m := modules(lines, a)
		qx, qy := x0+float64(a.left)*charW, y0+float64(a.top)*lineH
		side := charW // one module
		fmt.Fprintf(&b, `<g shape-rendering="crispEdges">`+"\n")
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
			num(qx), num(qy), num(float64(len(m[0]))*side), num(float64(len(m))*side), lightModule)
		for y, row := range m {
			for x := 0; x < len(row); {
				if row[x] {
					x++
					continue
				}
				end := x
				for end < len(row) && !row[end] {
					end++
				}
				fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
					num(qx+float64(x)*side), num(qy+float64(y)*side), num(float64(end-x)*side), num(side), darkModule)
				x = end
			}
		}
		b.WriteString("</g>\n")
	}

	fmt.Fprintf(&b, `<g font-family="%s" font-size="%s" fill="%s">`+"\n", fontFamilies, num(fontSize), textColour)
	for i, l := range lines {
		col := 0
		if hasQR && i >= a.top && i < a.top+a.rows {
			col = a.right + 1
			if col > len(l) {
				continue
			}
			l = l[col:]
		}
		s := strings.TrimRight(string(l), " ")
		trimmed := strings.TrimLeft(s, " ")
		col += len([]rune(s)) - len([]rune(trimmed))
		if trimmed == "" {
			continue
		}
		fill := ""
		switch i {
		case 0:
			fill = ` fill="` + headColour + `"`
		case help:
			fill = ` fill="` + helpColour + `"`
		}
		n := len([]rune(trimmed))
		fmt.Fprintf(&b, `<text x="%s" y="%s" textLength="%s" lengthAdjust="spacingAndGlyphs" xml:space="preserve"%s>%s</text>`+"\n",
			num(x0+float64(col)*charW), num(y0+float64(i)*lineH+lineH*0.75), num(float64(n)*charW), fill, escape(trimmed))
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}
