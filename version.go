package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// A release build sets these with the linker (see .goreleaser.yaml):
//
//	-X main.version=1.2.3 -X main.commit=<full hash> -X main.date=<RFC 3339>
//
// Any other build (go install ...@v1.2.3, go build in a clone) leaves them
// empty and the Go toolchain's build information fills them in.
var (
	version string
	commit  string
	date    string
)

// buildInfo is what `cognito-totp --version` reports.
type buildInfo struct {
	Version   string // a release tag, a module version or a pseudo-version
	Commit    string // the full commit hash, when known
	Date      string // the build's time (a release) or the commit's, RFC 3339
	Committed bool   // Date is the commit's time, not the build's
	Modified  bool   // built from a work tree with uncommitted changes
}

// currentBuild is the running binary's build: the linker's values first,
// then the toolchain's record of the module and the VCS.
func currentBuild() buildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildOf(version, commit, date, info)
}

// buildOf merges the ldflags values with info (which may be nil). The
// linker's values win; the toolchain's fill the gaps.
func buildOf(ldVersion, ldCommit, ldDate string, info *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: ldVersion, Commit: ldCommit, Date: ldDate}
	if info == nil {
		return b
	}
	if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version // go install ...@v1.2.3, or a VCS-stamped pseudo-version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date, b.Committed = s.Value, true
			}
		case "vcs.modified":
			if ldCommit == "" { // a release names a clean commit
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

// String is the one line --version prints after "cognito-totp version ".
func (b buildInfo) String() string {
	v := strings.TrimSuffix(b.Version, "+dirty")
	if v == "" {
		v = "devel"
	}
	var parts []string
	switch {
	case b.Commit != "" && b.Modified:
		parts = append(parts, "commit "+b.Commit+" with uncommitted changes")
	case b.Commit != "":
		parts = append(parts, "commit "+b.Commit)
	default:
		parts = append(parts, "commit unknown: built without VCS information (go run, or -buildvcs=false)")
	}
	switch {
	case b.Date != "" && b.Committed:
		parts = append(parts, "committed "+b.Date)
	case b.Date != "":
		parts = append(parts, "built "+b.Date)
	}
	parts = append(parts, fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH))
	return v + " (" + strings.Join(parts, ", ") + ")"
}
