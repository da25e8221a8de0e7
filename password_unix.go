//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// readPassword reads a line from the terminal fd without echoing it. A
// shell that stops the job (ctrl+z, kill -TSTP) puts echo back on for itself,
// and continuing the job does not take it off again, so a password typed
// after fg would show in clear: echo is turned off again on every SIGCONT
// while the prompt waits.
func readPassword(fd uintptr) (string, error) {
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	defer signal.Stop(cont)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-cont:
				echoOff(int(fd))
			case <-done:
				return
			}
		}
	}()
	b, err := term.ReadPassword(fd)
	return string(b), err
}

// echoOff turns the terminal's echo off, leaving its other modes as they are.
func echoOff(fd int) {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return
	}
	t.Lflag &^= unix.ECHO
	_ = unix.IoctlSetTermios(fd, ioctlSetTermios, t)
}
