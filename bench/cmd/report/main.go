// Command report writes bench/RESULTS.md from what the benchmark programs
// measured in one run of bench/run. Every figure it prints comes from their
// output files; it computes ratios and verdicts and types in no number.
package main

import (
	"bufio"
	_ "embed"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/cognito-totp/cognito-totp/bench/internal/results"
)

// The targets the report measures against. MB and KB are decimal (10^6 and 10^3 bytes), the
// stricter reading.
const (
	// The goal for throughput: local's best rate is about 90% of the rate
	// its two RS256 signatures per sign-in allow on these cores (the
	// signature-bound model of section 1's "What bounds it").
	targetVsBound = 0.90
	// Withdrawn: on two shared cores no endpoint that signs tokens as Cognito
	// does reaches them, so they are shown for information only.
	// Still shown, for information, with what was measured.
	withdrawnVsMoto    = 50.0
	withdrawnVsCeiling = 0.60

	// Keeping the data (local --data-dir): sign-ins, which change least,
	// at no less than this share of the in-memory rate.
	targetSignInsKept = 0.90

	targetStartupMs    = 15.0 // exec to the wizard's first frame, median
	targetVersionMs    = 5.0  // exec to the exit of --version, median
	targetEnrollBytes  = 30_000
	targetIdleBytesSec = 200.0
	targetPeakRSSBytes = 40_000_000
	targetSessionBytes = 1_000_000
)

type env struct {
	date, cores, cpu, mem, kernel, goVersion, moto, aws, loadavg string
	runCommand, goBenchCommand, heapCommand, serveNote           string
	enrollCommand, profileCommand                                string
	dir                                                          string
}

type report struct {
	env         env
	load        *results.Load
	signin      *results.Load // sign-ins, local in memory and with --data-dir
	tty         *results.TTY
	ssh         *results.SSH
	soak        *results.Soak
	bench       map[string]map[string][]float64 // benchmark name -> unit -> values
	order       []string
	rawGo       string
	heapTop     string
	enrollNs    float64            // ns/op of the profiled enrollment benchmark
	enrollCPUNs float64            // its cpu-ns/op: CPU per enrollment on all cores
	cpuCum      map[string]float64 // pprof -top -cum: function -> cumulative seconds
	summary     [][]string         // what, measured, target, verdict
	b           strings.Builder
}

func main() {
	var e env
	out := flag.String("out", "bench/RESULTS.md", "file to write")
	flag.StringVar(&e.dir, "dir", "bench/out", "where the benchmark programs wrote their results")
	flag.StringVar(&e.date, "date", "", "when the run started")
	flag.StringVar(&e.cores, "cores", "", "the machine's core count (nproc)")
	flag.StringVar(&e.cpu, "cpu", "", "CPU model")
	flag.StringVar(&e.mem, "mem", "", "memory")
	flag.StringVar(&e.kernel, "kernel", "", "kernel")
	flag.StringVar(&e.goVersion, "go", "", "go version")
	flag.StringVar(&e.moto, "moto", "", "moto version")
	flag.StringVar(&e.aws, "aws", "", "aws CLI version")
	flag.StringVar(&e.loadavg, "loadavg", "", "load average when the run started")
	flag.StringVar(&e.runCommand, "run-command", "bench/run", "the command that made everything")
	flag.StringVar(&e.goBenchCommand, "gobench-command", "", "the go test command of the Go benchmarks")
	flag.StringVar(&e.heapCommand, "heap-command", "", "the command that printed the wizard's heap breakdown")
	flag.StringVar(&e.enrollCommand, "enroll-command", "", "the go test command of the profiled enrollment benchmark")
	flag.StringVar(&e.profileCommand, "profile-command", "", "the pprof command that printed the enrollment's CPU profile")
	flag.StringVar(&e.serveNote, "serve-note", "", "why serve's memory was not measured, when it was not")
	flag.Parse()

	r := &report{env: e, bench: map[string]map[string][]float64{}, cpuCum: map[string]float64{}}
	r.read()
	r.write()
	if err := os.WriteFile(*out, []byte(r.b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func (r *report) read() {
	path := func(name string) string { return filepath.Join(r.env.dir, name) }
	var l results.Load
	if results.Read(path("load.json"), &l) == nil {
		r.load = &l
	}
	var si results.Load
	if results.Read(path("signin.json"), &si) == nil {
		r.signin = &si
	}
	var t results.TTY
	if results.Read(path("tty.json"), &t) == nil {
		r.tty = &t
	}
	var s results.SSH
	if results.Read(path("sshidle.json"), &s) == nil {
		r.ssh = &s
	}
	var k results.Soak
	if results.Read(path("soak.json"), &k) == nil {
		r.soak = &k
	}
	if b, err := os.ReadFile(path("gobench.txt")); err == nil {
		r.rawGo = string(b)
		r.parseGoBench(r.rawGo)
	}
	if b, err := os.ReadFile(path("wizard-heap.txt")); err == nil {
		r.heapTop = string(b)
	}
	if b, err := os.ReadFile(path("enroll-cpu-bench.txt")); err == nil {
		sub := &report{bench: map[string]map[string][]float64{}}
		sub.parseGoBench(string(b))
		r.enrollNs, _ = sub.goMetric("BenchmarkEnrollment", "ns/op")
		r.enrollCPUNs, _ = sub.goMetric("BenchmarkEnrollment", "cpu-ns/op")
	}
	if b, err := os.ReadFile(path("enroll-cpu.txt")); err == nil {
		r.cpuCum = parseCumulative(string(b))
	}
}

// parseGoBench reads `go test -bench` output: name, iterations, then value-unit pairs.
func (r *report) parseGoBench(text string) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		if _, ok := r.bench[name]; !ok {
			r.bench[name] = map[string][]float64{}
			r.order = append(r.order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			r.bench[name][f[i+1]] = append(r.bench[name][f[i+1]], v)
		}
	}
}

// parseCumulative reads `go tool pprof -top -cum` lines
// (flat flat% sum% cum cum% name) into name -> cum, in the unit pprof chose.
func parseCumulative(text string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasSuffix(f[4], "%") {
			continue
		}
		v, ok := parseAmount(f[3])
		if !ok {
			continue
		}
		out[strings.Join(f[5:], " ")] = v
	}
	return out
}

// parseAmount reads a pprof amount such as "2.49s", "780ms" or "47.80MB" in a
// common unit (seconds, or bytes).
func parseAmount(s string) (float64, bool) {
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{"ms", 1e-3}, {"us", 1e-6}, {"µs", 1e-6}, {"ns", 1e-9}, {"s", 1}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f * u.scale, err == nil
		}
	}
	return 0, false
}

