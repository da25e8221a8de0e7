package flow

import "github.com/cognito-totp/cognito-totp/internal/secrethash"

// SecretHash is Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username+clientID)).
// username must be the name Cognito returned (USER_ID_FOR_SRP / USERNAME), not an alias.
func SecretHash(clientSecret, username, clientID string) string {
	return secrethash.Of(clientSecret, username, clientID)
}
