package cognitolocal

import (
	"database/sql"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
)

// ServedOperations is every X-Amz-Target operation name the Server answers,
// sorted: the model test checks each against the published API model.
func ServedOperations() []string { return slices.Sorted(maps.Keys(operations)) }

// StateRecords returns, encoded and sorted, every record a data directory
// keeps of s: what must be the same before and after a restart.
func StateRecords(s *Server) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	add := func(kind string, r any) {
		b, err := json.Marshal(r)
		if err != nil {
			panic(err)
		}
		out = append(out, kind+" "+string(b))
	}
	for _, p := range s.pools {
		add("pool", toPoolRecord(p))
		for _, u := range p.users {
			add("user", toUserRecord(p.id, u))
			for o, until := range u.origins {
				add("origin", OriginRecord{PoolID: p.id, Username: u.username, Origin: o, Expires: until})
			}
		}
	}
	for _, c := range s.clients {
		add("client", toClientRecord(c))
	}
	for token, g := range s.refreshTokens {
		add("refresh", toRefreshTokenRecord(token, g))
	}
	for i, m := range s.outbox {
		add("message", struct {
			N int
			M MessageRecord
		}{i, toMessageRecord(m)})
	}
	k, err := s.signingKey()
	if err != nil {
		panic(err)
	}
	add("key", k.kid)
	add("fake", s.fakeKey)
	slices.Sort(out)
	return out
}

// DiskRecords is StateRecords of the state stored in dir's database, read
// beside the Server that has it open.
func DiskRecords(dir string) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, dbFile)+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	s := newServer(Options{}, nil)
	if _, err := s.load(db); err != nil {
		return nil, err
	}
	return StateRecords(s), nil
}
