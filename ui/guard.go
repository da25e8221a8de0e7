package ui

import tea "charm.land/bubbletea/v2"

// Guarded wraps a model so that a panic in its Update or View ends the
// program cleanly with an empty screen. Bubble Tea's own recovery prints the
// panic's value and a stack trace, and either could hold a secret; run the
// program with tea.WithoutCatchPanics and read Panicked after it.
type Guarded struct {
	inner    tea.Model
	panicked bool
}

// Guard wraps m.
func Guard(m tea.Model) *Guarded { return &Guarded{inner: m} }

// Panicked reports whether the model panicked.
func (g *Guarded) Panicked() bool { return g.panicked }

func (g *Guarded) Init() tea.Cmd { return g.inner.Init() }

func (g *Guarded) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if g.panicked {
		return g, tea.Quit
	}
	defer func() {
		if recover() != nil {
			g.panicked = true
			model, cmd = g, tea.Quit
		}
	}()
	g.inner, cmd = g.inner.Update(msg)
	return g, cmd
}

func (g *Guarded) View() (v tea.View) {
	if g.panicked {
		return tea.NewView("")
	}
	defer func() {
		if recover() != nil {
			g.panicked = true
			v = tea.NewView("")
		}
	}()
	return g.inner.View()
}
