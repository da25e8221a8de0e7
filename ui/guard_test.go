package ui

import (
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
