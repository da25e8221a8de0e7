package cognitolocal

import (
	"database/sql"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// notKept lists the fields of the in-memory structs that a data directory
// does not keep, each with the reason; every other field must survive the
// round trip through its record.
var notKept = map[string]string{
	"pool.users":         "users have rows of their own",
	"user.origins":       "live sign-ins have rows of their own (OriginRecord)",
	"user.srpVerifier":   "derived from srpX again at the next SRP sign-in",
	"user.codeLock":      "lockouts after wrong codes start afresh after a restart",
	"user.passwordLock":  "lockouts after wrong passwords start afresh after a restart",
	"client.contextSeen": "the addresses of recent sign-ins, recorded for tests, not state a client keeps",
}

// Every field of a pool, client, user and refresh grant, filled with a
// value of its own, comes back equal from its record after JSON encoding and
// decoding: a field added to one of them without its record fails here.
func TestRecordsRoundTrip(t *testing.T) {
	check := func(name string, orig, back any) {
		t.Helper()
		ov, bv := reflect.ValueOf(orig).Elem(), reflect.ValueOf(back).Elem()
		for i := range ov.NumField() {
			f := ov.Type().Field(i)
			key := name + "." + f.Name
			if _, skip := notKept[key]; skip {
				continue
			}
			if !reflect.DeepEqual(reveal(ov.Field(i)).Interface(), reveal(bv.Field(i)).Interface()) {
				t.Errorf("%s does not survive its record: add it to the record type and both conversions in records.go, or to notKept with the reason", key)
			}
		}
	}
	viaJSON := func(in, out any) {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}

	p := &pool{}
	fill(reflect.ValueOf(p).Elem(), 1)
	var pr PoolRecord
	for name, g := range p.groups {
		g.name = name // a group is kept under its own name, as every handler keeps it
	}
	viaJSON(toPoolRecord(p), &pr)
	check("pool", p, fromPoolRecord(pr))

	c := &client{}
	fill(reflect.ValueOf(c).Elem(), 2)
	var cr ClientRecord
	viaJSON(toClientRecord(c), &cr)
	check("client", c, fromClientRecord(cr))

	u := &user{}
	fill(reflect.ValueOf(u).Elem(), 3)
	var ur UserRecord
	viaJSON(toUserRecord("pool-id", u), &ur)
	check("user", u, fromUserRecord(ur))

	g := &refreshGrant{}
	fill(reflect.ValueOf(g).Elem(), 4)
	var gr RefreshTokenRecord
	viaJSON(toRefreshTokenRecord("token", g), &gr)
	token, back := fromRefreshTokenRecord(gr)
	if token != "token" {
		t.Errorf("the refresh token itself does not survive its record")
	}
	check("refreshGrant", g, back)

	m := &Message{}
	fill(reflect.ValueOf(m).Elem(), 5)
	var mr MessageRecord
	viaJSON(toMessageRecord(*m), &mr)
	mb := fromMessageRecord(mr)
	check("Message", m, &mb)
}

// reveal makes an unexported field readable.
func reveal(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fill sets every field of v, recursively, to a value that is not its zero
// value and differs from field to field (n counts).
func fill(v reflect.Value, n int) int {
	if v.CanAddr() && !v.CanSet() {
		v = reveal(v)
	}
	switch {
	case v.Type() == reflect.TypeOf(time.Time{}):
		v.Set(reflect.ValueOf(time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC)))
		return n + 1
	case v.Type() == reflect.TypeOf(&big.Int{}):
		v.Set(reflect.ValueOf(big.NewInt(int64(1000 + n))))
		return n + 1
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(n))
	case reflect.Uint8:
		v.SetUint(uint64(n))
	case reflect.Struct:
		for i := range v.NumField() {
			n = fill(v.Field(i), n)
		}
		return n
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		n = fill(s.Index(0), n)
		v.Set(s)
		return n
	case reflect.Array:
		for i := range v.Len() {
			n = fill(v.Index(i), n)
		}
		return n
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		n = fill(k, n)
		n = fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
		return n
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		n = fill(p.Elem(), n)
		v.Set(p)
		return n
	default:
		panic("fill: add a case for " + v.Type().String())
	}
	return n + 1
}

// An older directory is upgraded by the migrations it lacks, keeping its
// data; a newer one is refused with a sentence naming it.
func TestDataDirSchemaVersions(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, aerr := s.run(operations["CreateUserPool"], []byte(`{"PoolName":"kept"}`))
	if aerr != nil {
		t.Fatal(aerr.Message)
	}
	poolID := out.(map[string]any)["UserPool"].(userPoolJSON).Id
	must(t, s.Close())

	// A build with one more migration upgrades the directory and keeps the pool.
	next := append(append([]string(nil), migrations...), `CREATE TABLE later (id TEXT PRIMARY KEY, record BLOB NOT NULL)`)
	s, err = openWith(dir, Options{}, next)
	if err != nil {
		t.Fatalf("upgrading an older directory: %v", err)
	}
	if _, ok := s.pools[poolID]; !ok {
		t.Error("the upgrade lost the pool")
	}
	must(t, s.Close())
	db, err := sql.Open("sqlite", dir+"/"+dbFile)
	must(t, err)
	var version int
	must(t, db.QueryRow(`SELECT version FROM schema_version`).Scan(&version))
	if _, err := db.Exec(`INSERT INTO later (id, record) VALUES ('x', 'y')`); err != nil || version != len(next) {
		t.Errorf("after the upgrade: version %d (want %d), the new table: %v", version, len(next), err)
	}
	db.Close()

	// This build, older than that directory now, refuses it.
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrNewerDataDir) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "newer cognito-totp") {
		t.Errorf("opening a newer directory = %v, want a refusal naming %s", err, dir)
	}
	// The refusal released the directory: the newer build opens it again.
	s, err = openWith(dir, Options{}, next)
	if err != nil {
		t.Fatalf("after a refusal: %v", err)
	}
	must(t, s.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The database runs in WAL mode with synchronous=NORMAL (persist.go says
// why), and its files are the owner's only: they hold password hashes and
// TOTP secrets.
func TestDataDirDatabaseSettings(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	var sync int
	must(t, s.store.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	must(t, s.store.db.QueryRow(`PRAGMA synchronous`).Scan(&sync))
	if mode != "wal" || sync != 1 {
		t.Errorf("journal_mode %q, synchronous %d; want wal and 1 (NORMAL)", mode, sync)
	}
	for _, name := range []string{dbFile, dbFile + "-wal", lockFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
}
