package peers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// mfaSetupProxy sits between the SDK and moto and fixes moto's one known wire
// bug (diffMFASetupArray): it re-encodes ChallengeParameters.MFAS_CAN_SETUP
// from a JSON array into a JSON string holding that array, as Cognito sends
// it. Nothing else is touched, so any other departure still reaches the SDK.
type mfaSetupProxy struct {
	url string

	mu       sync.Mutex
	rewrites []string // each rewrite, "before -> after"
}

func newMFASetupProxy(t *testing.T, motoURL string) *mfaSetupProxy {
	t.Helper()
	target, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &mfaSetupProxy{}
	fw := &forwarder{target: target, modify: p.modify}
	srv := httptest.NewServer(fw)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// Rewrites returns what the proxy has rewritten so far.
func (p *mfaSetupProxy) Rewrites() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.rewrites...)
}

func (p *mfaSetupProxy) modify(body []byte) []byte {
	out, before, after, ok := fixMFASetup(body)
	if ok {
		p.mu.Lock()
		p.rewrites = append(p.rewrites, before+" -> "+after)
		p.mu.Unlock()
	}
	return out
}

// fixMFASetup rewrites MFAS_CAN_SETUP when it is a JSON array. It reports the
// value before and after, and false when there was nothing to rewrite.
func fixMFASetup(body []byte) (out []byte, before, after string, ok bool) {
	var msg map[string]json.RawMessage
	if json.Unmarshal(body, &msg) != nil {
		return body, "", "", false
	}
	var params map[string]json.RawMessage
	if json.Unmarshal(msg["ChallengeParameters"], &params) != nil {
		return body, "", "", false
	}
	v, found := params["MFAS_CAN_SETUP"]
	if !found || !bytes.HasPrefix(bytes.TrimSpace(v), []byte("[")) {
		return body, "", "", false
	}
	var compact bytes.Buffer
	if json.Compact(&compact, v) != nil {
		return body, "", "", false
	}
	s, _ := json.Marshal(compact.String())
	params["MFAS_CAN_SETUP"] = s
	msg["ChallengeParameters"], _ = json.Marshal(params)
	out, err := json.Marshal(msg)
	if err != nil {
		return body, "", "", false
	}
	return out, string(v), string(s), true
}

// forwarder sends each request to target unchanged and passes JSON answers
// through modify.
type forwarder struct {
	target *url.URL
	modify func([]byte) []byte
}

func (fw *forwarder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	u := *fw.target
	u.Path, u.RawQuery = r.URL.Path, r.URL.RawQuery
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		out = fw.modify(out)
	}
	for k, vs := range resp.Header {
		if k == "Content-Length" || k == "Connection" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

func TestFixMFASetupRewritesOnlyTheArray(t *testing.T) {
	in := `{"ChallengeName": "MFA_SETUP", "Session": "s", "ChallengeParameters": {"MFAS_CAN_SETUP": ["SOFTWARE_TOKEN_MFA"]}}`
	out, before, after, ok := fixMFASetup([]byte(in))
	if !ok || before != `["SOFTWARE_TOKEN_MFA"]` || after != `"[\"SOFTWARE_TOKEN_MFA\"]"` {
		t.Fatalf("rewrite %v: %s -> %s", ok, before, after)
	}
	var got struct {
		ChallengeName       string
		Session             string
		ChallengeParameters map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("rewritten body does not decode as Cognito's shape: %v\n%s", err, out)
	}
	if got.ChallengeName != "MFA_SETUP" || got.Session != "s" || got.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("rewritten body %s", out)
	}
	for _, keep := range []string{
		`{"ChallengeName":"MFA_SETUP","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]"}}`, // Cognito's form
		`{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeParameters":{}}`,
		`{"__type":"NotAuthorizedException","message":"x"}`,
		`not json`,
	} {
		if out, _, _, ok := fixMFASetup([]byte(keep)); ok || string(out) != keep {
			t.Errorf("%s was rewritten to %s", keep, out)
		}
	}
}
