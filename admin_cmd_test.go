package main

import (
	"go/build"
	"strings"
	"testing"
)

// The admin commands are the root's, never serve's: serve takes no
// subcommand, and nothing it runs reaches the admin package, so no SSH
// session can call Cognito's admin API with the server's credentials.
func TestAdminIsNeverOfferedByServe(t *testing.T) {
	root := rootCommand(new(int))
	admin, _, err := root.Find([]string{"admin", "status"})
	if err != nil || admin.Name() != "status" {
		t.Fatalf("cognito-totp admin status: %v", err)
	}
	for _, c := range root.Commands() {
		if c.Name() == "serve" && len(c.Commands()) != 0 {
			t.Fatalf("serve has subcommands: %v", c.Commands())
		}
	}
	const module = "github.com/cognito-totp/cognito-totp/"
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.Default.Import(path, ".", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, module+"admin") {
				t.Fatalf("%s imports %s: serve would reach the admin commands", path, imp)
			}
			if strings.HasPrefix(imp, module) {
				walk(imp)
			}
		}
	}
	walk(module + "serve")
	if len(seen) < 3 {
		t.Fatalf("walked only %v", seen)
	}
}
