//go:build !unix

package serve

func descriptorBudget(int) int64 { return 0 }
