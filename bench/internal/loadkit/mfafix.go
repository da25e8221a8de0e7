// Package loadkit holds what the load driver and its tests share: the moto
// workaround, the timing of each Cognito call and the percentile arithmetic.
package loadkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// FixMFASetup rewrites ChallengeParameters.MFAS_CAN_SETUP from a JSON array
// (moto's wire bug) into the JSON string holding that array that Cognito
// sends and the SDK expects. Any other body comes back unchanged, with false.
func FixMFASetup(body []byte) ([]byte, bool) {
	if !bytes.Contains(body, []byte(`"MFAS_CAN_SETUP"`)) {
		return body, false
	}
	var msg map[string]json.RawMessage
	if json.Unmarshal(body, &msg) != nil {
		return body, false
	}
	var params map[string]json.RawMessage
	if json.Unmarshal(msg["ChallengeParameters"], &params) != nil {
		return body, false
	}
	v, found := params["MFAS_CAN_SETUP"]
	if !found || !bytes.HasPrefix(bytes.TrimSpace(v), []byte("[")) {
		return body, false
	}
	var compact bytes.Buffer
	if json.Compact(&compact, v) != nil {
		return body, false
	}
	params["MFAS_CAN_SETUP"], _ = json.Marshal(compact.String())
	msg["ChallengeParameters"], _ = json.Marshal(params)
	out, err := json.Marshal(msg)
	if err != nil {
		return body, false
	}
	return out, true
}

// FixingTransport reads every answer whole and passes it through
// FixMFASetup. The load driver puts it in front of every target, not only
// moto, so that each does the same client-side work.
type FixingTransport struct {
	Next http.RoundTripper
}

func (t FixingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.Next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body, _ = FixMFASetup(body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return resp, nil
}
