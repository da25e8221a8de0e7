package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
)

// fakeTerminal is a terminal on the other end of a pty: what the program
// writes is drawn by a terminal emulator, and the background query is
// answered as a real terminal answers it, through the program's input.
type fakeTerminal struct {
	t      *testing.T
	master *os.File
	screen *vt.Emulator // read and written under mu: its String is not locked
	answer string       // the reply to OSC 11 (background colour query); "": never answers

	mu    sync.Mutex
	asked int // background queries seen
}

// runInTerminal runs a as a program on a pty of w x h whose other end is a
// fakeTerminal, with env as the program's environment. The program stops
// when the test ends.
func runInTerminal(t *testing.T, a *App, env []string, w, h int, answer string) *fakeTerminal {
	t.Helper()
	return runInTerminalModel(t, a, env, w, h, answer)
}

func runInTerminalModel(t *testing.T, a tea.Model, env []string, w, h int, answer string) *fakeTerminal {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)}); err != nil {
		t.Fatal(err)
	}
	ft := &fakeTerminal{t: t, master: master, screen: vt.NewEmulator(w, h), answer: answer}
	go func() { _, _ = io.Copy(io.Discard, ft.screen) }() // the emulator's own replies: this terminal sends its own
	go ft.read()
	// The terminal is put in raw mode here, and the program reads it through a
	// plain reader: Bubble Tea's reader of a terminal file reads its
	// descriptor unlocked while the program closes it on the way out, which
	// the race detector reports (a test's harness only, not the wizard's path).
	// Bubble Tea then leaves the output's line breaks to the terminal (ONLCR).
	if _, err := term.MakeRaw(tty.Fd()); err != nil {
		t.Fatal(err)
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Oflag |= unix.OPOST | unix.ONLCR
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := tea.NewProgram(a, tea.WithContext(ctx), tea.WithInput(struct{ io.Reader }{tty}), tea.WithOutput(tty),
		tea.WithEnvironment(env), tea.WithoutSignalHandler())
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the program did not stop")
		}
		tty.Close()
		master.Close()
	})
	return ft
}

// read draws what the program writes and answers each background query.
func (ft *fakeTerminal) read() {
	buf := make([]byte, 1<<16)
	var pending string // a query may be split across reads
	for {
		n, err := ft.master.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			ft.mu.Lock()
			_, _ = ft.screen.Write(chunk)
			ft.mu.Unlock()
			pending += string(chunk)
			for {
				i := strings.Index(pending, "\x1b]11;?")
				if i < 0 {
					break
				}
				pending = pending[i+len("\x1b]11;?"):]
				ft.mu.Lock()
				ft.asked++
				ft.mu.Unlock()
				if ft.answer != "" {
					go ft.reply()
				}
			}
			if len(pending) > 16 {
				pending = pending[len(pending)-16:]
			}
		}
		if err != nil {
			return
		}
	}
}

// wasAsked reports whether the program has asked for the background colour.
func (ft *fakeTerminal) wasAsked() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.asked > 0
}

// reply writes the answer; a "|" in it splits it in two writes 120 ms
// apart, as an answer split by a slow link arrives.
func (ft *fakeTerminal) reply() {
	first, rest, split := strings.Cut(ft.answer, "|")
	_, _ = io.WriteString(ft.master, first)
	if split {
		time.Sleep(120 * time.Millisecond)
		_, _ = io.WriteString(ft.master, rest)
	}
}

// decodeScreen paints the emulator's screen on term's colours, as the
// screen's picture would look, and reads the QR code on it.
func (ft *fakeTerminal) decodeScreen(term terminal) (string, error) {
	ft.mu.Lock()
	picture := paint(ft.screen.Render(), term)
	ft.mu.Unlock()
	return decodeQR(picture)
}

// text is the terminal's screen as text.
func (ft *fakeTerminal) text() string {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.screen.String()
}

// waitForQR waits until the QR code on the painted screen reads as want.
func (ft *fakeTerminal) waitForQR(term terminal, want string, d time.Duration) (string, error) {
	var got string
	var err error
	eventually.Until(d, func() bool {
		got, err = ft.decodeScreen(term)
		return err == nil && got == want
	})
	return got, err
}

