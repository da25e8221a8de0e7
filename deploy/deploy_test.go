// Package deploy holds the examples for running serve (deploy/kubernetes);
// its test checks them.
package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKubernetesManifestsAreValid checks deploy/kubernetes/*.yaml against
// the Kubernetes API's schemas offline, with the npm package
// kubernetes-models (pinned in check/package-lock.json): types, required
// fields and enumerations. (Those schemas allow fields they do not name, so
// a misspelt field is not caught.) A manifest with a wrong type must fail
// it, so the check is seen to check. It needs node and npm, and the npm
// registry once, for the packages; without node or npm it skips.
func TestKubernetesManifestsAreValid(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; skipping the Kubernetes schema check")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed; skipping the Kubernetes schema check")
	}
	check, err := filepath.Abs("kubernetes/check")
	if err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join(check, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The packages go to a cache directory named by the lock file, outside the tree.
	sum := sha256.Sum256(lock)
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "cognito-totp", "k8s-check-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "kubernetes-models")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"package.json", "package-lock.json"} {
			b, err := os.ReadFile(filepath.Join(check, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
		}
	}
	script, err := os.ReadFile(filepath.Join(check, "validate.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "validate.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	validate := func(files ...string) (string, error) {
		cmd := exec.Command(node, append([]string{"validate.mjs"}, files...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	manifests, err := filepath.Glob(filepath.Join(check, "..", "*.yaml"))
	if err != nil || len(manifests) == 0 {
		t.Fatalf("no manifests in deploy/kubernetes (%v)", err)
	}
	for i, m := range manifests {
		manifests[i], _ = filepath.Abs(m)
	}
	out, err := validate(manifests...)
	if err != nil {
		t.Fatalf("the manifests do not validate: %v\n%s", err, out)
	}
	for _, kind := range []string{"Deployment cognito-totp-serve: valid", "Service cognito-totp-serve: valid", "PodDisruptionBudget cognito-totp-serve: valid"} {
		if !strings.Contains(out, kind) {
			t.Errorf("%q not among what was checked:\n%s", kind, out)
		}
	}

	deployment, err := os.ReadFile(filepath.Join(check, "..", "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(deployment), "containerPort: 2222", `containerPort: "ssh"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := validate(broken); err == nil {
		t.Errorf("a Deployment with a port that is not a number passed:\n%s", out)
	}
}
