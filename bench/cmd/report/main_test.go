package main

import (
	"math"
	"strings"
	"testing"
)

func TestParseGoBenchTakesTheMedianOfEachUnit(t *testing.T) {
	r := &report{bench: map[string]map[string][]float64{}}
	r.parseGoBench(`goos: linux
BenchmarkEnrollment-2   	     160	   2459070 ns/op	  101784 B/op	     678 allocs/op
BenchmarkEnrollment-2   	     159	   2293208 ns/op	  101762 B/op	     678 allocs/op
BenchmarkEnrollment-2   	     153	   2299867 ns/op	  101769 B/op	     678 allocs/op
BenchmarkWizardProgramMemory-2   	       1	 564601748 ns/op	       683.7 heap-KiB/session
BenchmarkDecodeChallenge/MFA_SETUP-2   	  905659	       393.9 ns/op
PASS`)
	if v, _ := r.goMetric("BenchmarkEnrollment", "ns/op"); v != 2299867 {
		t.Errorf("median ns/op %v", v)
	}
	if v, _ := r.goMetric("BenchmarkWizardProgramMemory", "heap-KiB/session"); v != 683.7 {
		t.Errorf("custom metric %v", v)
	}
	if _, ok := r.goMetric("BenchmarkDecodeChallenge/MFA_SETUP", "ns/op"); !ok {
		t.Error("sub-benchmark not read")
	}
	if _, ok := r.goMetric("BenchmarkMissing", "ns/op"); ok {
		t.Error("a benchmark that did not run has a value")
	}
}

func TestParseCumulativeReadsPprofTop(t *testing.T) {
	cum := parseCumulative(`Showing nodes accounting for 2.53s, 70.47% of 3.59s total
      flat  flat%   sum%        cum   cum%
         0     0%     0%      2.68s 74.65%  testing.(*B).runN
         0     0%     0%      2.49s 69.36%  github.com/cognito-totp/cognito-totp/cognitolocal.(*Server).run
     0.01s  0.1%  0.1%      780ms 21.73%  github.com/cognito-totp/cognito-totp/cognitolocal.(*user).setPassword`)
	r := &report{cpuCum: cum}
	for suffix, want := range map[string]float64{"testing.(*B).runN": 2.68, "cognitolocal.(*Server).run": 2.49, "cognitolocal.(*user).setPassword": 0.78} {
		if got, ok := r.cum(suffix); !ok || math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %v %v, want %v", suffix, got, ok, want)
		}
	}
}

func TestHeapSharesSplitsOwnFromDependencies(t *testing.T) {
	own, deps, top := heapShares(`      flat  flat%   sum%        cum   cum%
   47.80MB 65.01% 65.01%    47.80MB 65.01%  github.com/charmbracelet/ultraviolet.NewBuffer
   15.97MB 21.72% 86.73%    15.97MB 21.72%  github.com/charmbracelet/ultraviolet.buildKeysTable
    7.44MB 10.12% 96.84%     7.62MB 10.36%  github.com/cognito-totp/cognito-totp/ui.New
    0.43MB  0.59% 97.43%     0.43MB  0.59%  runtime.mallocgc`)
	if math.Abs(own-10.12) > 1e-9 || math.Abs(deps-86.73) > 1e-9 || !strings.HasSuffix(top, "ultraviolet.NewBuffer") {
		t.Fatalf("own %v deps %v top %q", own, deps, top)
	}
}
