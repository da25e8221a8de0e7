package ui

import (
	"bytes"
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// The QR is read back from a picture of the screen, as a phone would: the
// frame goes through the colour profile the program writes with (NO_COLOR
// strips every colour), the cells are painted as a terminal paints them
// (glyph ink in the foreground, the rest in the background, the terminal's
// own colours where the frame sets none; a half block inks half the cell),
// and a QR decoder (ZXing's, ported to Go) must read the otpauth URI.
// Decided over xterm under Xvfb with zbarimg: this runs in go test on any
// machine in milliseconds, and the painting rules are the terminal's.

// terminal is a terminal's own colours: what it draws with when told nothing.
type terminal struct{ fg, bg color.Color }

var (
	lightTerminal = terminal{fg: color.Black, bg: color.White}
	darkTerminal  = terminal{fg: color.RGBA{0xD0, 0xD0, 0xD0, 0xFF}, bg: color.RGBA{0x10, 0x10, 0x10, 0xFF}}
)

const cellW, cellH = 4, 8 // a cell is two square half-block modules, one above the other

// paint draws frame (with SGR colours, reverse video) on t, cell by cell.
func paint(frame string, t terminal) *image.RGBA {
	lines := strings.Split(frame, "\n")
	width := 0
	for _, l := range lines {
		width = max(width, len([]rune(l)))
	}
	img := image.NewRGBA(image.Rect(0, 0, (width+4)*cellW, (len(lines)+2)*cellH))
	fill(img, img.Bounds(), t.bg)
	for y, line := range lines {
		fg, bg, reverse := t.fg, t.bg, false
		x := 0
		for rs := []rune(line); len(rs) > 0; {
			if rs[0] == '\x1b' && len(rs) > 1 && rs[1] == '[' {
				end := 2
				for end < len(rs) && (rs[end] < 0x40 || rs[end] > 0x7e) {
					end++
				}
				if end < len(rs) && rs[end] == 'm' {
					fg, bg, reverse = sgr(string(rs[2:end]), fg, bg, reverse, t)
				}
				rs = rs[min(end+1, len(rs)):]
				continue
			}
			ink, paper := fg, bg
			if reverse {
				ink, paper = bg, fg
			}
			cell := image.Rect((x+2)*cellW, (y+1)*cellH, (x+3)*cellW, (y+2)*cellH)
			fill(img, cell, paper)
			switch r := rs[0]; r {
			case ' ':
			case '█':
				fill(img, cell, ink)
			case '▀':
				fill(img, image.Rect(cell.Min.X, cell.Min.Y, cell.Max.X, cell.Min.Y+cellH/2), ink)
			case '▄':
				fill(img, image.Rect(cell.Min.X, cell.Min.Y+cellH/2, cell.Max.X, cell.Max.Y), ink)
			default: // a letter: a stroke in the middle of the cell
				fill(img, image.Rect(cell.Min.X+1, cell.Min.Y+2, cell.Max.X-1, cell.Max.Y-2), ink)
			}
			x++
			rs = rs[1:]
		}
	}
	return img
}

// sgr applies one SGR sequence's parameters.
func sgr(params string, fg, bg color.Color, reverse bool, t terminal) (color.Color, color.Color, bool) {
	p := strings.Split(params, ";")
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case "", "0":
			fg, bg, reverse = t.fg, t.bg, false
		case "7":
			reverse = true
		case "27":
			reverse = false
		case "39":
			fg = t.fg
		case "49":
			bg = t.bg
		case "38", "48":
			which := p[i]
			var c color.Color
			switch {
			case i+4 < len(p) && p[i+1] == "2":
				r, _ := strconv.Atoi(p[i+2])
				g, _ := strconv.Atoi(p[i+3])
				b, _ := strconv.Atoi(p[i+4])
				c = color.RGBA{uint8(r), uint8(g), uint8(b), 0xFF}
				i += 4
			case i+2 < len(p) && p[i+1] == "5":
				n, _ := strconv.Atoi(p[i+2])
				c = ansi.IndexedColor(uint8(n))
				i += 2
			default:
				return fg, bg, reverse // a form this painter does not know: leave the rest
			}
			if which == "38" {
				fg = c
			} else {
				bg = c
			}
		default: // 30-37, 90-97, 40-47, 100-107: the 16 colours (what the ANSI profile writes)
			n, err := strconv.Atoi(p[i])
			switch {
			case err != nil:
			case n >= 30 && n <= 37:
				fg = ansi.BasicColor(n - 30)
			case n >= 90 && n <= 97:
				fg = ansi.BasicColor(n - 90 + 8)
			case n >= 40 && n <= 47:
				bg = ansi.BasicColor(n - 40)
			case n >= 100 && n <= 107:
				bg = ansi.BasicColor(n - 100 + 8)
			}
		}
	}
	return fg, bg, reverse
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Set(x, y, c)
		}
	}
}

// decodeQR reads the one QR code in img, or says why not.
func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// written is the frame as the program writes it with profile.
func written(t *testing.T, a *App, profile colorprofile.Profile) string {
	t.Helper()
	var out bytes.Buffer
	w := &colorprofile.Writer{Forward: &out, Profile: profile}
	if _, err := w.WriteString(a.View().Content); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestQRScansFromAPictureOfTheScreen(t *testing.T) {
	want := testSetup().URI
	for _, tc := range []struct {
		name     string
		answer   color.Color // the terminal's answer to the background query; nil: none
		terminal terminal
		profile  colorprofile.Profile
	}{
		{"NO_COLOR, light terminal", color.White, lightTerminal, colorprofile.Ascii},
		{"NO_COLOR, dark terminal", color.Black, darkTerminal, colorprofile.Ascii},
		{"NO_COLOR, no answer, dark terminal", nil, darkTerminal, colorprofile.Ascii},
		{"colours, light terminal", color.White, lightTerminal, colorprofile.TrueColor},
		{"colours, dark terminal", color.Black, darkTerminal, colorprofile.TrueColor},
		{"colours, no answer, light terminal", nil, lightTerminal, colorprofile.TrueColor},
		{"256 colours, light terminal", color.White, lightTerminal, colorprofile.ANSI256},
		{"16 colours, dark terminal", color.Black, darkTerminal, colorprofile.ANSI},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range [][2]int{{80, 24}, {100, 30}} {
				a := atSecret(t, testOptions(), size[0], size[1])
				if tc.answer != nil {
					a.Update(tea.BackgroundColorMsg{Color: tc.answer})
				}
				got, err := decodeQR(paint(written(t, a, tc.profile), tc.terminal))
				if err != nil {
					t.Fatalf("%dx%d: the QR on a picture of the screen does not scan: %v", size[0], size[1], err)
				}
				if got != want {
					t.Fatalf("%dx%d: scanned %q, want the otpauth URI", size[0], size[1], got)
				}
			}
		})
	}
}