// cum is the cumulative CPU of the function whose name ends with suffix.
func (r *report) cum(suffix string) (float64, bool) {
	for name, v := range r.cpuCum {
		if strings.HasSuffix(name, suffix) {
			return v, true
		}
	}
	return 0, false
}

// goMetric is the median of a benchmark's unit over its runs; ok is false
// when the benchmark did not run.
func (r *report) goMetric(name, unit string) (float64, bool) {
	vs := r.bench[name][unit]
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	return s[(len(s)-1)/2], true
}

func (r *report) verdict(what, measured, target string, met bool, miss string) {
	v := "met"
	if !met {
		v = "**missed** " + miss
	}
	r.summary = append(r.summary, []string{what, measured, target, v})
}

// info is a Summary row with no target to meet: a figure shown for
// information.
func (r *report) info(what, measured, target string) {
	r.summary = append(r.summary, []string{what, measured, target, "for information"})
}

// write renders the page into r.b.
func (r *report) write() {
	// Sections render in page order, since their verdicts make the
	// Summary's rows in that order.
	d := page{RunCommand: r.env.runCommand, Date: r.env.date, Cores: r.env.cores, CPU: r.env.cpu, Mem: r.env.mem,
		Kernel: r.env.kernel, Go: r.env.goVersion, Moto: orDash(r.env.moto), AWS: orDash(r.env.aws), LoadAvg: r.env.loadavg,
		WithdrawnVsMoto: withdrawnVsMoto, WithdrawnVsCeilingPct: 100 * withdrawnVsCeiling, TargetVsBoundPct: 100 * targetVsBound,
		CoresOrThese: r.coresOr("these")}
	d.Throughput = r.throughput()
	d.DataDir = r.dataDir()
	d.Startup = r.startup()
	d.Wire = r.wire()
	d.Memory = r.memory()
	d.Churn = r.churn()
	d.Bench = r.goBenchmarks()
	for _, row := range r.summary {
		d.Summary = append(d.Summary, tableRow{row[0], row[1], row[2], row[3]})
	}
	if err := pageTemplate.Execute(&r.b, d); err != nil {
		panic(err) // the template is embedded and tested: a bug, not a run's fault
	}
}

//go:embed report.md.tmpl
var pageText string

var pageTemplate = template.Must(template.New("report.md.tmpl").Parse(pageText))

// page is what report.md.tmpl writes bench/RESULTS.md from.
type page struct {
	RunCommand, Date, Cores, CPU, Mem, Kernel, Go, Moto, AWS, LoadAvg string

	WithdrawnVsMoto, WithdrawnVsCeilingPct, TargetVsBoundPct float64
	CoresOrThese                                             string

	Summary    []tableRow
	Throughput throughputView
	DataDir    dataDirView
	Startup    startupView
	Wire       wireView
	Memory     memoryView
	Churn      churnView
	Bench      benchView
}

// tableRow is one row of the Summary table.
type tableRow struct{ What, Measured, Target, Verdict string }

// ---- 1. throughput

func (r *report) level(name string, conc int) (results.LoadLevel, bool) {
	if r.load == nil {
		return results.LoadLevel{}, false
	}
	for _, t := range r.load.Targets {
		if t.Name != name {
			continue
		}
		for _, l := range t.Levels {
			if l.Concurrency == conc {
				return l, l.Enrollments > 0
			}
		}
	}
	return results.LoadLevel{}, false
}

// throughputView is section 1 for report.md.tmpl.
type throughputView struct {
	Measured          bool
	Command           string
	Concs             []int
	Rates             []rateRow
	VsMoto, VsCeiling []string // local ÷ moto, local ÷ ceiling, per level
	Levels            []levelRow
	FirstErrors       []levelError
	Latency           []latencyTable
	Bound             boundView
}

type rateRow struct {
	Name, Error string
	Cells       []string
}

type levelRow struct {
	Name, Seconds, Rounds, BoundBy                string
	Concurrency, Enrollments, Errors, CodeRetries int
}

type levelError struct {
	Name, Error string
	Concurrency int
}

type latencyTable struct {
	Name  string
	Concs []int
	Calls []latencyRow
}

type latencyRow struct {
	Call  string
	Cells []string // p50 and p99 of each level, "—" where the call has none
}

