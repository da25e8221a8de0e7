//go:build linux

// Package term runs a program in a pseudo-terminal and keeps a model of the
// screen it draws, for the benchmarks that measure what reaches a terminal.
package term

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"github.com/creack/pty"
)

// openPTY returns the master side of a new pseudo-terminal and its slave,
// sized cols x rows. The pty is opened before the clock starts, so a start-up
// measurement holds the program's time only.
func openPTY(cols, rows int) (master, slave *os.File, err error) {
	m, s, err := pty.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("opening a pty: %w", err)
	}
	if err := pty.Setsize(m, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		m.Close()
		s.Close()
		return nil, nil, fmt.Errorf("sizing the pty: %w", err)
	}
	return m, s, nil
}

// startInPTY starts cmd with the slave as its controlling terminal and its
// stdin, stdout and stderr, in a session of its own.
func startInPTY(cmd *exec.Cmd, slave *os.File) error {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0, Pdeathsig: syscall.SIGKILL}
	return cmd.Start()
}
