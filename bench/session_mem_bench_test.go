package bench

import (
	"flag"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cognito-totp/cognito-totp/internal/eventually"
	"github.com/cognito-totp/cognito-totp/ui"
)

// BenchmarkWizardProgramMemory is what one idle wizard costs in memory, the
// share of an SSH session of `cognito-totp serve` that is the Bubble Tea
// program and the wizard's model (serve adds the SSH connection). It starts
// sessionsPerOp programs at 80x24 on the sign-in screen, with no terminal
// behind them, and reports the live heap (bytes of live objects after a GC)
// and the goroutine stacks per program.
// bench/run reads its memory profile to say where the memory goes.
var wizardHeapProfile = flag.String("wizard-heap-profile", "",
	"BenchmarkWizardProgramMemory writes the heap profile of its idle programs to this file")

func BenchmarkWizardProgramMemory(b *testing.B) {
	const sessionsPerOp = 100
	if *wizardHeapProfile != "" {
		runtime.MemProfileRate = 4096 // finer than the default, for the breakdown
	}
	var heap, stack float64
	goroutines := runtime.NumGoroutine()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		progs := make([]*tea.Program, 0, sessionsPerOp)
		inputs := make([]*io.PipeWriter, 0, sessionsPerOp)
		done := make(chan struct{}, sessionsPerOp)
		for range sessionsPerOp {
			r, w := io.Pipe()
			p := tea.NewProgram(ui.New(ui.Options{PoolLabel: "eu-west-1_AbC123 · client 1a2b3c4d…"}),
				tea.WithInput(r), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24), tea.WithoutSignalHandler())
			go func() {
				_, _ = p.Run()
				done <- struct{}{}
			}()
			progs, inputs = append(progs, p), append(inputs, w)
		}
		time.Sleep(500 * time.Millisecond) // let every program draw its first frame
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap += float64(after.HeapAlloc) - float64(before.HeapAlloc)
		if i == 0 && *wizardHeapProfile != "" {
			writeHeapProfile(b, *wizardHeapProfile)
		}
		stack += float64(after.StackInuse) - float64(before.StackInuse)
		for j, p := range progs {
			p.Kill()
			inputs[j].Close()
		}
		for range progs {
			<-done
		}
		// Run returns before every goroutine of a killed program has; the
		// next batch is measured only once they are all gone.
		eventually.Until(10*time.Second, func() bool { return runtime.NumGoroutine() <= goroutines })
	}
	n := float64(b.N * sessionsPerOp)
	b.ReportMetric(heap/n/1024, "heap-KiB/session")
	b.ReportMetric(stack/n/1024, "stack-KiB/session")
}

// writeHeapProfile writes the live heap as of the last GC to path.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