func (r *report) throughput() throughputView {
	if r.load == nil {
		r.verdict(boundWhat, "not measured", boundTarget(), false, "(no result)")
		return throughputView{}
	}
	v := throughputView{Measured: true, Command: r.load.Command}
	var concs []int
	for _, t := range r.load.Targets {
		for _, l := range t.Levels {
			if !slices.Contains(concs, l.Concurrency) {
				concs = append(concs, l.Concurrency)
			}
		}
	}
	v.Concs = concs
	for _, t := range r.load.Targets {
		row := rateRow{Name: t.Name}
		if t.Error != "" {
			row.Error = oneLine(t.Error)
		}
		for _, c := range concs {
			if l, ok := r.level(t.Name, c); ok {
				row.Cells = append(row.Cells, fmt.Sprintf("%.1f", l.PerSecond))
			} else {
				row.Cells = append(row.Cells, "—")
			}
		}
		v.Rates = append(v.Rates, row)
	}
	ratios := func(num, den string, asPercent bool) []string {
		var cells []string
		for _, c := range concs {
			a, ok1 := r.level(num, c)
			b, ok2 := r.level(den, c)
			switch {
			case !ok1 || !ok2 || b.PerSecond == 0:
				cells = append(cells, "—")
			case asPercent:
				cells = append(cells, fmt.Sprintf("%.0f%%", 100*a.PerSecond/b.PerSecond))
			default:
				cells = append(cells, fmt.Sprintf("%.1fx", a.PerSecond/b.PerSecond))
			}
		}
		return cells
	}
	v.VsMoto, v.VsCeiling = ratios("local", "moto", false), ratios("local", "ceiling", true)
	for _, t := range r.load.Targets {
		for _, l := range t.Levels {
			rounds := make([]string, len(l.RoundRates))
			for i, rate := range l.RoundRates {
				rounds[i] = fmt.Sprintf("%.1f", rate)
			}
			v.Levels = append(v.Levels, levelRow{Name: t.Name, Seconds: fmt.Sprintf("%.2f", l.Seconds), Rounds: strings.Join(rounds, ", "), BoundBy: l.BoundBy,
				Concurrency: l.Concurrency, Enrollments: l.Enrollments, Errors: l.Errors, CodeRetries: l.CodeRetries})
			if l.FirstError != "" {
				v.FirstErrors = append(v.FirstErrors, levelError{Name: t.Name, Error: oneLine(l.FirstError), Concurrency: l.Concurrency})
			}
		}
	}
	for _, t := range r.load.Targets {
		if len(t.Levels) == 0 {
			continue
		}
		tab := latencyTable{Name: t.Name}
		for _, l := range t.Levels {
			tab.Concs = append(tab.Concs, l.Concurrency)
		}
		for _, op := range r.load.Ops {
			row := latencyRow{Call: op}
			for _, l := range t.Levels {
				if s, ok := l.Ops[op]; ok {
					row.Cells = append(row.Cells, msf(s.P50ms), msf(s.P99ms))
				} else {
					row.Cells = append(row.Cells, "—", "—")
				}
			}
			tab.Calls = append(tab.Calls, row)
		}
		v.Latency = append(v.Latency, tab)
	}

	// The goal first: local's best rate against the signature-bound model.
	m, why := r.signatureBound()
	switch {
	case why != "":
		r.verdict(boundWhat, "not measured", boundTarget(), false, "("+why+")")
	case m.ratio() > 1:
		// The model errs low (see boundView): above it is at it.
		r.summary = append(r.summary, []string{boundWhat, m.measured(), boundTarget(), "met (above the model: its CPU figure for the endpoint is too high in this run; see section 1)"})
	default:
		r.verdict(boundWhat, m.measured(), boundTarget(), m.ratio() >= targetVsBound, fmt.Sprintf("by %.1f points", 100*(targetVsBound-m.ratio())))
	}

	// The withdrawn targets: the ratios, over every level measured on both
	// sides, for information.
	worstMoto, worstCeil := math.Inf(1), math.Inf(1)
	var worstMotoC, worstCeilC int
	for _, c := range concs {
		if a, ok := r.level("local", c); ok {
			if b, ok := r.level("moto", c); ok && a.PerSecond/b.PerSecond < worstMoto {
				worstMoto, worstMotoC = a.PerSecond/b.PerSecond, c
			}
			if b, ok := r.level("ceiling", c); ok && a.PerSecond/b.PerSecond < worstCeil {
				worstCeil, worstCeilC = a.PerSecond/b.PerSecond, c
			}
		}
	}
	motoTarget := fmt.Sprintf("withdrawn (was ≥ %.0fx): out of reach on %s shared cores", withdrawnVsMoto, r.coresOr("these"))
	if x, c := r.ceilingVsMoto(); x > 0 {
		motoTarget += fmt.Sprintf(", where the bare ceiling itself is at most %.1fx moto (c=%d)", x, c)
	}
	ceilTarget := fmt.Sprintf("withdrawn (was ≥ %.0f%%): out of reach with RS256-2048 tokens on %s shared cores", 100*withdrawnVsCeiling, r.coresOr("these"))
	if m.rate > 0 {
		ceilTarget += fmt.Sprintf(", where the signature bound itself is %.0f%% of the ceiling's best", 100*m.rate/m.ceilBest)
	}
	if math.IsInf(worstMoto, 1) {
		r.info("enrollments/s, local ÷ moto", "not measured (moto was not measured)", motoTarget)
	} else {
		r.info(fmt.Sprintf("enrollments/s, local ÷ moto (lowest over concurrency %s)", concList(concs)), fmt.Sprintf("%.1fx (c=%d)", worstMoto, worstMotoC), motoTarget)
	}
	if math.IsInf(worstCeil, 1) {
		r.info("enrollments/s, local ÷ bare ceiling", "not measured (no ceiling result)", ceilTarget)
	} else {
		r.info("enrollments/s, local ÷ bare ceiling (lowest)", fmt.Sprintf("%.0f%% (c=%d)", 100*worstCeil, worstCeilC), ceilTarget)
	}
	v.Bound = r.boundView(m, why)
	return v
}

// levelOf finds one target's level in a load result.
func levelOf(l *results.Load, name string, conc int) (results.LoadLevel, bool) {
	if l == nil {
		return results.LoadLevel{}, false
	}
	for _, t := range l.Targets {
		for _, lv := range t.Levels {
			if t.Name == name && lv.Concurrency == conc {
				return lv, lv.Enrollments > 0
			}
		}
	}
	return results.LoadLevel{}, false
}

