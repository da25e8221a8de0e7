// Package secrethash is Cognito's SECRET_HASH, computed once for both sides:
// the client (flow) sends it, the local endpoint (cognitolocal) checks it.
package secrethash

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Of is Base64(HMAC-SHA256(key = client secret, message = username + client
// ID)). username must be the name Cognito knows the user by (USER_ID_FOR_SRP,
// USERNAME), not an alias the person typed: the hash of an alias is refused.
func Of(clientSecret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Equal compares a received hash with the expected one in constant time.
func Equal(given, want string) bool { return hmac.Equal([]byte(given), []byte(want)) }
