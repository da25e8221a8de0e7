package cognitolocal

import (
	"net/http"
	"time"
)

// Fault makes the server misbehave on purpose, for tests of clients: answer
// with an error, answer late, or drop the connection.
type Fault struct {
	Operation string        // the operation it applies to, e.g. "InitiateAuth"; "" = any
	Times     int           // how many requests it applies to; 0 = until ClearFaults
	Exception string        // the error to answer with, e.g. "TooManyRequestsException"; "" = none
	Message   string        // the error's message
	Status    int           // the HTTP status; 0 = 500 for InternalErrorException, else 400
	Delay     time.Duration // wait this long first (cut short when the client goes away)
	Drop      bool          // close the connection without answering
}

// InjectFault adds f. Faults apply in ServeHTTP, before the operation runs, in
// the order injected; the first that matches a request applies to it. A fault
// with only a Delay delays the request, which then runs normally.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the fault for a request to operation name, counting it.
func (s *Server) takeFault(name string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Operation != "" && f.Operation != name {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return out, true
	}
	return Fault{}, false
}

// applyFault carries out the fault for this request, if any. It reports
// whether the request has been dealt with (answered or dropped).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, name string) bool {
	f, ok := s.takeFault(name)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true // the client has gone: nobody to answer
		}
	}
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the response instead
	}
	if f.Exception == "" {
		return false
	}
	status := f.Status
	if status == 0 {
		status = http.StatusBadRequest
		if f.Exception == excInternal {
			status = http.StatusInternalServerError
		}
	}
	writeError(w, &apiError{Type: f.Exception, Message: f.Message, Status: status})
	return true
}