// dataDirView compares local with --data-dir (target "local-datadir") with
// local in memory, for sign-ins (signin.json) and enrollments (load.json),
// for report.md.tmpl.
type dataDirView struct {
	Measured bool
	Command  string
	Concs    []int
	Rows     []rateRow // the sign-in and enrollment rates and their ratios
	Errors   []levelError
}

func (r *report) dataDir() dataDirView {
	const what = "sign-ins/s, local --data-dir ÷ local in memory (lowest over concurrency)"
	target := fmt.Sprintf("≥ %.0f%%", 100*targetSignInsKept)
	if r.signin == nil {
		r.verdict(what, "not measured", target, false, "(no result)")
		return dataDirView{}
	}
	v := dataDirView{Measured: true, Command: r.signin.Command}
	for _, t := range r.signin.Targets {
		for _, l := range t.Levels {
			if !slices.Contains(v.Concs, l.Concurrency) {
				v.Concs = append(v.Concs, l.Concurrency)
			}
		}
	}
	worst, worstC := math.Inf(1), 0
	row := func(label string, l *results.Load, name string) {
		rr := rateRow{Name: label}
		for _, c := range v.Concs {
			if lv, ok := levelOf(l, name, c); ok {
				rr.Cells = append(rr.Cells, fmt.Sprintf("%.1f", lv.PerSecond))
			} else {
				rr.Cells = append(rr.Cells, "—")
			}
		}
		v.Rows = append(v.Rows, rr)
	}
	ratio := func(label string, l *results.Load, track bool) {
		rr := rateRow{Name: label}
		for _, c := range v.Concs {
			a, ok1 := levelOf(l, "local-datadir", c)
			b, ok2 := levelOf(l, "local", c)
			if !ok1 || !ok2 {
				rr.Cells = append(rr.Cells, "—")
				continue
			}
			q := a.PerSecond / b.PerSecond
			if track && q < worst {
				worst, worstC = q, c
			}
			rr.Cells = append(rr.Cells, fmt.Sprintf("%.0f%%", 100*q))
		}
		v.Rows = append(v.Rows, rr)
	}
	row("sign-ins, in memory", r.signin, "local")
	row("sign-ins, --data-dir", r.signin, "local-datadir")
	ratio("**sign-ins, --data-dir ÷ in memory**", r.signin, true)
	row("enrollments, in memory", r.load, "local")
	row("enrollments, --data-dir", r.load, "local-datadir")
	ratio("**enrollments, --data-dir ÷ in memory**", r.load, false)
	for _, t := range r.signin.Targets {
		for _, l := range t.Levels {
			if l.Errors > 0 {
				v.Errors = append(v.Errors, levelError{Name: t.Name, Concurrency: l.Concurrency, Error: fmt.Sprintf("%d (first: `%s`)", l.Errors, oneLine(l.FirstError))})
			}
		}
	}
	if math.IsInf(worst, 1) {
		r.verdict(what, "not measured", target, false, "(no result for both)")
	} else {
		r.verdict(what, fmt.Sprintf("%.0f%% (c=%d)", 100*worst, worstC), target, worst >= targetSignInsKept,
			fmt.Sprintf("by %.0f points", 100*(targetSignInsKept-worst)))
	}
	ew, ewC := math.Inf(1), 0
	for _, c := range v.Concs {
		a, ok1 := levelOf(r.load, "local-datadir", c)
		b, ok2 := levelOf(r.load, "local", c)
		if ok1 && ok2 && a.PerSecond/b.PerSecond < ew {
			ew, ewC = a.PerSecond/b.PerSecond, c
		}
	}
	if !math.IsInf(ew, 1) {
		r.info("enrollments/s, local --data-dir ÷ local in memory (lowest)", fmt.Sprintf("%.0f%% (c=%d)", 100*ew, ewC), "none: what durability costs four commits")
	}
	return v
}

// boundWhat names the Summary row of the throughput goal.
const boundWhat = "enrollments/s, local's best ÷ the signature-bound model rate (section 1, What bounds it)"

func boundTarget() string {
	return fmt.Sprintf("≈ %.0f%% of the bound (met at ≥ %.0f%%)", 100*targetVsBound, 100*targetVsBound)
}

func (r *report) coresOr(unknown string) string {
	if r.env.cores == "" {
		return unknown
	}
	return r.env.cores
}

func concList(concs []int) string {
	s := make([]string, len(concs))
	for i, c := range concs {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, "/")
}

// boundModel is the rate a faithful endpoint could reach on these cores, from
// the CPU profile of cognitolocal's BenchmarkEnrollment taken in this run and
// the ceiling's best rate: cores ÷ (the client's CPU per enrollment + the
// endpoint's).
type boundModel struct {
	cores      int
	enrollNs   float64 // wall time of one in-process enrollment
	cpuNs      float64 // the endpoint's CPU per enrollment, all cores
	lockedNs   float64 // of it, under the endpoint's mutex
	signNs     float64 // of it, in the two RS256 signatures
	signShare  float64 // signNs ÷ cpuNs
	ceilBest   float64 // the ceiling's best rate
	clientNs   float64 // cores ÷ ceilBest: the client's CPU and the bare round trips
	rate       float64 // cores ÷ (clientNs + cpuNs): the model
	localBest  float64 // local's best measured rate
	localBestC int     // at this concurrency
}

func (m boundModel) ratio() float64 { return m.localBest / m.rate }

func (m boundModel) measured() string {
	return fmt.Sprintf("%.1f%% (%.0f/s at c=%d, of %.0f/s)", 100*m.ratio(), m.localBest, m.localBestC, m.rate)
}

