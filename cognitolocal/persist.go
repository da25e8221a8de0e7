package cognitolocal

import (
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// A data directory keeps a Server's state across restarts: pools, app
// clients, users (with their TOTP secrets, MFA settings and live sign-ins),
// refresh tokens, the outbox and the server's keys, in one SQLite database
// (records.go says what each row holds). Challenge sessions are not kept:
// they live minutes, and a sign-in under way when the server stops is
// started again.
//
// Durability: an operation's changes are written in a transaction, and its
// answer is sent only once that transaction is committed (Server.run). The
// database is in WAL mode with synchronous=NORMAL: a commit has written its
// pages to the WAL file before it returns, so the change is in the operating
// system's hands and survives the process being killed (kill -9, a panic,
// an OOM kill) at any moment. What NORMAL gives up against FULL is a sync of
// the WAL at each commit: after a power cut or an operating-system crash the
// last commits before it may be missing (the database is never corrupt;
// SQLite rolls back to the last synced transaction). For an endpoint that
// tests run against, that is the right trade: FULL's sync cost 0.6-0.9 ms of
// CPU per commit on the project's machines (BenchmarkSignIn), a third more
// CPU per sign-in, for a failure that takes the tests' machine down with it.
// Concurrent operations share one commit (see diskStore).
//
// One process at a time: Open takes an exclusive lock on DIR/lock and
// refuses a directory another process holds.

const (
	dbFile   = "cognito-local.db"
	lockFile = "lock"
)

// migrations make the schema, in order; schema version n means the first n
// have run. Only ever append: a directory written by an older build is
// upgraded by running the ones it lacks, and one written by a newer build
// (a version past the end) is refused.
var migrations = []string{
	// WITHOUT ROWID: the rows live in their key's B-tree, so a write
	// touches one B-tree, not a table and its key's index.
	`CREATE TABLE pools (id TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
	CREATE TABLE clients (id TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
	CREATE TABLE users (pool_id TEXT NOT NULL, username TEXT NOT NULL, record BLOB NOT NULL, PRIMARY KEY (pool_id, username)) WITHOUT ROWID;
	CREATE TABLE origins (pool_id TEXT NOT NULL, username TEXT NOT NULL, origin TEXT NOT NULL, record BLOB NOT NULL,
		PRIMARY KEY (pool_id, username, origin)) WITHOUT ROWID;
	CREATE TABLE refresh_tokens (token TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
	CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, record BLOB NOT NULL);
	CREATE TABLE server_keys (name TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;`,
}

// ErrNewerDataDir is the error Open returns for a data directory written by
// a newer cognito-totp, whose schema this build does not know.
var ErrNewerDataDir = errors.New("data directory written by a newer cognito-totp")

// newerSchema is ErrNewerDataDir with the versions.
type newerSchema struct{ have, know int }

func (e newerSchema) Error() string {
	return fmt.Sprintf("its schema is version %d, this build knows up to %d", e.have, e.know)
}

func (e newerSchema) Is(target error) bool { return target == ErrNewerDataDir }

// Open returns a Server whose state is kept in dir (made if missing) and
// loaded from it if it holds one. Close it to release the directory.
func Open(dir string, opts Options) (*Server, error) {
	return openWith(dir, opts, migrations)
}

func openWith(dir string, opts Options, migrations []string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not make the data directory %s: %w", dir, err)
	}
	lock := flock.New(filepath.Join(dir, lockFile), flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600))
	locked, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("could not lock the data directory %s: %w", dir, err)
	}
	if !locked {
		return nil, fmt.Errorf("the data directory %s is in use by another cognito-totp local; stop that one or give another --data-dir", dir)
	}
	ok := false
	defer func() {
		if !ok {
			lock.Unlock()
		}
	}()
	// Made 0600 before SQLite opens it: it holds password hashes and TOTP
	// secrets, and SQLite gives its -wal and -shm files the same mode.
	if f, err := os.OpenFile(filepath.Join(dir, dbFile), os.O_CREATE|os.O_RDWR, 0o600); err == nil {
		f.Close()
	}
	dsn := "file:" + (&url.URL{Path: filepath.Join(dir, dbFile)}).EscapedPath() +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("could not open the database in %s: %w", dir, err)
	}
	db.SetMaxOpenConns(1) // one writer; reads happen only at load
	defer func() {
		if !ok {
			db.Close()
		}
	}()
	if err := migrate(db, migrations); err != nil {
		if errors.Is(err, ErrNewerDataDir) {
			return nil, fmt.Errorf("the data directory %s was written by a newer cognito-totp (%w); use that version, or another --data-dir", dir, err)
		}
		return nil, fmt.Errorf("could not prepare the database in %s: %w", dir, err)
	}
	s := newServer(opts, nil) // load sets the signing key
	kept, err := s.load(db)
	if err != nil {
		return nil, fmt.Errorf("could not read the data directory %s: %w", dir, err)
	}
	s.store = newDiskStore(db, lock)
	s.store.origins = kept
	ok = true
	return s, nil
}

