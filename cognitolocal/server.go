package cognitolocal

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	Clock  Clock  // nil means real time
	Region string // default "us-east-1"; pool IDs are "<Region>_<9 alnum>"
}

// Server is an in-memory Cognito user-pools endpoint. It is an http.Handler and
// is safe for concurrent use: one mutex guards the whole store.
type Server struct {
	clock  Clock
	region string

	// signingKey is the RSA key that signs access and ID tokens, and its kid.
	// Generating it takes tens of milliseconds of a core, so the first
	// request starts it in the background (startKey) and the first token
	// waits for it: the wizard's demo, which makes a Server just before its
	// first frame, does not share the processor with it while drawing.
	signingKey func() (signingKey, error)
	startKey   sync.Once
	// srpRandom is where SRP's secret b comes from (crypto/rand; a test may
	// make it slow to show the math runs outside the lock).
	srpRandom io.Reader
	// fakeKey derives the stable SRP salt and verifier shown for users that
	// do not exist when a client has PreventUserExistenceErrors ENABLED.
	fakeKey [32]byte

	mu            sync.Mutex
	pools         map[string]*pool
	clients       map[string]*client
	sessions      map[string]*session
	issuedSweeped int                      // sessions issued since the last sweep of old ones
	refreshTokens map[string]*refreshGrant // refresh.go
	refreshIssued int                      // refresh tokens issued since the last sweep
	outbox        []Message                // every code delivered (outbox.go)
	pending       []Message                // delivered during the current operation, for onMessage
	onMessage     []func(Message)          // called outside the lock
	faults        []*Fault                 // injected faults (faults.go)
	acceptedSteps map[string][]int64       // per TOTP secret, the steps of codes accepted, while in the window (totp.go)

	store  *diskStore    // nil in memory; the data directory otherwise (persist.go)
	writes pendingWrites // the current operation's changes, for store (writethrough.go)
}

type signingKey struct {
	key *rsa.PrivateKey
	kid string
}

// New returns an empty Server that keeps everything in memory. Its first
// request starts making a 2048-bit RSA key for signing tokens. (Open makes
// one that keeps its state in a directory.)
func New(opts Options) *Server {
	return newServer(opts, sync.OnceValues(generateSigningKey))
}

func generateSigningKey() (signingKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return signingKey{}, err
	}
	return signingKey{key: key, kid: keyID(&key.PublicKey)}, nil
}

// newServer returns an empty Server that signs with keyOnce's key.
func newServer(opts Options, keyOnce func() (signingKey, error)) *Server {
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	region := opts.Region
	if region == "" {
		region = "us-east-1"
	}
	var fakeKey [32]byte
	rand.Read(fakeKey[:])
	return &Server{
		fakeKey:    fakeKey,
		clock:      clock,
		region:     region,
		signingKey: keyOnce,
		srpRandom:  rand.Reader,
		pools:      map[string]*pool{},
		clients:    map[string]*client{},
		sessions:   map[string]*session{},

		refreshTokens: map[string]*refreshGrant{},
	}
}

const (
	targetPrefix = "AWSCognitoIdentityProviderService."
	maxBodyBytes = 1 << 20
	contentType  = "application/x-amz-json-1.1"
)

// operation is one X-Amz-Target. Admin operations need a SigV4 Authorization
// header (present, not verified); the others are unsigned in the service model.
type operation struct {
	admin bool
	run   func(s *Server, body []byte) (any, *apiError)
}

// op adapts a typed handler: it decodes the body into In, then calls f.
func op[In any](admin bool, f func(*Server, *In) (any, *apiError)) operation {
	return operation{admin: admin, run: func(s *Server, body []byte) (any, *apiError) {
		in := new(In)
		if err := decodeBody(body, in); err != nil {
			return nil, err
		}
		return f(s, in)
	}}
}

var operations = map[string]operation{
	"CreateUserPool":            op(true, (*Server).createUserPool),
	"DescribeUserPool":          op(true, (*Server).describeUserPool),
	"SetUserPoolMfaConfig":      op(true, (*Server).setUserPoolMfaConfig),
	"GetUserPoolMfaConfig":      op(true, (*Server).getUserPoolMfaConfig),
	"CreateUserPoolClient":      op(true, (*Server).createUserPoolClient),
	"DescribeUserPoolClient":    op(true, (*Server).describeUserPoolClient),
	"AdminCreateUser":           op(true, (*Server).adminCreateUser),
	"AdminSetUserPassword":      op(true, (*Server).adminSetUserPassword),
	"AdminGetUser":              op(true, (*Server).adminGetUser),
	"AdminDisableUser":          op(true, (*Server).adminDisableUser),
	"AdminEnableUser":           op(true, (*Server).adminEnableUser),
	"InitiateAuth":              op(false, (*Server).initiateAuth),
	"RespondToAuthChallenge":    op(false, (*Server).respondToAuthChallenge),
	"AssociateSoftwareToken":    op(false, (*Server).associateSoftwareToken),
	"VerifySoftwareToken":       op(false, (*Server).verifySoftwareToken),
	"SetUserMFAPreference":      op(false, (*Server).setUserMFAPreference),
	"AdminSetUserMFAPreference": op(true, (*Server).adminSetUserMFAPreference),
	"GetUser":                   op(false, (*Server).getUser),
	"ListUsers":                 op(true, (*Server).listUsers),
	"AdminDeleteSoftwareToken":  op(true, (*Server).adminDeleteSoftwareToken),
	"AdminUserGlobalSignOut":    op(true, (*Server).adminUserGlobalSignOut),
	"GlobalSignOut":             op(false, (*Server).globalSignOut),
	"CreateGroup":               op(true, (*Server).createGroup),
	"GetGroup":                  op(true, (*Server).getGroup),
	"ListGroups":                op(true, (*Server).listGroups),
	"AdminAddUserToGroup":       op(true, (*Server).adminAddUserToGroup),
	"AdminListGroupsForUser":    op(true, (*Server).adminListGroupsForUser),
	"ListUsersInGroup":          op(true, (*Server).listUsersInGroup),
}

