//go:build unix

package serve

import "syscall"

// descriptorBudget is how many SSH connections may be open at once so that
// the process keeps descriptors for the rest (the metrics listener and
// /healthz, the sessions' Cognito calls and demo pools): the soft
// RLIMIT_NOFILE less a reserve. 0: no budget (no limit known).
func descriptorBudget(maxSessions int) int64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil || r.Cur > 1<<30 {
		return 0
	}
	reserve := int64(64 + 2*maxSessions)
	return max(int64(r.Cur)-reserve, 16)
}
