package flow

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// WithClientIP makes every sign-in call of the Client (InitiateAuth and
// RespondToAuthChallenge) carry ip, the address of the person signing in,
// as UserContextData.IpAddress. A server that signs people in on their
// behalf uses it so that Cognito's threat protection judges each person by
// their own address, not the server's. Cognito takes it only from an app
// client with EnablePropagateAdditionalUserContextData, which needs a
// client secret. An empty ip sends nothing.
func WithClientIP(ip string) Option { return func(c *Client) { c.clientIP = ip } }

// userContext is the UserContextData of a sign-in call: nil without an address.
func (c *Client) userContext() *types.UserContextDataType {
	if c.clientIP == "" {
		return nil
	}
	return &types.UserContextDataType{IpAddress: aws.String(c.clientIP)}
}