// signatureBound computes the model, or says why it cannot.
func (r *report) signatureBound() (boundModel, string) {
	// The profiled benchmark's request paths: the benchmark's goroutine and
	// the one that signs the ID token beside it.
	mainCPU, ok1 := r.cum("testing.(*B).runN")
	idCPU, ok2 := r.cum("cognitolocal.(*authResult).sign.func1")
	locked, ok3 := r.cum("cognitolocal.(*Server).run.func1")
	signing, ok4 := r.cum("cognitolocal.(*Server).sign")
	paths := mainCPU + idCPU
	cores, _ := strconv.Atoi(r.env.cores)
	if !ok1 || !ok2 || !ok3 || !ok4 || r.enrollNs == 0 || r.enrollCPUNs == 0 || paths == 0 || cores == 0 {
		return boundModel{}, "no CPU profile of an enrollment"
	}
	m := boundModel{cores: cores, enrollNs: r.enrollNs, cpuNs: r.enrollCPUNs}
	m.lockedNs = m.cpuNs * locked / paths
	m.signNs = m.cpuNs * signing / paths
	m.signShare = signing / paths
	if r.load != nil {
		for _, t := range r.load.Targets {
			for _, l := range t.Levels {
				if l.Enrollments == 0 {
					continue
				}
				switch {
				case t.Name == "local" && l.PerSecond > m.localBest:
					m.localBest, m.localBestC = l.PerSecond, l.Concurrency
				case t.Name == "ceiling":
					m.ceilBest = max(m.ceilBest, l.PerSecond)
				}
			}
		}
	}
	if m.ceilBest == 0 {
		return m, "no ceiling result"
	}
	m.clientNs = float64(cores) * 1e9 / m.ceilBest
	m.rate = float64(cores) * 1e9 / (m.clientNs + m.cpuNs)
	if m.localBest == 0 {
		return m, "no local result"
	}
	return m, ""
}

// boundView says what limits cognito-totp local: the model of
// signatureBound, and local's rate against it, for report.md.tmpl. The
// model counts the JSON work of a round trip on both sides, so it errs low.
type boundView struct {
	Profiled, Ceiling, Local, Above bool
	Why                             string

	Enroll, CPU, EnrollCommand, ProfileCommand  string
	SignShare, Sign, HalfSign, Locked, LockRate string

	Cores                             int
	Client, CeilBest, Rate, RateShare string

	LocalBest, Ratio, Target string
	LocalBestC               int
	Total, AtMost            string

	CeilVsMoto  string // "" when moto or the ceiling was not measured
	CeilVsMotoC int
}

func (r *report) boundView(m boundModel, why string) boundView {
	v := boundView{Profiled: m.cpuNs > 0, Why: why, Ceiling: m.ceilBest > 0, Local: m.localBest > 0, Above: m.ratio() > 1}
	if !v.Profiled {
		return v
	}
	v.Enroll, v.CPU, v.EnrollCommand, v.ProfileCommand = nsf(m.enrollNs), nsf(m.cpuNs), r.env.enrollCommand, r.env.profileCommand
	v.SignShare, v.Sign, v.HalfSign = fmt.Sprintf("%.0f", 100*m.signShare), nsf(m.signNs), nsf(m.signNs/2)
	v.Locked, v.LockRate = nsf(m.lockedNs), fmt.Sprintf("%.0f", 1e9/m.lockedNs)
	if !v.Ceiling {
		return v
	}
	v.Cores, v.Client, v.CeilBest = m.cores, nsf(m.clientNs), fmt.Sprintf("%.0f", m.ceilBest)
	v.Rate, v.RateShare = fmt.Sprintf("%.0f", m.rate), fmt.Sprintf("%.0f", 100*m.rate/m.ceilBest)
	if v.Local {
		v.LocalBest, v.LocalBestC, v.Ratio, v.Target = fmt.Sprintf("%.0f", m.localBest), m.localBestC, fmt.Sprintf("%.1f", 100*m.ratio()), fmt.Sprintf("%.0f", 100*targetVsBound)
		total := float64(m.cores) * 1e9 / m.localBest
		v.Total, v.AtMost = nsf(total), nsf(max(total-m.clientNs, 0))
	}
	if x, c := r.ceilingVsMoto(); x > 0 {
		v.CeilVsMoto, v.CeilVsMotoC = fmt.Sprintf("%.1f", x), c
	}
	return v
}

// ceilingVsMoto is the ceiling's rate ÷ moto's at the level where it is
// largest, and that level; 0 when either was not measured.
func (r *report) ceilingVsMoto() (float64, int) {
	best, at := 0.0, 0
	if r.load == nil {
		return 0, 0
	}
	for _, t := range r.load.Targets {
		if t.Name != "ceiling" {
			continue
		}
		for _, cl := range t.Levels {
			mo, ok := r.level("moto", cl.Concurrency)
			if ok && cl.Enrollments > 0 && cl.PerSecond/mo.PerSecond > best {
				best, at = cl.PerSecond/mo.PerSecond, cl.Concurrency
			}
		}
	}
	return best, at
}

// ---- 2. start-up

// startupView is section 2 for report.md.tmpl.
type startupView struct {
	Measured   bool
	Command    string
	Rows       []startupRow
	MissedDemo bool
	NewServer  string // cognitolocal's BenchmarkNewServer
	Configured string // the configured pool's median, when it was measured
}

type startupRow struct {
	Label, Command, Median, LessFloor, CPU, Min, Max, FirstByte string
	Runs                                                        int
}

