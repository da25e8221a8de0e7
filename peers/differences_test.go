package peers

import (
	"testing"
)

// difference is one known way moto 5.2.1 departs from real Cognito, and why
// the tests may tolerate it.
type difference struct{ what, why string }

// The known differences, by index into motoDifferences.
const (
	diffConstantSecret = iota
	diffExactStep
	diffSessionsNeverExpire
	diffFakeSRP
	diffMFASetupArray
	diffSameSession
	diffVerifyError
	diffSessionErrors
	diffSecretsInMessages
	diffNoMFASetupAtSignIn
	diffAuthFlowsIgnored
	diffSecretHashIgnored
	diffNoValidation
	diffNewPasswordParams
	diffNoDeviceName
	diffNoAdminDeleteSoftwareToken
	diffRevokedMessage
	diffMfaConfigParts
	diffGroupMessages
)

// motoDifferences is the one list of moto's known departures from real
// Cognito (the project's Cognito reference is the specification). A test
// tolerates a difference only by naming its entry here; every other
// disagreement with Cognito fails.
var motoDifferences = []difference{
	diffConstantSecret: {
		what: `AssociateSoftwareToken returns the same 12-character SecretCode "asdfasdfasdf" to everybody; Cognito returns a random base32 secret of at least 16 (in practice 32) characters`,
		why:  "codes are still RFC 6238 over that secret, so the client's code computation and the whole protocol are exercised; only the secret's length and randomness are not",
	},
	diffExactStep: {
		what: "moto accepts only the code of the current 30 s step; Cognito also accepts the step before and after",
		why:  "stricter than Cognito: a client that works against moto works against Cognito; the tests wait for a fresh step when fewer than 3 s are left",
	},
	diffSessionsNeverExpire: {
		what: "moto's sessions never expire; Cognito's expire after the app client's AuthSessionValidity (3 to 15 minutes)",
		why:  "not exercised here: expiry would take minutes of real time against moto; cognitolocal's own tests check expiry with a manual clock",
	},
	diffFakeSRP: {
		what: "moto's USER_SRP_AUTH is fake: random SALT and SRP_B, a SECRET_BLOCK that is not base64, any PASSWORD_CLAIM_SIGNATURE accepted",
		why:  "a fake SRP peer cannot check SRP math (cognitolocal's known-answer tests do); against moto only the wizard's hint to use --auth-flow password is checked",
	},
	diffMFASetupArray: {
		what: `moto sends ChallengeParameters.MFAS_CAN_SETUP as a JSON array (["SOFTWARE_TOKEN_MFA"]); Cognito sends every parameter as a string ("[\"SOFTWARE_TOKEN_MFA\"]"), and aws-sdk-go-v2 refuses to decode the array`,
		why:  "a wire bug in moto: the tests reach moto's MFA_SETUP path through mfaSetupProxy, which rewrites that one value to Cognito's form, so the production code stays true to Cognito",
	},
	diffSameSession: {
		what: "AssociateSoftwareToken with a Session returns that same session; Cognito returns a new one",
		why:  "the client passes back whatever session it was last given, so it works either way",
	},
	diffVerifyError: {
		what: "a wrong code at VerifySoftwareToken gives CodeMismatchException (\"Code mismatch (<device name>)\"); Cognito gives EnableSoftwareTokenMFAException (\"Code mismatch and fail enable Software Token MFA\")",
		why:  "flow maps both exceptions to KindWrongCode, so the person is told the same thing",
	},
	diffSessionErrors: {
		what: "an unknown or already used session gives ResourceNotFoundException (NotAuthorizedException whose message is the session itself at AssociateSoftwareToken); Cognito gives NotAuthorizedException \"Invalid session for the user[, session can only be used once].\"",
		why:  "moto does not model session errors; flow then says the pool is misconfigured (or the sign-in was refused) instead of asking to sign in again, which only affects what a person reads against moto",
	},
	diffSecretsInMessages: {
		what: "moto's error messages echo the session or access token that was sent (e.g. NotAuthorizedException with the session as message)",
		why:  "Cognito never does; flow redacts any value it sent from a message, and the tests check no secret reaches the error text",
	},
	diffNoMFASetupAtSignIn: {
		what: "in a pool with MFA required, a CONFIRMED user without TOTP gets tokens from InitiateAuth; Cognito answers MFA_SETUP (moto gives MFA_SETUP only right after NEW_PASSWORD_REQUIRED)",
		why:  "the MFA_SETUP path is exercised after a new password; the access-token path does not depend on it",
	},
	diffAuthFlowsIgnored: {
		what: "moto ignores the app client's ExplicitAuthFlows: USER_PASSWORD_AUTH works without ALLOW_USER_PASSWORD_AUTH; Cognito answers InvalidParameterException \"USER_PASSWORD_AUTH flow not enabled for this client\"",
		why:  "the disabled-flow message is checked against cognitolocal and the aws CLI only",
	},
	diffSecretHashIgnored: {
		what: "moto does not check SECRET_HASH on InitiateAuth with USER_PASSWORD_AUTH (it does at RespondToAuthChallenge); Cognito refuses a missing or wrong one with NotAuthorizedException",
		why:  "SECRET_HASH is still checked by moto when a challenge is answered, and by cognitolocal everywhere",
	},
	diffNoValidation: {
		what: "moto does not check members against the service model (a UserCode of letters is just a wrong code); Cognito answers InvalidParameterException",
		why:  "flow refuses malformed codes before any call (KindBadCode), so this is never reached from the tool",
	},
	diffNewPasswordParams: {
		what: "NEW_PASSWORD_REQUIRED carries only USERNAME; Cognito sends USER_ID_FOR_SRP, userAttributes and requiredAttributes",
		why:  "flow reads the username from either and treats absent attribute lists as empty",
	},
	diffNoDeviceName: {
		what: "the SOFTWARE_TOKEN_MFA challenge has no parameters; Cognito may send FRIENDLY_DEVICE_NAME (the name given at VerifySoftwareToken)",
		why:  "the device name is only shown to the person; the answer does not depend on it",
	},
	diffNoAdminDeleteSoftwareToken: {
		what: "moto 5.2.1 has no AdminDeleteSoftwareToken: it answers with an HTTP 500 HTML page; Cognito (since 2026-08-26) removes the software token and any TOTP preference",
		why:  "`admin reset-totp` must say so in one sentence without retrying, and change nothing (no sign-out); the reset itself is tested against cognitolocal",
	},
	diffRevokedMessage: {
		what: "after AdminUserGlobalSignOut moto refuses the old access token with NotAuthorizedException but another message; Cognito says \"Access Token has been revoked\"",
		why:  "the exception, which is what a client decides by, is Cognito's; the message is checked against cognitolocal",
	},
	diffMfaConfigParts: {
		what: "SetUserPoolMfaConfig accepts EmailMfaConfiguration and WebAuthnConfiguration but GetUserPoolMfaConfig never returns them; Cognito keeps and returns both",
		why:  "`admin require-mfa` carries over what GetUserPoolMfaConfig returned, so against moto the email and passkey parts are absent before and after alike; carrying them over is tested against cognitolocal",
	},
	diffGroupMessages: {
		what: "moto's group errors have other messages: GroupExistsException \"A group with the name already exists\" (Cognito names the group), and a missing group is ResourceNotFoundException with the group's name as its whole message (Cognito: \"Group not found.\"); moto also takes a Limit above 60 and answers Description \"\" for a group without one",
		why:  "the exceptions are Cognito's, and admin tells a missing group from a missing pool by the pool's message (\"User pool ... does not exist.\"), so it says the same sentence on both; the messages are checked against cognitolocal",
	},
}

// tolerate records that a test met a known difference instead of Cognito's behaviour.
func tolerate(t *testing.T, d int, seen string) {
	t.Helper()
	t.Logf("tolerated moto difference %d (%.60s...); seen: %s", d, motoDifferences[d].what, seen)
}

func TestMotoDifferencesListIsComplete(t *testing.T) {
	for i, d := range motoDifferences {
		if d.what == "" || d.why == "" {
			t.Errorf("motoDifferences[%d] lacks what it is or why it is tolerated", i)
		}
	}
	if len(motoDifferences) != diffGroupMessages+1 {
		t.Errorf("motoDifferences has %d entries, the constants name %d", len(motoDifferences), diffGroupMessages+1)
	}
}
