package loadkit

import (
	"encoding/json"
	"testing"
	"time"
)

func TestFixMFASetupRewritesOnlyMotosArray(t *testing.T) {
	in := `{"ChallengeName": "MFA_SETUP", "Session": "s", "ChallengeParameters": {"MFAS_CAN_SETUP": ["SOFTWARE_TOKEN_MFA"], "USER_ID_FOR_SRP": "u"}}`
	out, ok := FixMFASetup([]byte(in))
	if !ok {
		t.Fatal("moto's array was not rewritten")
	}
	var got struct {
		ChallengeName       string
		Session             string
		ChallengeParameters map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("rewritten body is not Cognito's shape: %v\n%s", err, out)
	}
	if got.ChallengeParameters["MFAS_CAN_SETUP"] != `["SOFTWARE_TOKEN_MFA"]` || got.Session != "s" || got.ChallengeParameters["USER_ID_FOR_SRP"] != "u" {
		t.Fatalf("rewritten body %s", out)
	}
	for _, keep := range []string{
		`{"ChallengeName":"MFA_SETUP","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]"}}`,
		`{"Status":"SUCCESS"}`,
		`not json "MFAS_CAN_SETUP"`,
	} {
		if out, ok := FixMFASetup([]byte(keep)); ok || string(out) != keep {
			t.Errorf("%s was rewritten to %s", keep, out)
		}
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond
	}
	s := Summarize(d)
	if s.N != 100 || s.P50ms != 50 || s.P99ms != 99 {
		t.Fatalf("summary %+v, want n 100, p50 50 ms, p99 99 ms", s)
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Fatalf("p99 of one sample %v", got)
	}
	if got := Median(nil); got != 0 {
		t.Fatalf("median of nothing %v", got)
	}
}