// migrate brings the schema to len(migrations), each step in a transaction
// with the version it reaches.
func migrate(db *sql.DB, migrations []string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	switch err := tx.QueryRow(`SELECT version FROM schema_version`).Scan(&version); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.Exec(`INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if version > len(migrations) {
		return newerSchema{have: version, know: len(migrations)}
	}
	for _, m := range migrations[version:] {
		if _, err := tx.Exec(m); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`UPDATE schema_version SET version = ?`, len(migrations)); err != nil {
		return err
	}
	return tx.Commit()
}

// load fills a new Server from the database: keys, pools, clients, users,
// refresh tokens and the outbox. A directory without keys gets new ones,
// written before the Server answers anything.
// It returns each user's live sign-ins as read, for diskStore.origins.
func (s *Server) load(db *sql.DB) (kept map[*user]map[string]time.Time, err error) {
	var keys KeysRecord
	err = readRecords(db, `SELECT record FROM server_keys WHERE name = 'keys'`, func(r KeysRecord) error { keys = r; return nil })
	if err != nil {
		return nil, err
	}
	if keys.SigningKey == nil {
		k, err := generateSigningKey()
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k.key)
		if err != nil {
			return nil, err
		}
		keys = KeysRecord{SigningKey: der, FakeKey: s.fakeKey[:]}
		rec, _ := json.Marshal(keys)
		if _, err := db.Exec(`INSERT INTO server_keys (name, record) VALUES ('keys', ?)`, rec); err != nil {
			return nil, err
		}
	}
	parsed, err := x509.ParsePKCS8PrivateKey(keys.SigningKey)
	if err != nil {
		return nil, fmt.Errorf("the signing key: %w", err)
	}
	rsaKey, isRSA := parsed.(*rsa.PrivateKey)
	if !isRSA || len(keys.FakeKey) != len(s.fakeKey) {
		return nil, errors.New("the server keys are not in the expected form")
	}
	k := signingKey{key: rsaKey, kid: keyID(&rsaKey.PublicKey)}
	s.signingKey = func() (signingKey, error) { return k, nil }
	copy(s.fakeKey[:], keys.FakeKey)

	err = readRecords(db, `SELECT record FROM pools`, func(r PoolRecord) error {
		s.pools[r.ID] = fromPoolRecord(r)
		return nil
	})
	if err == nil {
		err = readRecords(db, `SELECT record FROM clients`, func(r ClientRecord) error {
			s.clients[r.ID] = fromClientRecord(r)
			return nil
		})
	}
	if err == nil {
		err = readRecords(db, `SELECT record FROM users`, func(r UserRecord) error {
			p := s.pools[r.PoolID]
			if p == nil {
				return fmt.Errorf("user of pool %s, which is missing", r.PoolID)
			}
			p.users[r.Username] = fromUserRecord(r)
			return nil
		})
	}
	kept = map[*user]map[string]time.Time{}
	if err == nil {
		err = readRecords(db, `SELECT record FROM origins`, func(r OriginRecord) error {
			var u *user
			if p := s.pools[r.PoolID]; p != nil {
				u = p.users[r.Username]
			}
			if u == nil {
				return fmt.Errorf("sign-in of user %s of pool %s, who is missing", r.Username, r.PoolID)
			}
			if u.origins == nil {
				u.origins, kept[u] = map[string]time.Time{}, map[string]time.Time{}
			}
			u.origins[r.Origin], kept[u][r.Origin] = r.Expires, r.Expires
			return nil
		})
	}
	if err == nil {
		err = readRecords(db, `SELECT record FROM refresh_tokens`, func(r RefreshTokenRecord) error {
			token, g := fromRefreshTokenRecord(r)
			s.refreshTokens[token] = g
			return nil
		})
	}
	if err == nil {
		err = readRecords(db, `SELECT record FROM outbox ORDER BY seq`, func(r MessageRecord) error {
			s.outbox = append(s.outbox, fromMessageRecord(r))
			return nil
		})
	}
	return kept, err
}

// readRecords decodes the record column of each row query returns.
func readRecords[R any](db *sql.DB, query string, each func(R) error) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		var r R
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		if err := each(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Close stops a Server opened with Open: it waits for the writes under way,
// closes the database and releases the directory's lock. Stop serving
// requests first. Close of a Server made by New does nothing.
func (s *Server) Close() error {
	if s.store == nil {
		return nil
	}
	return s.store.close()
}

// row is one change to one table: an upsert of record, or a delete when
// record is nil. keys names the key columns, vals their values.
type row struct {
	table  string
	keys   []string
	vals   []any
	record []byte
}

// diskStore writes batches of rows, each batch one operation's changes, in
// the order they were queued (the order of the operations under Server.mu).
// There is no writer goroutine: an operation waiting for its batch, when no
// commit is under way, commits everything queued itself, in one transaction;
// the operations that queued meanwhile wait for that commit or make the next
// one. So one request alone pays no hand-off to another goroutine, and
// concurrent ones share a commit.
type diskStore struct {
	db    *sql.DB
	lock  *flock.Flock
	stmts map[string]*sql.Stmt // prepared statements; used by the committer only

	// origins is each user's live sign-ins as last queued, so that a save
	// writes only the ones that changed. Guarded by Server.mu, not mu.
	origins map[*user]map[string]time.Time

	mu         sync.Mutex
	cond       *sync.Cond
	queue      [][]row
	queued     uint64 // batches queued so far; a batch's sequence number
	durable    uint64 // batches committed so far
	committing bool   // a waiter is committing (outside mu)
	err        error  // the first failed commit: from then on every operation fails
}

func newDiskStore(db *sql.DB, lock *flock.Flock) *diskStore {
	d := &diskStore{db: db, lock: lock, stmts: map[string]*sql.Stmt{}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

// enqueue queues one batch and returns its sequence number; with no rows it
// returns the number of the last batch queued, so that an operation that
// changed nothing still waits for the changes it may have seen.
func (d *diskStore) enqueue(rows []row) uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(rows) > 0 {
		d.queue = append(d.queue, rows)
		d.queued++
	}
	return d.queued
}

// wait returns once batch seq is committed, committing the queue itself
// when no one else is, or returns the error that stopped the writes.
func (d *diskStore) wait(seq uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.durable < seq && d.err == nil {
		if d.committing {
			d.cond.Wait()
			continue
		}
		batches, upTo := d.queue, d.queued
		d.queue, d.committing = nil, true
		d.mu.Unlock()
		err := d.commit(batches)
		d.mu.Lock()
		d.committing = false
		if err != nil && d.err == nil {
			d.err = err
			log.Printf("cognitolocal: writing the data directory failed, so every request now fails: %v", err)
		}
		if err == nil {
			d.durable = upTo
		}
		d.cond.Broadcast()
	}
	return d.err
}

// failed reports the error that stopped the writes, if any.
func (d *diskStore) failed() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// commit writes batches in one transaction.
func (d *diskStore) commit(batches [][]row) error {
	// Statements are prepared before the transaction takes the one
	// connection.
	for _, rows := range batches {
		for _, r := range rows {
			if _, err := d.prepared(r.sql()); err != nil {
				return fmt.Errorf("table %s: %w", r.table, err)
			}
		}
	}
	tx, err := d.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, rows := range batches {
		for _, r := range rows {
			if _, err := tx.Stmt(d.stmts[r.sql()]).Exec(r.args()...); err != nil {
				return fmt.Errorf("table %s: %w", r.table, err)
			}
		}
	}
	return tx.Commit()
}

// prepared returns the statement of query, prepared once (SQLite's parsing
// costs about as much as the write itself). Only the committer calls it.
func (d *diskStore) prepared(query string) (*sql.Stmt, error) {
	if st, ok := d.stmts[query]; ok {
		return st, nil
	}
	st, err := d.db.Prepare(query)
	if err != nil {
		return nil, err
	}
	d.stmts[query] = st
	return st, nil
}

// statements caches each table's upsert and delete statement text.
var statements sync.Map // string -> string

func (r row) sql() string {
	key := r.table + "\x00" + strings.Join(r.keys, ",")
	if r.record == nil {
		key += "\x00delete"
	}
	if q, ok := statements.Load(key); ok {
		return q.(string)
	}
	var q string
	if r.record == nil {
		q = "DELETE FROM " + r.table + " WHERE " + strings.Join(r.keys, " = ? AND ") + " = ?"
	} else {
		cols := append(append([]string(nil), r.keys...), "record")
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
		if len(r.keys) == 0 { // a row without a key of its own (the outbox): always new
			q = "INSERT INTO " + r.table + " (record) VALUES (?)"
		} else {
			q = "INSERT INTO " + r.table + " (" + strings.Join(cols, ", ") + ") VALUES (" + marks +
				") ON CONFLICT (" + strings.Join(r.keys, ", ") + ") DO UPDATE SET record = excluded.record"
		}
	}
	statements.Store(key, q)
	return q
}

func (r row) args() []any {
	if r.record == nil {
		return r.vals
	}
	return append(append([]any(nil), r.vals...), r.record)
}

func (d *diskStore) close() error {
	d.mu.Lock()
	last := d.queued
	d.mu.Unlock()
	err := d.wait(last) // anything queued and not yet waited for
	for _, st := range d.stmts {
		st.Close()
	}
	if cerr := d.db.Close(); err == nil {
		err = cerr
	}
	if uerr := d.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}
