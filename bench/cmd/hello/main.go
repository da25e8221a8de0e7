// Command hello is the floor for start-up: a Go program that writes one line
// and exits. bench/cmd/tty runs it in the same loop as the wizard, so a
// start-up figure can be read against what any Go process costs on the same
// machine at the same moment.
package main

import "os"

func main() { os.Stdout.WriteString("hello, world\n") }