func (r *report) startup() startupView {
	if r.tty == nil || len(r.tty.Startup) == 0 {
		r.verdict("start-up to first frame", "not measured", fmt.Sprintf("< %.0f ms", targetStartupMs), false, "(no result)")
		return startupView{}
	}
	v := startupView{Measured: true, Command: r.tty.Command}
	var ref, helloFrame, helloExit float64
	for _, s := range r.tty.Startup {
		switch {
		case s.Reference:
			ref = s.MedianMs
		case s.Kind == "hello":
			helloFrame = s.MedianMs
		case s.Kind == "hello exit":
			helloExit = s.MedianMs
		}
	}
	floorOf := func(s results.StartupRun) float64 {
		switch s.Kind {
		case "":
			return helloFrame
		case "version":
			return helloExit
		}
		return 0
	}
	for _, s := range r.tty.Startup {
		lo, hi := minMax(s.Samples)
		row := startupRow{Label: s.Label, Command: s.Command, Median: msf(s.MedianMs), LessFloor: "—", CPU: "—",
			Min: msf(lo), Max: msf(hi), Runs: len(s.Samples), FirstByte: "—"}
		if s.FirstByteMs > 0 {
			row.FirstByte = msf(s.FirstByteMs)
		}
		if f := floorOf(s); f > 0 {
			row.LessFloor = msf(s.MedianMs - f)
		}
		if s.CPUMs > 0 {
			row.CPU = msf(s.CPUMs)
		}
		v.Rows = append(v.Rows, row)
	}
	for _, s := range r.tty.Startup {
		if s.Reference || s.Kind == "hello" || s.Kind == "hello exit" {
			continue
		}
		what, target := "start-up to first frame, "+s.Label, targetStartupMs
		if s.Kind == "version" {
			what, target = "`cognito-totp --version`, exec to exit", targetVersionMs
		}
		met := s.MedianMs < target
		if !met && strings.HasPrefix(s.Label, "demo") {
			v.MissedDemo = true
		}
		measured := msf(s.MedianMs) + " median"
		var notes []string
		if f := floorOf(s); f > 0 {
			notes = append(notes, fmt.Sprintf("a Go hello-world in the same rounds: %s", msf(f)))
		}
		if ref > 0 && s.Kind == "" {
			notes = append(notes, fmt.Sprintf("%.0fx sooner than one aws CLI call, %s", ref/s.MedianMs, msf(ref)))
		}
		if len(notes) > 0 {
			measured += " (" + strings.Join(notes, "; ") + ")"
		}
		r.verdict(what, measured, fmt.Sprintf("< %.0f ms median", target), met,
			fmt.Sprintf("by %s (%.0f%% over)", msf(s.MedianMs-target), 100*(s.MedianMs-target)/target))
		if s.Label == "configured pool" {
			v.Configured = msf(s.MedianMs)
		}
	}
	v.NewServer = nsfOr(r.goMetric("BenchmarkNewServer", "ns/op"))
	return v
}

// ---- 3. bytes on the wire

// wireView is section 3 for report.md.tmpl.
type wireView struct {
	Measured, IdleMeasured bool
	Command, Settle        string
	Enroll                 []wireRow
	Idle                   []idleRow
}

type wireRow struct {
	Label, Terminal, Command                 string
	Bytes, SignIn, NewPassword, Secret, Done int64
	Quit                                     int64
	ExitCode                                 int
}

type idleRow struct {
	Terminal, Seconds, PerSecond string
	Bytes, ScreenBytes           int64
	QRCells                      int
}

func (r *report) wire() wireView {
	if r.tty == nil || len(r.tty.Enroll) == 0 {
		r.verdict("bytes for a whole enrollment", "not measured", "< 30 KB", false, "(no result)")
		return wireView{}
	}
	v := wireView{Measured: true, Command: r.tty.Command, Settle: "1.5 s"}
	var worst int64
	for _, e := range r.tty.Enroll {
		bs := e.ByScreen
		v.Enroll = append(v.Enroll, wireRow{Label: e.Label, Terminal: fmt.Sprintf("%dx%d", e.Cols, e.Rows), Command: e.Command, Bytes: e.Bytes,
			SignIn: bs["sign-in"], NewPassword: bs["new password"], Secret: bs["secret"], Done: bs["done"], Quit: bs["quit"], ExitCode: e.ExitCode})
		worst = max(worst, e.Bytes)
	}
	r.verdict("bytes to the terminal, whole enrollment (largest run)", fmt.Sprintf("%d bytes", worst), "< 30 KB", worst < targetEnrollBytes,
		fmt.Sprintf("by %d bytes", worst-targetEnrollBytes))

	if len(r.tty.Idle) == 0 {
		return v
	}
	v.IdleMeasured = true
	var worstIdle float64
	resent := false
	for _, i := range r.tty.Idle {
		v.Idle = append(v.Idle, idleRow{Terminal: fmt.Sprintf("%dx%d", i.Cols, i.Rows), Seconds: fmt.Sprintf("%.1f", i.Seconds), Bytes: i.Bytes,
			PerSecond: fmt.Sprintf("%.1f", i.PerSecond), QRCells: i.QRCells, ScreenBytes: i.ScreenBytes})
		worstIdle = max(worstIdle, i.PerSecond)
		resent = resent || i.QRResent
	}
	r.verdict("bytes per second idle on the secret screen (largest)", fmt.Sprintf("%.1f B/s", worstIdle), "< 200 B/s", worstIdle < targetIdleBytesSec,
		fmt.Sprintf("by %.1f B/s", worstIdle-targetIdleBytesSec))
	r.verdict("a clock tick resends the QR code", yesNo(resent), "no", !resent, "(a tick redraws QR cells)")
	return v
}

// ---- 4. memory

// memoryView is section 4's wizard and idle-session parts for report.md.tmpl.
type memoryView struct {
	Enroll []rssRow

	// SSH is "" when sshidle wrote results, else why there are none:
	// "note" (NotMeasured says why) or "none".
	SSH, NotMeasured             string
	Command, ServeCommand, Error string
	Steps                        []stepRow
	Opened, Met                  bool // a session opened; the target was met

	Heap, Stack, Share string // "" when BenchmarkWizardProgramMemory did not run
	HeapCommand        string
	HeapTop            string
	Deps, Own, TopSite string // "" when the listing had no site
	DepsLarger         bool
}

type rssRow struct {
	Label, Terminal, MB string
	KiB                 int64
}

