package safetext

import "testing"

func TestLineRemovesWhatATerminalWouldObey(t *testing.T) {
	for in, want := range map[string]string{
		"alice":                           "alice",
		"ñandú 山田太郎":                      "ñandú 山田太郎",
		"evil\x1b]0;pwned\x07name":        "evilname",       // OSC: the window title
		"a\x1b[31mred\x1b[0m\x1b[2J":      "ared",           // CSI: colour, clear screen
		"c1\u009b31mx":                    "c131mx",         // the one-byte CSI is dropped, its tail is text
		"bell\x07 del\x7f nul\x00":        "bell del nul",   // other C0 and DEL
		"two\nlines\r\ttab":               "two lines  tab", // one line
		"\x1bPdcs\x1b\\after":             "after",          // DCS
		"left\u202eright\u2066iso\u2069x": "leftrightisox",  // bidi overrides and isolates
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}
