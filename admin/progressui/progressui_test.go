package progressui

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"
	"golang.org/x/text/width"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/syncbuf"
)

func view(m tea.Model) string { return ansi.Strip(m.View().Content) }

func TestViewSaysWhatIsBeingDone(t *testing.T) {
	canceled := false
	var m tea.Model = NewModel(func() { canceled = true }, i18n.English())
	m, _ = m.Update(progressMsg{Listing: true, Done: 120})
	if v := view(m); !strings.Contains(v, "Listing users: 120 so far") || strings.Contains(v, "█") {
		t.Fatalf("listing: %q", v)
	}
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(progressMsg{Done: 125, Total: 250})
	v := view(m)
	if !strings.Contains(v, "Reading users' MFA settings: 125 of 250") || !strings.Contains(v, "50%") ||
		!strings.Contains(v, "ctrl+c stops and prints what was read so far.") {
		t.Fatalf("reading: %q", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if ansi.StringWidth(line) > 80 {
			t.Errorf("wider than the window: %q", line)
		}
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if !canceled || !strings.Contains(view(m), "Stopping; the partial summary follows.") {
		t.Fatalf("ctrl+c: canceled %v, view %q", canceled, view(m))
	}
	_, cmd := m.Update(doneMsg{})
	if cmd == nil {
		t.Fatal("the screen does not end when the work is done")
	}
}

func TestRunShowsProgressAndCtrlCStopsTheWork(t *testing.T) {
	in, keys := io.Pipe()
	defer keys.Close()
	var out syncbuf.Buffer
	err := Run(context.Background(), in, &out, i18n.English(), func(ctx context.Context, report func(Progress)) error {
		for i := 1; i <= 5; i++ {
			report(Progress{Done: i, Total: 5})
		}
		return nil
	}, tea.WithWindowSize(80, 24))
	if err != nil || !strings.Contains(ansi.Strip(out.String()), "Reading users' MFA settings: 5 of 5") {
		t.Fatalf("%v\n%q", err, ansi.Strip(out.String()))
	}

	in, keys = io.Pipe()
	defer keys.Close()
	started := make(chan struct{})
	go func() {
		<-started
		time.Sleep(100 * time.Millisecond) // let the program read keys
		keys.Write([]byte{0x03})           // ctrl+c
	}()
	err = Run(context.Background(), in, &out, i18n.English(), func(ctx context.Context, report func(Progress)) error {
		report(Progress{Done: 1, Total: 300})
		close(started)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("ctrl+c did not stop the work")
		}
	}, tea.WithWindowSize(80, 24))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("after ctrl+c: %v", err)
	}
}

// The bar speaks the person's language; in Japanese it is drawn in ASCII,
// since its blocks are of ambiguous width, two cells on a terminal set up
// for Japanese.
func TestViewInSpanishAndJapanese(t *testing.T) {
	for _, c := range []struct {
		lang                   language.Tag
		listing, reading, hint string
		stopping               string
		asciiBar               bool
	}{
		{language.Spanish, "Listando usuarios: 120 hasta ahora", "Leyendo la configuración de MFA de los usuarios: 125 de 250",
			"ctrl+c detiene la lectura y muestra lo leído hasta ahora.", "Deteniendo; a continuación, el resumen parcial.", false},
		{language.Japanese, "ユーザーを取得中: これまでに 120 人", "ユーザーの MFA 設定を読み取り中: 250 人中 125 人",
			"ctrl+c で中止し、それまでに読み取った分を表示します。", "中止しています。このあと途中までの集計を表示します。", true},
	} {
		var m tea.Model = NewModel(func() {}, i18n.For(c.lang))
		m, _ = m.Update(progressMsg{Listing: true, Done: 120})
		if v := view(m); !strings.Contains(v, c.listing) {
			t.Errorf("%s listing: %q", c.lang, v)
		}
		m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m, _ = m.Update(progressMsg{Done: 125, Total: 250})
		v := view(m)
		if !strings.Contains(v, c.reading) || !strings.Contains(v, c.hint) || !strings.Contains(v, "50%") {
			t.Errorf("%s reading: %q", c.lang, v)
		}
		if got := strings.Contains(v, "####") && !strings.ContainsAny(v, "▌█░"); got != c.asciiBar {
			t.Errorf("%s: the bar in ASCII %v, want %v: %q", c.lang, got, c.asciiBar, v)
		}
		for _, line := range strings.Split(v, "\n") {
			if ansi.StringWidth(line) > 80 {
				t.Errorf("%s: wider than the window: %q", c.lang, line)
			}
			for _, r := range line {
				if c.lang == language.Japanese && width.LookupRune(r).Kind() == width.EastAsianAmbiguous {
					t.Errorf("ja: %q has %q, of ambiguous width", line, r)
				}
			}
		}
		m, _ = m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		if !strings.Contains(view(m), c.stopping) {
			t.Errorf("%s ctrl+c: %q", c.lang, view(m))
		}
	}
}