type stepRow struct {
	Sessions              int
	RSS, PerSession, Open string
}

func (r *report) memory() memoryView {
	var v memoryView
	if r.tty != nil && len(r.tty.Enroll) > 0 {
		var worst int64
		for _, e := range r.tty.Enroll {
			v.Enroll = append(v.Enroll, rssRow{Label: e.Label, Terminal: fmt.Sprintf("%dx%d", e.Cols, e.Rows),
				MB: fmt.Sprintf("%.1f MB", float64(e.PeakRSSKiB)*1024/1e6), KiB: e.PeakRSSKiB})
			worst = max(worst, e.PeakRSSKiB)
		}
		r.verdict("peak RSS of the wizard through an enrollment (largest)", fmt.Sprintf("%.1f MB", float64(worst)*1024/1e6), "< 40 MB",
			worst*1024 < targetPeakRSSBytes, fmt.Sprintf("by %.1f MB", (float64(worst)*1024-targetPeakRSSBytes)/1e6))
	} else {
		r.verdict("peak RSS of the wizard through an enrollment", "not measured", "< 40 MB", false, "(no result)")
	}

	switch {
	case r.ssh == nil && r.env.serveNote != "":
		v.SSH, v.NotMeasured = "note", r.env.serveNote
		r.verdict("serve, RSS per idle SSH session", "not measured", "< 1 MB", false, "(not measurable yet)")
		return v
	case r.ssh == nil:
		v.SSH = "none"
		r.verdict("serve, RSS per idle SSH session", "not measured", "< 1 MB", false, "(no result)")
		return v
	}
	v.Command, v.ServeCommand = r.ssh.Command, r.ssh.ServeCommand
	if r.ssh.Error != "" {
		v.Error = oneLine(r.ssh.Error)
	}
	var last results.SSHStep
	for _, s := range r.ssh.Steps {
		per := "—"
		if s.Sessions > 0 {
			per = fmt.Sprintf("**%.0f KiB** (%.2f MB)", s.PerSessionKiB, s.PerSessionKiB*1024/1e6)
			last = s
		}
		v.Steps = append(v.Steps, stepRow{Sessions: s.Sessions, RSS: fmt.Sprintf("%.1f MB (%d KiB)", float64(s.RSSKiB)*1024/1e6, s.RSSKiB),
			PerSession: per, Open: fmt.Sprintf("%.2f s", s.OpenSeconds)})
	}
	if last.Sessions == 0 {
		r.verdict("serve, RSS per idle SSH session", "not measured", "< 1 MB", false, "(no session opened)")
		return v
	}
	v.Opened = true
	perBytes := last.PerSessionKiB * 1024
	v.Met = perBytes < targetSessionBytes
	r.verdict(fmt.Sprintf("serve, RSS per idle SSH session (at %d)", last.Sessions), fmt.Sprintf("%.2f MB", perBytes/1e6), "< 1 MB", v.Met,
		fmt.Sprintf("by %.0f KB (%.0f%% over)", (perBytes-targetSessionBytes)/1e3, 100*(perBytes-targetSessionBytes)/targetSessionBytes))
	heap, ok1 := r.goMetric("BenchmarkWizardProgramMemory", "heap-KiB/session")
	stack, ok2 := r.goMetric("BenchmarkWizardProgramMemory", "stack-KiB/session")
	if ok1 && ok2 {
		v.Heap, v.Stack = fmt.Sprintf("%.0f", heap), fmt.Sprintf("%.0f", stack)
		v.Share = fmt.Sprintf("%.0f", 100*(heap+stack)/last.PerSessionKiB)
		if r.heapTop != "" {
			v.HeapCommand, v.HeapTop = r.env.heapCommand, strings.TrimSpace(r.heapTop)
			own, deps, top := heapShares(r.heapTop)
			if own+deps > 0 {
				v.Deps, v.Own, v.TopSite, v.DepsLarger = fmt.Sprintf("%.0f", deps), fmt.Sprintf("%.0f", own), top, deps > own
			}
		}
	}
	return v
}

// churnView is serve under 1,000 sessions ending every way (bench/cmd/soak),
// for report.md.tmpl.
type churnView struct {
	Measured                     bool
	Command, ServeCommand, Error string
	Sessions, Held, ClientErrors int
	FirstError                   string
	Ways                         []wayRow
	Ended, Refused               string
	Before, Peak, After          pointRow
	AfterSeconds                 string

	Rate     *rateView     // nil when not measured
	Shutdown *shutdownView // nil when no session was live
}

// rateView is sessions opened and closed as fast as they go.
type rateView struct {
	Sessions, Concurrency, Errors, Cores          int
	PerSecond, Seconds, ServerCPU, PerSession     string
	ClientCPU, TotalCPU, Available, Busy, OneCore string
	CPUBound                                      bool
}

// shutdownView is a SIGTERM with sessions live.
type shutdownView struct {
	Live, Told, ExitCode     int
	ReadyzFirst, Exit, Grace string
}

type wayRow struct {
	Way      string
	Sessions int
}

type pointRow struct {
	RSS, Heap             string
	Goroutines, OpenFiles int
}