// The real path of the background colour: the query written to the
// terminal, the terminal's answer (xterm ends it with BEL, others with ST)
// read back through Bubble Tea's input, and the QR's glyphs chosen for that
// background. With NO_COLOR the glyphs are all there is: on a light
// terminal they must draw the dark modules, or the code is a negative that
// phones do not read.
func TestQRScansOnATerminalThatAnswersTheBackgroundQuery(t *testing.T) {
	want := testSetup().URI
	for _, tc := range []struct {
		name, answer string
		term         terminal
		noColor      bool
	}{
		{"NO_COLOR, light, BEL", "\x1b]11;rgb:ffff/ffff/ffff\a", lightTerminal, true},
		{"NO_COLOR, light, ST", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\", lightTerminal, true},
		{"NO_COLOR, dark, BEL", "\x1b]11;rgb:1010/1010/1010\a", darkTerminal, true},
		{"NO_COLOR, dark, ST", "\x1b]11;rgb:0000/0000/0000\x1b\\", darkTerminal, true},
		{"colours, light, BEL", "\x1b]11;rgb:ffff/ffff/ffff\a", lightTerminal, false},
		{"colours, dark, ST", "\x1b]11;rgb:1010/1010/1010\x1b\\", darkTerminal, false},
		// Split by a slow link: the input reader gives up on the sequence
		// after 50 ms and hands on the rest as keys.
		{"NO_COLOR, light, BEL, split", "\x1b]11;rgb:ff|ff/ffff/ffff\a", lightTerminal, true},
		{"NO_COLOR, light, ST, split", "\x1b]11;rgb:ffff/ff|ff/ffff\x1b\\", lightTerminal, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{"TERM=xterm-256color", "COLORTERM=truecolor"}
			if tc.noColor {
				env = append(env, "NO_COLOR=1")
			}
			a := atSecret(t, testOptions(), 80, 24)
			ft := runInTerminal(t, a, env, 80, 24, tc.answer)
			// The query may follow the first frame, which on a dark terminal
			// already scans: wait for the query before the code.
			eventually.Require(t, 5*time.Second, ft.wasAsked,
				func() string { return "the program never asked the terminal for its background colour" })
			got, err := ft.waitForQR(tc.term, want, 5*time.Second)
			if err != nil || got != want {
				t.Fatalf("the QR on a picture of the terminal does not scan (%q, %v); the screen:\n%s", got, err, ft.text())
			}
			if !strings.Contains(ft.text(), "Code: 6 digits") {
				t.Errorf("the code field is not empty: the answer was typed into it:\n%s", ft.text())
			}
		})
	}
}

// A background answer in pieces is read as the answer; a key typed after
// its first piece that no answer has ends it and is typed as usual.
func TestReplyTail(t *testing.T) {
	a := atSecret(t, testOptions(), 80, 24)
	a.Update(uv.UnknownEvent("\x1b]11;rgb:ff"))
	press(a, "ff/ffff/ffff")
	a.Update(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	if a.bg != bgAnswered || a.styles != sharedStyles(false) {
		t.Error("the answer in pieces was not taken as a light background")
	}
	if got := a.secret.code.input.Value(); got != "" {
		t.Errorf("the answer's tail was typed into the code field: %q", got)
	}
	a.Update(uv.UnknownEvent("\x1b]11;rgb:00"))
	press(a, "1", "2", "x", "3")
	if got := a.secret.code.input.Value(); got != "x3" {
		t.Errorf("after a key no answer has, typing goes on as usual: the field has %q, want \"x3\"", got)
	}
}

// A terminal that never answers the background query (tmux 3.3, screen),
// with colours off: the wizard reads COLORFGBG where the terminal set it,
// and otherwise keeps its guess (dark) and says ctrl+r inverts the code;
// ctrl+r, typed on the terminal, makes the code scan on a light one.
func TestQRPolarityWhenTheTerminalNeverAnswers(t *testing.T) {
	want := testSetup().URI
	noColor := []string{"TERM=screen-256color", "NO_COLOR=1"}
	for _, tc := range []struct {
		name   string
		env    []string
		typed  string // what the person types once the code is drawn
		term   terminal
		hinted bool // the line under the code names ctrl+r
	}{
		{"COLORFGBG light", append(noColor, "COLORFGBG=0;15"), "", lightTerminal, false},
		{"COLORFGBG light, three fields", append(noColor, "COLORFGBG=0;default;15"), "", lightTerminal, false},
		{"COLORFGBG dark", append(noColor, "COLORFGBG=15;0"), "", darkTerminal, false},
		{"nothing said, dark terminal", noColor, "", darkTerminal, true},
		{"nothing said, light terminal, ctrl+r", noColor, "\x12", lightTerminal, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := atSecret(t, testOptions(), 80, 24)
			ft := runInTerminal(t, a, tc.env, 80, 24, "")
			if tc.typed != "" {
				waitForScreen(t, ft, "Scan the QR code")
				if _, err := io.WriteString(ft.master, tc.typed); err != nil {
					t.Fatal(err)
				}
			}
			got, err := ft.waitForQR(tc.term, want, 5*time.Second)
			if err != nil || got != want {
				t.Fatalf("the QR on a picture of the terminal does not scan (%q, %v); the screen:\n%s", got, err, ft.text())
			}
			// The environment may reach the wizard after its first frame: wait for it.
			eventually.Until(3*time.Second, func() bool { return strings.Contains(ft.text(), "ctrl+r inverts it") == tc.hinted })
			if hinted := strings.Contains(ft.text(), "ctrl+r inverts it"); hinted != tc.hinted {
				t.Errorf("the line naming ctrl+r shown: %v, want %v; the screen:\n%s", hinted, tc.hinted, ft.text())
			}
			if got, err := ft.decodeScreen(tc.term); err != nil || got != want {
				t.Errorf("the QR does not scan once the wizard has settled (%q, %v); the screen:\n%s", got, err, ft.text())
			}
		})
	}
}

