package results

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFinishWritesResultsAndExitsByFailure(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name     string
		path     string
		failed   error
		wantCode int
		wantSaid string // on stderr; "" means nothing
		written  bool
	}{
		{"success", filepath.Join(dir, "ok.json"), nil, 0, "", true},
		{"failed run still writes", filepath.Join(dir, "failed.json"), errors.New("serve never became ready"), 1, "soak: serve never became ready", true},
		{"unwritable results", filepath.Join(dir, "missing", "r.json"), nil, 1, "soak: open ", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			res := Soak{Command: "soak -sessions 3", Error: "recorded"}
			code := finish(&stderr, "soak", c.path, res, c.failed)
			if code != c.wantCode {
				t.Errorf("exit status %d, want %d", code, c.wantCode)
			}
			if c.wantSaid == "" && stderr.Len() != 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			if c.wantSaid != "" && !strings.Contains(stderr.String(), c.wantSaid) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), c.wantSaid)
			}
			if !c.written {
				return
			}
			var back Soak
			if err := Read(c.path, &back); err != nil {
				t.Fatalf("results not written: %v", err)
			}
			if back.Command != res.Command || back.Error != res.Error {
				t.Errorf("read back %+v, want %+v", back, res)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("finish made a directory that was not asked for")
	}
}
