package loadkit

import (
	"slices"
	"time"
)

// Percentile is the nearest-rank percentile p (0 < p <= 100) of sorted.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999)
	rank = max(1, min(len(sorted), rank))
	return sorted[rank-1]
}

// Summary is the latency of one operation.
type Summary struct {
	N     int     `json:"n"`
	P50ms float64 `json:"p50_ms"`
	P99ms float64 `json:"p99_ms"`
}

// Summarize sorts d and returns its count, median and 99th percentile.
func Summarize(d []time.Duration) Summary {
	slices.Sort(d)
	ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
	return Summary{N: len(d), P50ms: ms(Percentile(d, 50)), P99ms: ms(Percentile(d, 99))}
}

// Median of samples (sorted in place); zero when there are none.
func Median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return Percentile(d, 50)
}
