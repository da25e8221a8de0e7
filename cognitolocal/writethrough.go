package cognitolocal

import (
	"encoding/json"
	"maps"
)

// Write-through to a data directory (persist.go). A handler that changes an
// entity says so with one call where its change is complete (savePool,
// saveClient, saveUser, saveOrigins, saveRefreshToken; deliver does it for
// the outbox).
// Server.run then, still under the lock, turns every entity marked during
// the operation into its record, queues them as one batch, and sends the
// answer only once that batch is committed. Without a data directory these
// calls do nothing.

// pendingWrites is what the current operation changed. Guarded by Server.mu.
type pendingWrites struct {
	pools    map[*pool]struct{}
	clients  map[*client]struct{}
	users    map[*user]struct{}
	origins  map[*user]struct{}  // users whose live sign-ins alone changed
	tokens   map[string]struct{} // refresh tokens issued or forgotten
	messages []Message
}

func (s *Server) savePool(p *pool) {
	if s.store != nil {
		s.writes.pools = markDirty(s.writes.pools, p)
	}
}

func (s *Server) saveClient(c *client) {
	if s.store != nil {
		s.writes.clients = markDirty(s.writes.clients, c)
	}
}

func (s *Server) saveUser(u *user) {
	if s.store != nil {
		s.writes.users = markDirty(s.writes.users, u)
	}
}

// saveOrigins marks a change to u's live sign-ins alone (a sign-in): only
// those rows are written, not the user's.
func (s *Server) saveOrigins(u *user) {
	if s.store != nil {
		s.writes.origins = markDirty(s.writes.origins, u)
	}
}

// saveRefreshToken marks a refresh token issued (it is in s.refreshTokens) or
// forgotten (it is not).
func (s *Server) saveRefreshToken(token string) {
	if s.store != nil {
		s.writes.tokens = markDirty(s.writes.tokens, token)
	}
}

func (s *Server) saveMessage(m Message) {
	if s.store != nil {
		s.writes.messages = append(s.writes.messages, m)
	}
}

func markDirty[K comparable](m map[K]struct{}, k K) map[K]struct{} {
	if m == nil {
		m = map[K]struct{}{}
	}
	m[k] = struct{}{}
	return m
}

// commitWrites queues the current operation's changes, as they are now, and
// returns the sequence number to wait for before answering (0 without a data
// directory). Under s.mu.
func (s *Server) commitWrites() uint64 {
	if s.store == nil {
		return 0
	}
	w := s.writes
	s.writes = pendingWrites{}
	var rows []row
	put := func(table string, keys []string, vals []any, record any) {
		b, err := json.Marshal(record)
		if err != nil {
			panic(err) // records are plain data: they always encode
		}
		rows = append(rows, row{table: table, keys: keys, vals: vals, record: b})
	}
	del := func(table string, keys []string, vals []any) {
		rows = append(rows, row{table: table, keys: keys, vals: vals})
	}
	for p := range w.pools {
		put("pools", []string{"id"}, []any{p.id}, toPoolRecord(p))
	}
	for c := range w.clients {
		put("clients", []string{"id"}, []any{c.id}, toClientRecord(c))
	}
	for u := range w.users {
		if p := s.poolOf(u); p != nil {
			put("users", []string{"pool_id", "username"}, []any{p.id, u.username}, toUserRecord(p.id, u))
			s.originRows(p, u, put, del)
		}
	}
	for u := range w.origins {
		if _, done := w.users[u]; !done {
			if p := s.poolOf(u); p != nil {
				s.originRows(p, u, put, del)
			}
		}
	}
	for token := range w.tokens {
		if g, ok := s.refreshTokens[token]; ok {
			put("refresh_tokens", []string{"token"}, []any{token}, toRefreshTokenRecord(token, g))
		} else {
			del("refresh_tokens", []string{"token"}, []any{token})
		}
	}
	for _, m := range w.messages {
		put("outbox", nil, nil, toMessageRecord(m))
	}
	return s.store.enqueue(rows)
}

// originRows adds the changes to u's live sign-ins since they were last
// queued: a row for each new one, a delete for each ended one (all of them
// at once after a global sign-out). Under s.mu.
func (s *Server) originRows(p *pool, u *user, put func(string, []string, []any, any), del func(string, []string, []any)) {
	keys := []string{"pool_id", "username", "origin"}
	was := s.store.origins[u]
	if len(u.origins) == 0 && len(was) > 0 {
		del("origins", keys[:2], []any{p.id, u.username})
	} else {
		for o := range was {
			if _, live := u.origins[o]; !live {
				del("origins", keys, []any{p.id, u.username, o})
			}
		}
	}
	for o, until := range u.origins {
		if old, ok := was[o]; !ok || !old.Equal(until) {
			put("origins", keys, []any{p.id, u.username, o}, OriginRecord{PoolID: p.id, Username: u.username, Origin: o, Expires: until})
		}
	}
	if len(u.origins) == 0 {
		delete(s.store.origins, u)
	} else {
		s.store.origins[u] = maps.Clone(u.origins)
	}
}

// poolOf finds the pool u belongs to (there are few pools).
func (s *Server) poolOf(u *user) *pool {
	for _, p := range s.pools {
		if p.users[u.username] == u {
			return p
		}
	}
	return nil
}

// durable waits until batch seq is committed (at once without a data
// directory).
func (s *Server) durable(seq uint64) *apiError {
	if s.store == nil {
		return nil
	}
	if err := s.store.wait(seq); err != nil {
		return errInternal()
	}
	return nil
}

// storeFailed refuses every operation once a write to the data directory
// has failed: memory then holds changes the disk does not.
func (s *Server) storeFailed() *apiError {
	if s.store != nil && s.store.failed() != nil {
		return errInternal()
	}
	return nil
}

// commitAll queues every entity, for changes made outside an operation
// (SeedDemo). Under s.mu.
func (s *Server) commitAll() uint64 {
	if s.store == nil {
		return 0
	}
	for _, p := range s.pools {
		s.savePool(p)
		for _, u := range p.users {
			s.saveUser(u)
		}
	}
	for _, c := range s.clients {
		s.saveClient(c)
	}
	for token := range s.refreshTokens {
		s.saveRefreshToken(token)
	}
	return s.commitWrites()
}

// unlockSeeded ends a change made outside an operation (SeedDemo,
// SeedCrowd): it queues every entity, releases s.mu and waits for the
// commit. A failed commit stops the store (every later request fails, and
// the failure is logged), so there is nothing more to return here.
func (s *Server) unlockSeeded() {
	seq := s.commitAll()
	s.mu.Unlock()
	s.durable(seq) // its error is logged and stops the store (see above)
}
