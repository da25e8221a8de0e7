package cognitolocal

import "time"

// Message is one SMS or email code that Cognito would have sent. Nothing is
// sent: codes go to the server's outbox, where a demo can show them and tests
// can read them. Codes are secrets: this package never logs them.
type Message struct {
	Time        time.Time // by the server's Clock
	PoolID      string
	Username    string
	Medium      string // "SMS" or "EMAIL"
	Destination string // the phone number or address, unmasked
	Code        string
}

// Outbox returns a copy of every message delivered so far, oldest first.
func (s *Server) Outbox() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.outbox...)
}

// OnMessage registers f to be called with each message as it is delivered,
// after the request that made it has left the server's lock (so f may call
// back into the Server) and before that request's response is written. Every
// registered function is called, in the order registered.
func (s *Server) OnMessage(f func(Message)) {
	if f == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onMessage = append(s.onMessage, f)
}

// deliver files m in the outbox; run passes it to the OnMessage functions.
// Called under s.mu.
func (s *Server) deliver(m Message) {
	s.outbox = append(s.outbox, m)
	s.pending = append(s.pending, m)
	s.saveMessage(m)
}
