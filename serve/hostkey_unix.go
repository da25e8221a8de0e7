//go:build unix

package serve

import (
	"io/fs"
	"syscall"
)

// fileOwner is the user who owns the file, where the system says.
func fileOwner(fi fs.FileInfo) (uid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
