package main

import (
	"bytes"

	"charm.land/fang/v2"
	"strings"
	"testing"
)

func TestErrorsKeepWhatThePersonTyped(t *testing.T) {
	var b bytes.Buffer
	printError(&b, fang.Styles{}, errString(`"AbC123" is not a user pool ID`))
	if got := b.String(); got != "cognito-totp: \"AbC123\" is not a user pool ID.\n" {
		t.Fatalf("got %q", got)
	}
	if got := sentence("give --client-id"); got != "Give --client-id." {
		t.Fatalf("got %q", got)
	}
	if got := sentence("the file f is larger than 4 KiB; is it the right file?"); got != "The file f is larger than 4 KiB; is it the right file?" {
		t.Fatalf("a question gets no full stop after it: %q", got)
	}
}

func TestBadPoolIDExitsOneWithASentence(t *testing.T) {
	if code := run([]string{"--user-pool-id", "AbC123", "--client-id", "x"}); code != exitFailed {
		t.Fatalf("exit %d, want %d", code, exitFailed)
	}
}

func TestHelpShowsExamples(t *testing.T) {
	var out bytes.Buffer
	root := rootCommand(new(int))
	root.SetOut(&out)
	root.SetArgs([]string{"--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--user-pool-id", "cognito-totp local --addr", "--client-secret-file"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
