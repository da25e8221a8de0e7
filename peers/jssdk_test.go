package peers

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognito-totp/cognito-totp/cognitolocal"
)

// The official AWS SDK for JavaScript v3, pinned in jssdk/package-lock.json
// and installed there by `npm ci` (.ci/setup does it).
const (
	jsSDKPackage = "@aws-sdk/client-cognito-identity-provider"
	jsSDKVersion = "3.1169.0"
)

// needJSSDK returns the node command, or ends the test: a skip when node or
// the npm install is missing (a failure under COGNITO_TOTP_REQUIRE_PEERS=1).
func needJSSDK(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		need(t, peer{missing: "node is not on PATH: the JS SDK v3 tests against cognitolocal are skipped"})
	}
	// The SDK's package.json asks for node 20 or later.
	version, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(string(version)), "v"), ".")
	if n, err := strconv.Atoi(major); err != nil || n < 20 {
		t.Fatalf("node %s is on PATH; %s %s needs node 20 or later", bytes.TrimSpace(version), jsSDKPackage, jsSDKVersion)
	}
	raw, err := os.ReadFile(filepath.Join("jssdk", "node_modules", jsSDKPackage, "package.json"))
	if err != nil {
		need(t, peer{missing: jsSDKPackage + " is not installed (run `npm ci` in peers/jssdk): the JS SDK v3 tests are skipped"})
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(raw, &pkg); err != nil || pkg.Version != jsSDKVersion {
		t.Fatalf("peers/jssdk has %s %q installed, want %s: run `npm ci` in peers/jssdk", jsSDKPackage, pkg.Version, jsSDKVersion)
	}
	return node
}

// mfaSeen is AdminGetUser's MFA members as the JS SDK returned them.
type mfaSeen struct {
	List      []string `json:"list"`
	Preferred *string  `json:"preferred"`
}

// apiRefusal is a Cognito error as the JS SDK raised it.
type apiRefusal struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// lostPhoneSeen is what jssdk/lostphone.mjs prints.
type lostPhoneSeen struct {
	FailedStep string `json:"failedStep"`
	Error      string `json:"error"`
	Message    string `json:"message"`

	FirstChallenge       string     `json:"firstChallenge"`
	EnrollVerifyStatus   string     `json:"enrollVerifyStatus"`
	EnrollTokens         bool       `json:"enrollTokens"`
	AfterEnroll          mfaSeen    `json:"afterEnroll"`
	SignInChallenge      string     `json:"signInChallenge"`
	SignInTokens         bool       `json:"signInTokens"`
	DeleteOutput         []string   `json:"deleteOutput"`
	AfterDelete          mfaSeen    `json:"afterDelete"`
	DeleteAgain          string     `json:"deleteAgain"`
	ChallengeAfterDelete string     `json:"challengeAfterDelete"`
	RefreshBeforeSignOut bool       `json:"refreshBeforeSignOut"`
	RefreshAfterSignOut  apiRefusal `json:"refreshAfterSignOut"`
	AccessAfterSignOut   apiRefusal `json:"accessAfterSignOut"`
	ReenrollChallenge    string     `json:"reenrollChallenge"`
	ReenrollVerifyStatus string     `json:"reenrollVerifyStatus"`
	ReenrollTokens       bool       `json:"reenrollTokens"`
	NewSecretDiffers     bool       `json:"newSecretDiffers"`
	NewSecretLength      int        `json:"newSecretLength"`
	AfterReenroll        mfaSeen    `json:"afterReenroll"`
	GetUserName          string     `json:"getUserName"`
	OldPhoneCode         apiRefusal `json:"oldPhoneCode"`
	NewPhoneTokens       bool       `json:"newPhoneTokens"`
	Username             string     `json:"username"`
}

// The lost phone through the official JS SDK v3 against cognitolocal (served
// in this process on loopback): enroll through MFA_SETUP, AdminDeleteSoftwareToken
// (a second one, with nothing left, succeeds), MFA_SETUP again at the next
// sign-in, AdminUserGlobalSignOut revokes the refresh and access tokens, and
// re-enrollment gives a new secret; the old phone's codes are refused after.
func TestJSSDKLostPhoneAgainstLocal(t *testing.T) {
	node := needJSSDK(t)
	url, stop, err := cognitolocal.New(cognitolocal.Options{}).ServeLoopback()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	// A sign-in may wait up to 3 s for a fresh TOTP step, and it does five.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "lostphone.mjs")
	cmd.Dir = "jssdk"
	cmd.Env = append(os.Environ(), "COGNITO_ENDPOINT="+url, "AWS_EC2_METADATA_DISABLED=true")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var got lostPhoneSeen
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &got); err != nil {
		t.Fatalf("lostphone.mjs: %v; it printed %d bytes that are not one JSON object; stderr:\n%s", runErr, stdout.Len(), stderr.String())
	}
	if got.FailedStep != "" || runErr != nil {
		t.Fatalf("lostphone.mjs failed at %q: %s: %s (%v)", got.FailedStep, got.Error, got.Message, runErr)
	}

	totp := "SOFTWARE_TOKEN_MFA"
	want := lostPhoneSeen{
		FirstChallenge:       "MFA_SETUP",
		EnrollVerifyStatus:   "SUCCESS",
		EnrollTokens:         true,
		AfterEnroll:          mfaSeen{List: []string{totp}, Preferred: &totp},
		SignInChallenge:      "SOFTWARE_TOKEN_MFA",
		SignInTokens:         true,
		DeleteOutput:         []string{},
		AfterDelete:          mfaSeen{},
		DeleteAgain:          "success",
		ChallengeAfterDelete: "MFA_SETUP",
		RefreshBeforeSignOut: true,
		RefreshAfterSignOut:  apiRefusal{Name: "NotAuthorizedException", Message: "Refresh Token has been revoked"},
		AccessAfterSignOut:   apiRefusal{Name: "NotAuthorizedException", Message: "Access Token has been revoked"},
		ReenrollChallenge:    "MFA_SETUP",
		ReenrollVerifyStatus: "SUCCESS",
		ReenrollTokens:       true,
		NewSecretDiffers:     true,
		NewSecretLength:      32,
		AfterReenroll:        mfaSeen{List: []string{totp}, Preferred: &totp},
		GetUserName:          "lost-phone",
		OldPhoneCode:         apiRefusal{Name: "CodeMismatchException", Message: "Invalid code received for user"},
		NewPhoneTokens:       true,
		Username:             "lost-phone",
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("the JS SDK saw\n%s\nwant\n%s", g, w)
	}
}
