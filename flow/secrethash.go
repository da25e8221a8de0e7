package flow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// SecretHash is Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username+clientID)).
// username must be the name Cognito returned (USER_ID_FOR_SRP / USERNAME), not an alias.
func SecretHash(clientSecret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