// Pressed twice, ctrl+r puts the code back as it was.
func TestInvertQRTwiceIsTheSameCode(t *testing.T) {
	a := atSecret(t, testOptions(), 100, 30)
	before := screenText(a)
	press(a, "ctrl+r")
	if screenText(a) == before {
		t.Fatal("ctrl+r did not change the QR code")
	}
	press(a, "ctrl+r")
	if screenText(a) != before {
		t.Fatal("ctrl+r twice did not put the QR code back")
	}
}

// ctrl+r is on the help line where it costs no line of its own, and named
// under the code wherever the code's glyphs are a guess.
func TestInvertQRIsOffered(t *testing.T) {
	a := atSecret(t, testOptions(), 100, 30)
	if help := strings.Join(a.helpLines(99), " "); !strings.Contains(ansi.Strip(help), "ctrl+r invert QR") {
		t.Errorf("100x30: ctrl+r is not on the help line: %q", ansi.Strip(help))
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {200, 60}} {
		a := atSecret(t, testOptions(), size[0], size[1])
		a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
		if !strings.Contains(screenWords(a), "QR code not scanning? ctrl+r inverts it.") {
			t.Errorf("%dx%d, colours off, background unknown: no line naming ctrl+r:\n%s", size[0], size[1], screenText(a))
		}
		if _, ok := qrOnScreen(screenText(a)); !ok {
			t.Errorf("%dx%d: the line under the code cost the code:\n%s", size[0], size[1], screenText(a))
		}
	}
	for _, tc := range []struct {
		name string
		msgs []tea.Msg
	}{
		{"colours on", []tea.Msg{tea.ColorProfileMsg{Profile: colorprofile.TrueColor}}},
		{"colours off, terminal answered", []tea.Msg{tea.ColorProfileMsg{Profile: colorprofile.ASCII}, tea.BackgroundColorMsg{Color: color.White}}},
		{"colours off, COLORFGBG", []tea.Msg{tea.ColorProfileMsg{Profile: colorprofile.ASCII}, tea.EnvMsg{"COLORFGBG=0;15"}}},
	} {
		a := atSecret(t, testOptions(), 100, 30)
		for _, m := range tc.msgs {
			a.Update(m)
		}
		if strings.Contains(screenWords(a), "QR code not scanning") {
			t.Errorf("%s: the line naming ctrl+r is shown though the glyphs are no guess", tc.name)
		}
	}
}

// The terminal's answer to the background query wins over COLORFGBG, which
// the terminal set when it started and may be stale (a multiplexer passes on
// the outer terminal's).
func TestTheTerminalsAnswerWinsOverCOLORFGBG(t *testing.T) {
	for _, order := range [][]tea.Msg{
		{tea.EnvMsg{"COLORFGBG=0;15"}, tea.BackgroundColorMsg{Color: color.Black}},
		{tea.BackgroundColorMsg{Color: color.Black}, tea.EnvMsg{"COLORFGBG=0;15"}},
	} {
		a := atSecret(t, testOptions(), 80, 24)
		a.Update(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
		for _, m := range order {
			a.Update(m)
		}
		got, err := decodeQR(paint(written(t, a, colorprofile.ASCII), darkTerminal))
		if err != nil || got != testSetup().URI {
			t.Errorf("%T first: the code does not scan on the dark terminal that answered (%q, %v)", order[0], got, err)
		}
	}
}

func TestColourFGBG(t *testing.T) {
	for _, tc := range []struct {
		v          string
		isDark, ok bool
	}{
		{"0;15", false, true}, {"15;0", true, true}, {"0;7", false, true}, {"7;8", true, true},
		{"0;9", false, true}, {"15;6", true, true}, {"0;default;15", false, true}, {"15;default;0", true, true},
		{"", false, false}, {"default;default", false, false}, {"0;16", false, false}, {"0;-1", false, false}, {"garbage", false, false},
	} {
		isDark, ok := colourFGBG(tc.v)
		if ok != tc.ok || (ok && isDark != tc.isDark) {
			t.Errorf("colourFGBG(%q) = %v, %v; want %v, %v", tc.v, isDark, ok, tc.isDark, tc.ok)
		}
	}
}

func waitForScreen(t *testing.T, ft *fakeTerminal, s string) {
	t.Helper()
	eventually.Require(t, 5*time.Second, func() bool { return strings.Contains(ft.text(), s) },
		func() string { return fmt.Sprintf("never saw %q on the terminal:\n%s", s, ft.text()) })
}
