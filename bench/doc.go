// Package bench holds the benchmarks that compare cognito-totp with its peers
// in one run (bench/run writes bench/RESULTS.md) and the Go benchmarks of
// pieces that live in packages owned elsewhere (internal/srp).
package bench
