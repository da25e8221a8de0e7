package main

import (
	"math"
	"strings"
	"testing"

	"github.com/cognito-totp/cognito-totp/bench/internal/results"
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

// throughputReport is a report of section 1 with figures chosen so that the
// model is easy to check by hand: on 2 cores, a ceiling at 2000/s costs the
// client 1 ms of CPU per enrollment; the endpoint's 1 ms on top makes the
// model 2 ÷ (1 ms + 1 ms) = 1000 enrollments/s.
func throughputReport(local map[int]float64) *report {
	lvl := func(c int, rate float64) results.LoadLevel {
		return results.LoadLevel{Concurrency: c, Enrollments: int(rate * 6), Seconds: 6, PerSecond: rate}
	}
	var locals []results.LoadLevel
	for _, c := range []int{1, 8, 64} {
		locals = append(locals, lvl(c, local[c]))
	}
	return &report{
		env: env{cores: "2"},
		load: &results.Load{Targets: []results.LoadTarget{
			{Name: "ceiling", Levels: []results.LoadLevel{lvl(1, 1500), lvl(8, 1800), lvl(64, 2000)}},
			{Name: "local", Levels: locals},
			{Name: "moto", Levels: []results.LoadLevel{lvl(1, 40), lvl(8, 50), lvl(64, 80)}},
		}},
		enrollNs:    2_000_000,
		enrollCPUNs: 1_000_000,
		// Request paths 4 s (3 s + 1 s), of which 3.6 s signing (90%) and
		// 0.04 s under the lock (1%).
		cpuCum: parseCumulative(`      flat  flat%   sum%        cum   cum%
         0     0%     0%         3s 60.00%  testing.(*B).runN
         0     0%     0%         1s 20.00%  github.com/cognito-totp/cognito-totp/cognitolocal.(*authResult).sign.func1
         0     0%     0%       3.6s 72.00%  github.com/cognito-totp/cognito-totp/cognitolocal.(*Server).sign
         0     0%     0%       40ms  0.80%  github.com/cognito-totp/cognito-totp/cognitolocal.(*Server).run.func1`),
		bench: map[string]map[string][]float64{},
	}
}

func summaryRow(t *testing.T, r *report, prefix string) []string {
	t.Helper()
	for _, row := range r.summary {
		if strings.HasPrefix(row[0], prefix) {
			return row
		}
	}
	t.Fatalf("no Summary row %q in %q", prefix, r.summary)
	return nil
}

func TestSignatureBoundRowComparesLocalsBestWithTheModel(t *testing.T) {
	for _, tc := range []struct {
		name     string
		local    map[int]float64
		measured string
		verdict  string
	}{
		// The best level counts, not the worst: 950/s at c=8 is 95% of 1000/s.
		{"met", map[int]float64{1: 700, 8: 950, 64: 900}, "95.0% (950/s at c=8, of 1000/s)", "met"},
		{"exactly the goal", map[int]float64{1: 700, 8: 800, 64: 900}, "90.0% (900/s at c=64, of 1000/s)", "met"},
		{"missed", map[int]float64{1: 400, 8: 500, 64: 450}, "50.0% (500/s at c=8, of 1000/s)", "**missed** by 40.0 points"},
		{"just short", map[int]float64{1: 899, 8: 800, 64: 850}, "89.9% (899/s at c=1, of 1000/s)", "**missed** by 0.1 points"},
		{"above the model", map[int]float64{1: 700, 8: 1100, 64: 900}, "110.0% (1100/s at c=8, of 1000/s)", "met (above the model: its CPU figure for the endpoint is too high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := throughputReport(tc.local)
			r.throughput()
			row := summaryRow(t, r, "enrollments/s, local's best ÷ the signature-bound model rate")
			if row[1] != tc.measured || !strings.HasPrefix(row[3], tc.verdict) {
				t.Errorf("measured %q, verdict %q; want %q, %q", row[1], row[3], tc.measured, tc.verdict)
			}
			if !strings.Contains(row[2], "90%") {
				t.Errorf("target %q does not say 90%%", row[2])
			}
		})
	}
}

func TestWithdrawnThroughputTargetsAreForInformation(t *testing.T) {
	r := throughputReport(map[int]float64{1: 400, 8: 500, 64: 450})
	r.throughput()
	moto := summaryRow(t, r, "enrollments/s, local ÷ moto")
	// Lowest of 400/40, 500/50, 450/80: 5.6x at c=64. The ceiling is at most
	// 1500/40 = 37.5x moto (1800/50 = 36x, 2000/80 = 25x).
	if moto[1] != "5.6x (c=64)" || !strings.HasPrefix(moto[2], "withdrawn (was ≥ 50x)") ||
		!strings.Contains(moto[2], "37.5x moto (c=1)") || moto[3] != "for information" {
		t.Errorf("local ÷ moto row %q", moto)
	}
	ceil := summaryRow(t, r, "enrollments/s, local ÷ bare ceiling")
	// Lowest of 400/1500, 500/1800, 450/2000: 22% at c=64; the model is 50%
	// of the ceiling's best.
	if ceil[1] != "22% (c=64)" || !strings.HasPrefix(ceil[2], "withdrawn (was ≥ 60%)") ||
		!strings.Contains(ceil[2], "signature bound itself is 50% of the ceiling's best") || ceil[3] != "for information" {
		t.Errorf("local ÷ ceiling row %q", ceil)
	}
	for _, row := range r.summary {
		if strings.Contains(row[3], "missed") && !strings.HasPrefix(row[0], "enrollments/s, local's best") {
			t.Errorf("a withdrawn target is still missed: %q", row)
		}
	}
}

