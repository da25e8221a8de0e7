package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

type panicky struct{ inUpdate, inView bool }

func (p panicky) Init() tea.Cmd { return nil }
func (p panicky) Update(tea.Msg) (tea.Model, tea.Cmd) {
	if p.inUpdate {
		panic("update with s3cr3t")
	}
	return p, nil
}
func (p panicky) View() tea.View {
	if p.inView {
		panic("view with s3cr3t")
	}
	return tea.NewView("fine")
}

func TestPanicInUpdateQuitsCleanly(t *testing.T) {
	m := Guard(panicky{inUpdate: true})
	_, cmd := m.Update(tea.KeyPressMsg{})
	if !m.Panicked() || !isQuit(cmd) {
		t.Fatalf("panicked=%v quit=%v", m.Panicked(), isQuit(cmd))
	}
	if m.View().Content != "" {
		t.Fatal("after a panic the screen is left empty")
	}
}

func TestPanicInViewQuitsCleanly(t *testing.T) {
	m := Guard(panicky{inView: true})
	if v := m.View(); v.Content != "" || !m.Panicked() {
		t.Fatalf("view %q panicked=%v", v.Content, m.Panicked())
	}
	if _, cmd := m.Update(tea.KeyPressMsg{}); !isQuit(cmd) {
		t.Fatal("the next update must quit")
	}
}

func TestNoPanicPassesThrough(t *testing.T) {
	m := Guard(panicky{})
	if _, cmd := m.Update(tea.KeyPressMsg{}); cmd != nil || m.Panicked() || m.View().Content != "fine" {
		t.Fatal("a healthy model must be untouched")
	}
}

// outOfRange panics as the runtime does on a bad index.
type outOfRange struct{ i int }

func (o outOfRange) Init() tea.Cmd { return nil }
func (o outOfRange) Update(tea.Msg) (tea.Model, tea.Cmd) {
	_ = []string{"a"}[o.i]
	return o, nil
}
func (o outOfRange) View() tea.View { return tea.NewView("") }

// fakeRuntimeError claims to be the runtime's and quotes a secret.
type fakeRuntimeError struct{}

func (fakeRuntimeError) Error() string { return "runtime error: s3cr3t" }
func (fakeRuntimeError) RuntimeError() {}

type panicsWith struct{ v any }

func (p panicsWith) Init() tea.Cmd                       { return nil }
func (p panicsWith) Update(tea.Msg) (tea.Model, tea.Cmd) { panic(p.v) }
func (p panicsWith) View() tea.View                      { return tea.NewView("") }

// A recovered panic leaves its type and a stack for the debug log; its
// value only when the runtime raised it, and never an argument value.
func TestPanicIsRecordedWithoutItsValue(t *testing.T) {
	for _, c := range []struct {
		name         string
		m            tea.Model
		view         bool
		typ, runtime string
		frame        string
	}{
		{"string in Update", panicky{inUpdate: true}, false, "string", "", "ui.panicky.Update(...)"},
		{"string in View", panicky{inView: true}, true, "string", "", "ui.panicky.View(...)"},
		{"an error of ours", panicsWith{errors.New("bad s3cr3t")}, false, "*errors.errorString", "", "ui.panicsWith.Update(...)"},
		{"a runtime.Error not from the runtime", panicsWith{fakeRuntimeError{}}, false, "ui.fakeRuntimeError", "", "ui.panicsWith.Update(...)"},
		{"the runtime's", outOfRange{i: 5}, false, "runtime.boundsError", "runtime error: index out of range [5] with length 1", "ui.outOfRange.Update(...)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := Guard(c.m)
			if c.view {
				g.View()
			} else {
				g.Update(tea.KeyPressMsg{})
			}
			p := g.Recovered()
			if p == nil {
				t.Fatal("no panic recorded")
			}
			if p.Type != c.typ || p.Runtime != c.runtime {
				t.Errorf("type %q runtime %q, want %q %q", p.Type, p.Runtime, c.typ, c.runtime)
			}
			if !strings.Contains(p.Stack, c.frame) || !strings.Contains(p.Stack, "guard_test.go:") {
				t.Errorf("the stack lacks the panicking frame %q and its file:\n%s", c.frame, p.Stack)
			}
			if strings.Contains(p.Stack, "s3cr3t") || strings.Contains(p.Runtime, "s3cr3t") {
				t.Error("the record holds the panic's value")
			}
			for _, l := range strings.Split(p.Stack, "\n") {
				if !strings.HasPrefix(l, "\t") && strings.Contains(l, "(0x") {
					t.Errorf("a frame keeps its argument values: %q", l)
				}
			}
		})
	}
}

func TestStackWithoutArguments(t *testing.T) {
	in := "goroutine 1 [running]:\n" +
		"github.com/x/ui.(*Model).Update(0xc000123456, {0x5c0f20?, 0xc0000a2000?}, ...)\n" +
		"\t/src/ui/model.go:42 +0x1d\n" +
		"panic({0x5c0f20?, 0x6a2b10?})\n" +
		"\t/usr/local/go/src/runtime/panic.go:792 +0x132\n" +
		"created by charm.land/bubbletea/v2.(*Program).Run in goroutine 1\n"
	want := "goroutine 1 [running]:\n" +
		"github.com/x/ui.(*Model).Update(...)\n" +
		"\t/src/ui/model.go:42 +0x1d\n" +
		"panic(...)\n" +
		"\t/usr/local/go/src/runtime/panic.go:792 +0x132\n" +
		"created by charm.land/bubbletea/v2.(*Program).Run in goroutine 1\n"
	if got := StackWithoutArguments(in); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
