package admin

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
)

// StateLimit bounds a --state file: about 150 bytes a user, so a pool of a
// million users fits.
const StateLimit = 256 << 20

// stateEvery is the least time between two writes of the state file while
// users are read; each write also waits ten times as long as the last took,
// so a big file is not rewritten all the time. A crash loses at most the
// reads since the last write, and those users are read again on resume.
const stateEvery = time.Second

// stateFile is what --state keeps: each user read and when. It holds no
// contact details (those come from the list answer on every run) and
// nothing secret.
type stateFile struct {
	Version int                  `json:"version"`
	PoolID  string               `json:"user_pool_id"`
	Users   map[string]stateUser `json:"users"`
}

type stateUser struct {
	ReadAt time.Time `json:"read_at"`
	User   User      `json:"user"`
}

// State is a --state file: users read by earlier runs, and each user this
// run reads, written as the run goes. Every write is atomic (a temporary
// file, synced, then renamed over the old one), so a crash at any moment
// leaves either the previous state or the new one.
type State struct {
	path string
	now  func() time.Time

	mu       sync.Mutex
	f        stateFile
	dirty    bool
	last     time.Time     // when the file was last written
	took     time.Duration // how long that write took
	timer    *time.Timer
	writeErr error
}

// OpenState reads path, or starts an empty state when it does not exist
// yet. A file that records another pool is refused.
func OpenState(path, poolID string, now func() time.Time) (*State, error) {
	if now == nil {
		now = time.Now
	}
	s := &State{path: path, now: now, f: stateFile{Version: 1, PoolID: poolID, Users: map[string]stateUser{}}}
	// A run killed while writing leaves its temporary file behind.
	if left, err := filepath.Glob(tempPattern(path)); err == nil {
		for _, f := range left {
			os.Remove(f)
		}
	}
	b, err := boundedfile.Read(path, "state", StateLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, withCause(newError(KindUsage, say(i18n.AdminErrStateRead, "File", path, "Cause", err.Error())), err)
	}
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, withCause(newError(KindUsage, say(i18n.AdminErrStateRead, "File", path, "Cause", err.Error())), err)
	}
	if f.PoolID != poolID {
		return nil, newError(KindUsage, say(i18n.AdminErrStatePool, "File", path, "Other", quote(f.PoolID)))
	}
	if f.Users != nil {
		s.f.Users = f.Users
	}
	return s, nil
}

// Earlier are the users read less than maxAge ago.
func (s *State) Earlier(maxAge time.Duration) Earlier {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	out := Earlier{}
	for name, u := range s.f.Users {
		if now.Sub(u.ReadAt) < maxAge {
			out[name] = u.User
		}
	}
	return out
}

// Record keeps u, read now, and writes the file when stateEvery has passed
// since the last write (or soon after, from a timer). Safe from several
// readers at once. Once a write has failed it returns that error, so the
// run stops rather than read users it cannot record.
func (s *State) Record(u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.f.Users[u.Username] = stateUser{ReadAt: s.now().UTC(), User: u}
	s.dirty = true
	wait := max(stateEvery, 10*s.took) - time.Since(s.last)
	if wait <= 0 {
		s.writeLocked()
		return s.writeErr
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(wait, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.timer = nil
			s.writeLocked()
		})
	}
	return s.writeErr
}

// Err is the first write that failed, if any.
func (s *State) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writeErr
}

// Close writes what is not written yet.
func (s *State) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.writeLocked()
	return s.writeErr
}

func (s *State) writeLocked() {
	if !s.dirty || s.writeErr != nil {
		return
	}
	start := time.Now()
	if err := writeAtomic(s.path, s.f); err != nil {
		s.writeErr = withCause(newError(KindUsage, say(i18n.AdminErrStateWrite, "File", s.path, "Cause", err.Error())), err)
		return
	}
	s.dirty, s.last, s.took = false, time.Now(), time.Since(start)
}

// writeAtomic writes v as JSON to a temporary file beside path, syncs it,
// renames it over path and syncs the directory, so path always holds a
// whole file: the old one or the new one. The file is the person's own
// (0600): it names the pool's users.
func writeAtomic(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(tempPattern(path)))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; left over only on failure
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself; not every file system can sync a directory
		d.Close()
	}
	return nil
}

// tempPattern names the temporary files of path's writes.
func tempPattern(path string) string { return path + ".*.tmp" }