// ServeHTTP answers AWS JSON 1.1 requests (POST, X-Amz-Target) and
// GET /<poolId>/.well-known/jwks.json. It never panics: a panic inside an
// operation becomes a bare InternalErrorException.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v) // a dropped connection (faults.go): net/http aborts quietly
			}
			writeError(w, errInternal())
		}
	}()
	s.startKey.Do(func() {
		if s.signingKey != nil {
			go s.signingKey() // the first token reads the result, and its error
		}
	})
	// Date from the server's clock, not net/http's time.Now: clients read
	// Cognito's time from it, and a test's clock moves it.
	w.Header().Set("Date", s.clock.Now().UTC().Format(http.TimeFormat))
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		s.serveJWKS(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, GET")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	o, known := operations[name]
	if !ok || !known {
		writeError(w, newErr(excUnknownOperation, "The operation is not supported by this endpoint."))
		return
	}
	if o.admin {
		if err := checkSigned(r); err != nil {
			writeError(w, err)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, &apiError{Type: excSerialization, Message: "Request body is larger than 1 MiB.", Status: http.StatusRequestEntityTooLarge})
			return
		}
		writeError(w, newErr(excSerialization, "Could not read the request body."))
		return
	}
	// Faults apply once the body is read: only then does net/http notice a
	// client that hangs up, which cuts an injected Delay short.
	if s.applyFault(w, r, name) {
		return
	}
	out, aerr := s.run(o, body)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// finisher is an answer with costly work left that needs no lock: the
// signatures of a sign-in's tokens, the SRP math of a PASSWORD_VERIFIER
// challenge. finish returns the answer to send.
type finisher interface {
	finish(*Server) (any, *apiError)
}

// run executes one operation under the store's lock, then, outside the lock,
// finishes its answer and tells the OnMessage functions about codes it
// delivered. With a data directory, the answer waits until the operation's
// changes (and any it could have seen) are committed (writethrough.go).
func (s *Server) run(o operation, body []byte) (any, *apiError) {
	if err := s.storeFailed(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	out, err, sent, hooks, seq := func() (out any, err *apiError, sent []Message, hooks []func(Message), seq uint64) {
		defer s.mu.Unlock()
		defer func() { seq = s.commitWrites() }()
		out, err = o.run(s, body)
		sent, s.pending = s.pending, nil
		return out, err, sent, s.onMessage, 0
	}()
	for _, m := range sent {
		for _, f := range hooks {
			f(m)
		}
	}
	if f, ok := out.(finisher); ok && err == nil {
		out, err = f.finish(s) // signatures: they overlap the commit
	}
	if derr := s.durable(seq); derr != nil {
		return nil, derr
	}
	return out, err
}

// checkSigned accepts any SigV4 Authorization header (or presigned query)
// without verifying it: the endpoint has no AWS accounts to check against.
func checkSigned(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "AWS4-"), r.URL.Query().Get("X-Amz-Signature") != "":
		return nil
	case auth == "":
		return newErr(excMissingAuthToken, "Missing Authentication Token")
	default:
		return newErr(excIncompleteSignature, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
	}
}

// decodeBody reads a JSON object into v. An empty body counts as {}.
// Messages never quote the body: it may hold passwords or codes.
func decodeBody(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" && len(typeErr.Field) <= 100 && printable(typeErr.Field) {
		return newErr(excSerialization, "Wrong JSON type for member "+typeErr.Field+".")
	}
	return newErr(excSerialization, "The request body is not a valid JSON object.")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := []byte("{}")
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			status, b = http.StatusInternalServerError, mustErrorBody(errInternal())
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", newUUID())
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("x-amzn-ErrorType", e.Type)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", newUUID())
	w.WriteHeader(e.Status)
	w.Write(mustErrorBody(e))
}

func mustErrorBody(e *apiError) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Type, e.Message})
	return b
}

// epoch is how AWS JSON 1.1 sends timestamps: seconds since 1970 as a number.
type epoch float64

func toEpoch(t time.Time) epoch { return epoch(float64(t.UnixMilli()) / 1000) }
