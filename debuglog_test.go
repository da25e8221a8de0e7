package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// --debug is opened and its first line written at start-up: a file that
// cannot take it is refused then, while a terminal, a pipe or /dev/null,
// which cannot be synced, are taken.
func TestDebugLogIsWrittenAtStartUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "debug.log")
	_, log, closeLog, err := debugLog(path)
	if err != nil || log == nil {
		t.Fatalf("a new file: %v", err)
	}
	closeLog()
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `msg="debug log started"`) {
		t.Fatalf("the first line is not there: %q", b)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	go func() { b := make([]byte, 4096); _, _ = r.Read(b) }()
	for _, ok := range []string{"/dev/null", "/dev/fd/" + strconv.Itoa(int(w.Fd()))} {
		if _, _, closeLog, err := debugLog(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		} else {
			closeLog()
		}
	}
	if _, _, _, err := debugLog("/dev/full"); err == nil || err.Error() != "could not write the debug log /dev/full: no space left on device" {
		t.Errorf("/dev/full: %v", err)
	}
}
