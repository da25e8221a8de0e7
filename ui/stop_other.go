//go:build !unix

package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// FollowStops does nothing where there is no job control (Windows).
func FollowStops(ctx context.Context, p *tea.Program) {}
