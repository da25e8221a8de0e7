package main

import tea "charm.land/bubbletea/v2"

// exitInternal is the exit code when a bug stopped the wizard (EX_SOFTWARE).
const exitInternal = 70

// safeModel recovers a panic in the wizard's Update or View and ends the
// program cleanly. Bubble Tea's own recovery prints the panic's value and
// a stack trace to the terminal, and either could hold a secret.
type safeModel struct {
	inner    tea.Model
	panicked bool
}

func (m *safeModel) Init() tea.Cmd { return m.inner.Init() }

func (m *safeModel) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if m.panicked {
		return m, tea.Quit
	}
	defer func() {
		if recover() != nil {
			m.panicked = true
			model, cmd = m, tea.Quit
		}
	}()
	inner, cmd := m.inner.Update(msg)
	m.inner = inner
	return m, cmd
}

func (m *safeModel) View() (v tea.View) {
	defer func() {
		if recover() != nil {
			m.panicked = true
			v = tea.NewView("")
		}
	}()
	if m.panicked {
		return tea.NewView("")
	}
	return m.inner.View()
}
