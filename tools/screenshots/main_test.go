package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goldens = "../../ui/testdata/TestGoldenScreens"

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(goldenPath(goldens, name, "120x40"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEveryNamedGoldenExists(t *testing.T) {
	for _, s := range screens {
		if _, err := os.Stat(goldenPath(goldens, s.name, "120x40")); err != nil {
			t.Errorf("screen %s: %v", s.name, err)
		}
	}
}

func TestTextIsEscaped(t *testing.T) {
	svg := string(render(`a <b> & "c"`, " if a < b && c > d then <script>\n enter quit\n"))
	for _, bad := range []string{"<b>", "<script>", "&&", " & ", "a < b", "c > d"} {
		if strings.Contains(svg, bad) {
			t.Errorf("SVG holds unescaped %q:\n%s", bad, svg)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "a &lt; b &amp;&amp; c &gt; d", "a &lt;b&gt; &amp; &quot;c&quot;"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q:\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, `xml:space="preserve"`); n != 2 {
		t.Errorf("%d preserved text lines, want 2", n)
	}
}

func TestQRIsDrawnAsSquares(t *testing.T) {
	text := readGolden(t, "secret_demo")
	svg := string(render("secret", text))
	if n := strings.Count(svg, `fill="`+darkModule+`"/>`); n == 0 {
		t.Error("no dark module rects")
	}
	for _, r := range []string{"█", "▀", "▄"} {
		if strings.Contains(svg, r) {
			t.Errorf("the SVG still holds %q glyphs", r)
		}
	}
	if !strings.Contains(svg, "Scan the QR code") {
		t.Error("the text beside the QR is missing")
	}

	// The modules read back off the golden form a square code with its
	// quiet zone light all round.
	lines := [][]rune{}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		lines = append(lines, []rune(l))
	}
	a, ok := findQR(lines)
	if !ok {
		t.Fatal("no QR found in secret_demo")
	}
	m := modules(lines, a)
	if len(m) != len(m[0]) {
		t.Errorf("QR is %d wide and %d tall, want a square", len(m[0]), len(m))
	}
	for i := range m {
		if !m[i][0] || !m[i][len(m[i])-1] || !m[0][i%len(m[0])] || !m[len(m)-1][i%len(m[0])] {
			t.Fatalf("quiet zone not light at row/column %d", i)
		}
	}
}

func TestNoQROnOtherScreens(t *testing.T) {
	svg := string(render("sign in", readGolden(t, "signin_demo")))
	if strings.Contains(svg, `fill="`+darkModule+`"`) {
		t.Error("the sign-in screen got QR rects")
	}
	if !strings.Contains(svg, "Username: demo-user") {
		t.Error("sign-in text missing")
	}
}

func TestDeterministic(t *testing.T) {
	dir1, dir2 := t.TempDir(), t.TempDir()
	if err := run(goldens, "120x40", dir1); err != nil {
		t.Fatal(err)
	}
	if err := run(goldens, "120x40", dir2); err != nil {
		t.Fatal(err)
	}
	for _, s := range screens {
		a, err1 := os.ReadFile(filepath.Join(dir1, s.name+".svg"))
		b, err2 := os.ReadFile(filepath.Join(dir2, s.name+".svg"))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", s.name)
		}
	}
}
