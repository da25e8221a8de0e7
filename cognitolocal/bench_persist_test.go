package cognitolocal

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// BenchmarkSignIn is one sign-in answered with tokens (USER_PASSWORD_AUTH,
// pool MFA OFF) through ServeHTTP, in memory and with a data directory, from
// GOMAXPROCS goroutines at once: what keeping the data costs a sign-in (a
// refresh token and the user's new origin, committed before the answer).
// cpu-ns/op is the process's CPU per sign-in on all cores.
func BenchmarkSignIn(b *testing.B) {
	for _, mode := range []string{"memory", "datadir"} {
		b.Run(mode, func(b *testing.B) {
			s := New(Options{})
			if mode == "datadir" {
				var err error
				if s, err = Open(b.TempDir(), Options{}); err != nil {
					b.Fatal(err)
				}
				defer s.Close()
			}
			out := benchCall(b, s, "CreateUserPool", true, map[string]any{"PoolName": "bench"})
			poolID := out["UserPool"].(map[string]any)["Id"].(string)
			out = benchCall(b, s, "CreateUserPoolClient", true, map[string]any{"UserPoolId": poolID, "ClientName": "bench",
				"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
			clientID := out["UserPoolClient"].(map[string]any)["ClientId"].(string)
			users := make([]string, 256)
			for i := range users {
				users[i] = fmt.Sprintf("u%04d", i)
				benchCall(b, s, "AdminCreateUser", true, map[string]any{"UserPoolId": poolID, "Username": users[i],
					"TemporaryPassword": "Temp-Passw0rd!", "MessageAction": "SUPPRESS"})
				benchCall(b, s, "AdminSetUserPassword", true, map[string]any{"UserPoolId": poolID, "Username": users[i],
					"Password": "N3w-Passw0rd!", "Permanent": true})
			}
			if _, err := s.signingKey(); err != nil {
				b.Fatal(err)
			}
			var next atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := processCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					u := users[int(next.Add(1))%len(users)]
					out := benchCall(b, s, "InitiateAuth", false, map[string]any{"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientID,
						"AuthParameters": map[string]string{"USERNAME": u, "PASSWORD": "N3w-Passw0rd!"}})
					if _, ok := out["AuthenticationResult"]; !ok {
						b.Errorf("no tokens: %v", out)
						return
					}
				}
			})
			if cpu1, ok := processCPU(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