func (r *report) churn() churnView {
	k := r.soak
	if k == nil {
		r.verdict("serve, goroutines and RSS after 1,000 churned sessions", "not measured", "baseline ±10% (or 10 MB)", false, "(no result)")
		return churnView{}
	}
	v := churnView{Measured: true, Command: k.Command, ServeCommand: k.ServeCommand, Sessions: k.Sessions, Held: k.ByWay["held until a shutdown"],
		ClientErrors: k.ClientErrors, Ended: countList(k.Ended), Refused: countList(k.Refused), AfterSeconds: fmt.Sprintf("%.0f", k.After.Seconds)}
	if k.Error != "" {
		v.Error = oneLine(k.Error)
	}
	if k.FirstError != "" {
		v.FirstError = oneLine(k.FirstError)
	}
	ways := make([]string, 0, len(k.ByWay))
	for w := range k.ByWay {
		ways = append(ways, w)
	}
	sort.Strings(ways)
	for _, w := range ways {
		v.Ways = append(v.Ways, wayRow{w, k.ByWay[w]})
	}
	point := func(p results.SoakPoint) pointRow {
		return pointRow{RSS: fmt.Sprintf("%.1f MB", float64(p.RSSKiB)*1024/1e6), Heap: fmt.Sprintf("%.1f MB", float64(p.HeapInuseKiB)*1024/1e6),
			Goroutines: p.Goroutines, OpenFiles: p.OpenFiles}
	}
	v.Before, v.Peak, v.After = point(k.Before), point(k.Peak), point(k.After)
	within := func(after, before int64, slack int64) bool { return after <= before+max(before/10, slack) }
	gOK := within(int64(k.After.Goroutines), int64(k.Before.Goroutines), 0)
	r.verdict(fmt.Sprintf("serve, goroutines after %d churned sessions", k.Sessions), fmt.Sprintf("%d → %d", k.Before.Goroutines, k.After.Goroutines),
		"baseline ±10%", gOK, "")
	mOK := within(k.After.RSSKiB, k.Before.RSSKiB, 10_000_000/1024)
	r.verdict(fmt.Sprintf("serve, RSS after %d churned sessions", k.Sessions), fmt.Sprintf("%.1f MB → %.1f MB", float64(k.Before.RSSKiB)*1024/1e6, float64(k.After.RSSKiB)*1024/1e6),
		"baseline ±10% (or 10 MB)", mOK, "")

	if t := k.Rate; t.Seconds > 0 {
		avail := t.Seconds * float64(k.Cores)
		perSession := 1000 * t.ServerCPUSeconds / float64(t.Sessions)
		v.Rate = &rateView{Sessions: t.Sessions, Concurrency: t.Concurrency, Errors: t.Errors, Cores: k.Cores,
			PerSecond: fmt.Sprintf("%.1f", t.PerSecond), Seconds: fmt.Sprintf("%.2f", t.Seconds),
			ServerCPU: fmt.Sprintf("%.2f", t.ServerCPUSeconds), PerSession: fmt.Sprintf("%.1f", perSession),
			ClientCPU: fmt.Sprintf("%.2f", t.ClientCPUSeconds), TotalCPU: fmt.Sprintf("%.1f", t.TotalCPUSeconds),
			Available: fmt.Sprintf("%.1f", avail), Busy: fmt.Sprintf("%.0f", 100*t.TotalCPUSeconds/avail),
			CPUBound: t.TotalCPUSeconds > 0.9*avail, OneCore: fmt.Sprintf("%.0f", float64(t.Sessions)/t.ServerCPUSeconds)}
	}
	if sd := k.Shutdown; sd.Live > 0 {
		v.Shutdown = &shutdownView{Live: sd.Live, Told: sd.ToldShutdown, ExitCode: sd.ExitCode, ReadyzFirst: yesNo(sd.ReadyzFirst),
			Exit: fmt.Sprintf("%.1f", sd.ExitSeconds), Grace: fmt.Sprintf("%.0f", sd.GraceSeconds)}
	}
	return v
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// countList is "a 3, b 2" for the non-zero counts, largest first.
func countList(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %.0f", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// heapShares sums flat% of a pprof -top listing by owner: cognito-totp's own
// packages or the rest (runtime allocations left out), and names the largest
// site of the rest.
func heapShares(text string) (own, deps float64, top string) {
	best := -1.0
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasSuffix(f[1], "%") {
			continue
		}
		pct, err := strconv.ParseFloat(strings.TrimSuffix(f[1], "%"), 64)
		if err != nil {
			continue
		}
		name := strings.Join(f[5:], " ")
		switch {
		case strings.HasPrefix(name, "github.com/cognito-totp/"):
			own += pct
		case strings.HasPrefix(name, "runtime."):
		default:
			deps += pct
			if pct > best {
				best, top = pct, name
			}
		}
	}
	return own, deps, top
}

// ---- 5. Go benchmarks

// benchView is section 5 for report.md.tmpl.
type benchView struct {
	Command string
	Rows    []benchRow // none: the benchmarks did not run
	Raw     string
}

type benchRow struct{ Name, Time, Bytes, Allocs, Other string }

func (r *report) goBenchmarks() benchView {
	v := benchView{Command: r.env.goBenchCommand, Raw: strings.TrimSpace(r.rawGo)}
	for _, name := range r.order {
		m := r.bench[name]
		ns, _ := r.goMetric(name, "ns/op")
		bop, okB := r.goMetric(name, "B/op")
		aop, okA := r.goMetric(name, "allocs/op")
		var other []string
		units := make([]string, 0, len(m))
		for u := range m {
			units = append(units, u)
		}
		slices.Sort(units)
		for _, u := range units {
			if u == "ns/op" || u == "B/op" || u == "allocs/op" {
				continue
			}
			val, _ := r.goMetric(name, u)
			other = append(other, fmt.Sprintf("%.1f %s", val, u))
		}
		v.Rows = append(v.Rows, benchRow{name, nsf(ns), optF(bop, okB), optF(aop, okA), strings.Join(other, ", ")})
	}
	return v
}

// ---- formatting

func msf(ms float64) string {
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 1:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.3f ms", ms)
}

// nsfOr formats a Go benchmark's ns/op, or says it did not run.
func nsfOr(v float64, ok bool) string {
	if !ok {
		return "(not measured)"
	}
	return nsf(v)
}

func nsf(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func optF(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func minMax(v []float64) (float64, float64) {
	if len(v) == 0 {
		return 0, 0
	}
	return slices.Min(v), slices.Max(v)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "`", "'")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
