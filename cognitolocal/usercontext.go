package cognitolocal

// UserContextData: a server that signs people in on their behalf (serve, a
// web back end) passes each person's own address in InitiateAuth and
// RespondToAuthChallenge, so that threat protection judges each person by
// their address, not the server's. Cognito uses it only when the app client
// has EnablePropagateAdditionalUserContextData, which needs a client secret.
// Threat protection is not modelled here: the address is only recorded, so a
// test can see what a client sent.

// msgPropagateNeedsSecret refuses EnablePropagateAdditionalUserContextData on
// a client without a secret, as the API reference says Cognito does (its
// exact wording is not documented; this is ours).
const msgPropagateNeedsSecret = "EnablePropagateAdditionalUserContextData can only be enabled for an app client with a client secret."

// maxContextSeen bounds the addresses a client records.
const maxContextSeen = 1000

type userContextDataJSON struct {
	IpAddress   string
	EncodedData string
}

// UserContext is what one sign-in call carried as UserContextData.
type UserContext struct {
	Operation string // InitiateAuth or RespondToAuthChallenge
	IPAddress string // "" when the call carried none
}

// noteContext records the address a sign-in call carried. Called under s.mu.
func (c *client) noteContext(op string, d *userContextDataJSON) {
	seen := UserContext{Operation: op}
	if d != nil {
		seen.IPAddress = d.IpAddress
	}
	if len(c.contextSeen) >= maxContextSeen {
		c.contextSeen = c.contextSeen[1:]
	}
	c.contextSeen = append(c.contextSeen, seen)
}

// UserContexts returns what each InitiateAuth and RespondToAuthChallenge for
// the app client carried as UserContextData.IpAddress, oldest first (the
// last 1000), and whether the client has
// EnablePropagateAdditionalUserContextData.
func (s *Server) UserContexts(clientID string) (seen []UserContext, propagated bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[clientID]
	if !ok {
		return nil, false
	}
	return append([]UserContext(nil), c.contextSeen...), c.propagateContext
}