func TestWhatBoundsItIsAlwaysPrintedWithTheModel(t *testing.T) {
	// local well above every withdrawn target would once have hidden the
	// paragraph; it is printed anyway.
	r := throughputReport(map[int]float64{1: 900, 8: 950, 64: 920})
	r.load.Targets[2].Levels = []results.LoadLevel{{Concurrency: 1, Enrollments: 60, Seconds: 6, PerSecond: 10}}
	r.throughput()
	text := r.b.String()
	for _, want := range []string{
		"**What bounds it.**",
		"takes 2.00 ms and 1.00 ms of CPU",
		"90% of the request paths' CPU, 900.0 µs per enrollment",
		"10.0 µs per enrollment, a limit of 100000 enrollments/s",
		"costs 1.00 ms of CPU (2 cores ÷ the ceiling's best rate, 2000/s)",
		"2 ÷ (1.00 ms + 1.00 ms) ≈ **1000 enrollments/s**, 50% of the ceiling's best",
		"local's best, 950/s at concurrency 8, is **95.0%** of it",
		"at most 150.0x moto (at concurrency 1)",
		"about 450.0 µs of CPU for each in that profile",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("section 1 lacks %q:\n%s", want, text)
		}
	}
	for _, gone := range []string{"would leave the endpoint", "out of reach of any endpoint"} {
		if strings.Contains(text, gone) {
			t.Errorf("section 1 still argues against a withdrawn target (%q)", gone)
		}
	}
}

func TestAboveTheModelSaysTheModelIsWrong(t *testing.T) {
	// 2 cores ÷ 1250/s = 1.6 ms for client and endpoint together: less than
	// the model's 1 ms + 1 ms, so the endpoint spent at most 0.6 ms.
	r := throughputReport(map[int]float64{1: 700, 8: 1250, 64: 900})
	r.throughput()
	want := "2 cores ÷ local's 1250/s is 1.60 ms of CPU per enrollment for the client and the endpoint together, less than the model's 1.00 ms + 1.00 ms, so the in-process figure of 1.00 ms overstates what the endpoint spent under load (at most 600.0 µs there)"
	if !strings.Contains(r.b.String(), want) {
		t.Errorf("section 1 lacks %q:\n%s", want, r.b.String())
	}
	r = throughputReport(map[int]float64{1: 700, 8: 950, 64: 900})
	r.throughput()
	if strings.Contains(r.b.String(), "the model is wrong") {
		t.Error("below the model, section 1 still says the model is wrong")
	}
}

func TestSignatureBoundRowWithoutAProfileIsNotMet(t *testing.T) {
	r := throughputReport(map[int]float64{1: 900, 8: 950, 64: 920})
	r.cpuCum = map[string]float64{}
	r.throughput()
	row := summaryRow(t, r, "enrollments/s, local's best ÷ the signature-bound model rate")
	if row[1] != "not measured" || !strings.HasPrefix(row[3], "**missed**") {
		t.Errorf("row without a profile %q", row)
	}
}

// The --data-dir section compares local-datadir with local in memory at
// each concurrency; its Summary row is the lowest sign-in ratio against
// 90%, and enrollments are shown for information.
func TestDataDirRowsCompareWithInMemory(t *testing.T) {
	lvl := func(c int, rate float64) results.LoadLevel {
		return results.LoadLevel{Concurrency: c, Enrollments: int(rate * 6), Seconds: 6, PerSecond: rate}
	}
	for _, tc := range []struct {
		name              string
		kept              map[int]float64 // sign-ins/s with --data-dir; in memory is 1000/s at every level
		measured, verdict string
	}{
		{"met", map[int]float64{1: 950, 8: 920, 64: 990}, "92% (c=8)", "met"},
		{"missed", map[int]float64{1: 950, 8: 700, 64: 990}, "70% (c=8)", "**missed** by 20 points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := throughputReport(map[int]float64{1: 400, 8: 500, 64: 450})
			r.load.Targets = append(r.load.Targets, results.LoadTarget{Name: "local-datadir", Levels: []results.LoadLevel{lvl(1, 300), lvl(8, 450), lvl(64, 360)}})
			r.signin = &results.Load{Command: "load -flow signin", Targets: []results.LoadTarget{
				{Name: "local", Levels: []results.LoadLevel{lvl(1, 1000), lvl(8, 1000), lvl(64, 1000)}},
				{Name: "local-datadir", Levels: []results.LoadLevel{lvl(1, tc.kept[1]), lvl(8, tc.kept[8]), lvl(64, tc.kept[64])}},
			}}
			r.dataDir()
			row := summaryRow(t, r, "sign-ins/s, local --data-dir ÷ local in memory")
			if row[1] != tc.measured || row[2] != "≥ 90%" || !strings.HasPrefix(row[3], tc.verdict) {
				t.Errorf("row %q; want measured %q, verdict %q", row, tc.measured, tc.verdict)
			}
			// Enrollments: 300/400, 450/500, 360/450: lowest 75% at c=1.
			if e := summaryRow(t, r, "enrollments/s, local --data-dir"); e[1] != "75% (c=1)" || e[3] != "for information" {
				t.Errorf("enrollment row %q", e)
			}
			if text := r.b.String(); !strings.Contains(text, "| **sign-ins, --data-dir ÷ in memory** |") || !strings.Contains(text, "| enrollments, --data-dir | 300.0 | 450.0 | 360.0 |") {
				t.Errorf("the section's table is missing rows:\n%s", text)
			}
		})
	}
}
