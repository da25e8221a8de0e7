// Command ceiling is the bare limit for the throughput benchmark: a plain
// net/http handler that answers the same five Cognito calls of an enrollment
// (and the admin calls that set a pool up) with JSON of Cognito's shape and
// size, doing nothing else: it decodes each request body, builds the answer
// and encodes it. No users, no checks, no crypto. Whatever cognito-totp local
// does beyond that is what its throughput is measured against.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	poolID   = "us-east-1_Ceiling01"
	clientID = "ceilingclient0000000000001"
	secret   = "CEILINGCEILINGCEILINGCEILINGCEIL" // 32 base32 characters, as Cognito's
)

var (
	// Tokens and sessions as long as cognito-totp local's (and Cognito's),
	// so the bytes on the wire are alike.
	accessToken  = strings.Repeat("a", 1000)
	idToken      = strings.Repeat("i", 1100)
	refreshToken = strings.Repeat("r", 128)
	serial       atomic.Int64
)

func session() string {
	n := strconv.FormatInt(serial.Add(1), 10)
	return "AYAB" + strings.Repeat("s", 171-len(n)) + n // 175 characters, as cognitolocal's
}

type handler struct{}

func (handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			reply(w, http.StatusBadRequest, map[string]any{"__type": "SerializationException", "message": "bad JSON"})
			return
		}
	}
	op, _ := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	str := func(m any, k string) string {
		if mm, ok := m.(map[string]any); ok {
			s, _ := mm[k].(string)
			return s
		}
		return ""
	}
	switch op {
	case "InitiateAuth":
		user := str(in["AuthParameters"], "USERNAME")
		reply(w, 200, map[string]any{"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session(),
			"ChallengeParameters": map[string]string{"USER_ID_FOR_SRP": user, "requiredAttributes": "[]", "userAttributes": "{}"}})
	case "RespondToAuthChallenge":
		user := str(in["ChallengeResponses"], "USERNAME")
		switch str(in, "ChallengeName") {
		case "NEW_PASSWORD_REQUIRED":
			reply(w, 200, map[string]any{"ChallengeName": "MFA_SETUP", "Session": session(),
				"ChallengeParameters": map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`, "USER_ID_FOR_SRP": user}})
		default:
			reply(w, 200, map[string]any{"ChallengeParameters": map[string]string{}, "AuthenticationResult": map[string]any{
				"AccessToken": accessToken, "IdToken": idToken, "RefreshToken": refreshToken, "ExpiresIn": 3600, "TokenType": "Bearer"}})
		}
	case "AssociateSoftwareToken":
		reply(w, 200, map[string]any{"SecretCode": secret, "Session": session()})
	case "VerifySoftwareToken":
		reply(w, 200, map[string]any{"Status": "SUCCESS", "Session": session()})
	case "CreateUserPool":
		reply(w, 200, map[string]any{"UserPool": map[string]any{"Id": poolID, "Name": str(in, "PoolName"), "MfaConfiguration": "OFF"}})
	case "SetUserPoolMfaConfig":
		reply(w, 200, map[string]any{"MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": map[string]bool{"Enabled": true}})
	case "CreateUserPoolClient":
		reply(w, 200, map[string]any{"UserPoolClient": map[string]any{"ClientId": clientID, "UserPoolId": poolID, "ClientName": str(in, "ClientName")}})
	case "AdminCreateUser":
		reply(w, 200, map[string]any{"User": map[string]any{"Username": str(in, "Username"), "Enabled": true, "UserStatus": "FORCE_CHANGE_PASSWORD"}})
	default:
		reply(w, 400, map[string]any{"__type": "UnknownOperationException", "message": "not in the ceiling"})
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "Ceiling endpoint on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: handler{}, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}
