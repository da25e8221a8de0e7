package main

import (
	"io"
	"log"
)

// discardLog keeps net/http's own messages off the wizard's screen.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }
