// The lost-phone story through the official AWS SDK for JavaScript v3, against
// the Cognito endpoint at $COGNITO_ENDPOINT: enroll through MFA_SETUP, delete
// the software token (AdminDeleteSoftwareToken), meet MFA_SETUP again, sign
// the user out everywhere (AdminUserGlobalSignOut) and re-enroll with a new
// secret. It prints one JSON object of what it saw, for the Go test to check,
// and exits 1 (after printing the step and the error's name and message) on
// an error no step expects. Nothing it prints carries a password, secret,
// code, session or token.
import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";

const endpoint = process.env.COGNITO_ENDPOINT;
if (!endpoint) {
  console.error("COGNITO_ENDPOINT is not set");
  process.exit(2);
}
const client = new CognitoIdentityProviderClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDJSSDKPEER", secretAccessKey: "dummy" },
  maxAttempts: 1,
});

const username = "lost-phone";
const password = "Passw0rd!jssdk";
const seen = {};
let step = "";

async function send(name, command) {
  step = name;
  return client.send(command);
}

// refusal runs a call that must fail and returns the error's name and message.
async function refusal(name, command) {
  try {
    await send(name, command);
  } catch (err) {
    return { name: err.name, message: err.message };
  }
  return { name: "", message: "no error" };
}

// RFC 6238 with SHA-1, 6 digits and 30 s steps, as authenticator apps compute it.
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, "").toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error("the secret is not base32");
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, "0");
}

// code is the code an authenticator app shows now, waiting for the next step
// when fewer than 3 s are left, so the server still sees the step the code
// was computed for. Cognito accepts a code once: when this step's code of the
// secret was sent already, it is the app's next one (Cognito allows one step
// of drift), and past that the script waits for the step to come.
const sentSteps = new Map();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function code(secret) {
  const left = 30000 - (Date.now() % 30000);
  if (left < 3000) await sleep(left + 50);
  let step = Math.floor(Date.now() / 30000);
  const sent = sentSteps.get(secret);
  if (sent !== undefined && step <= sent) step = sent + 1;
  const wait = (step - 1) * 30000 - Date.now();
  if (wait > 0) await sleep(wait + 50);
  sentSteps.set(secret, step);
  return totp(secret, step * 30000);
}

let clientId, clientSecret, poolId;
const secretHash = () => createHmac("sha256", clientSecret).update(username + clientId).digest("base64");

function signIn() {
  return send("InitiateAuth", new InitiateAuthCommand({
    AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash() },
  }));
}

// enroll answers MFA_SETUP: a new secret for the session, verified with its
// code, then the challenge answered with the session VerifySoftwareToken gave.
async function enroll(session, prefix) {
  const assoc = await send(prefix + "AssociateSoftwareToken", new AssociateSoftwareTokenCommand({ Session: session }));
  const verify = await send(prefix + "VerifySoftwareToken", new VerifySoftwareTokenCommand({
    Session: assoc.Session, UserCode: await code(assoc.SecretCode), FriendlyDeviceName: "js-sdk phone",
  }));
  seen[prefix + "VerifyStatus"] = verify.Status;
  const done = await send(prefix + "RespondToAuthChallenge", new RespondToAuthChallengeCommand({
    ChallengeName: "MFA_SETUP", ClientId: clientId, Session: verify.Session,
    ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash() },
  }));
  seen[prefix + "Tokens"] = Boolean(done.AuthenticationResult?.AccessToken && done.AuthenticationResult?.RefreshToken);
  return { secret: assoc.SecretCode, tokens: done.AuthenticationResult };
}

async function mfaOf() {
  const u = await send("AdminGetUser", new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return { list: u.UserMFASettingList ?? null, preferred: u.PreferredMfaSetting ?? null };
}

async function main() {
  // A pool where MFA is required, a client with a secret, a confirmed user.
  const pool = await send("CreateUserPool", new CreateUserPoolCommand({ PoolName: "jssdk-peer" }));
  poolId = pool.UserPool.Id;
  await send("SetUserPoolMfaConfig", new SetUserPoolMfaConfigCommand({
    UserPoolId: poolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true },
  }));
  const app = await send("CreateUserPoolClient", new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: "jssdk-peer", GenerateSecret: true,
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  clientId = app.UserPoolClient.ClientId;
  clientSecret = app.UserPoolClient.ClientSecret;
  await send("AdminCreateUser", new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }));
  await send("AdminSetUserPassword", new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));

  // Enrollment through MFA_SETUP.
  let out = await signIn();
  seen.firstChallenge = out.ChallengeName;
  const first = await enroll(out.Session, "enroll");
  seen.afterEnroll = await mfaOf();
  out = await signIn();
  seen.signInChallenge = out.ChallengeName;
  const signedIn = await send("RespondToAuthChallenge", new RespondToAuthChallengeCommand({
    ChallengeName: "SOFTWARE_TOKEN_MFA", ClientId: clientId, Session: out.Session,
    ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: await code(first.secret), SECRET_HASH: secretHash() },
  }));
  seen.signInTokens = Boolean(signedIn.AuthenticationResult?.AccessToken);

  // The phone is lost: the administrator deletes the software token.
  const deleted = await send("AdminDeleteSoftwareToken", new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
  seen.deleteOutput = Object.keys(deleted).filter((k) => k !== "$metadata");
  seen.afterDelete = await mfaOf();
  try {
    await send("AdminDeleteSoftwareToken again", new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    seen.deleteAgain = "success";
  } catch (err) {
    seen.deleteAgain = err.name;
  }
  out = await signIn();
  seen.challengeAfterDelete = out.ChallengeName;

  // Sessions signed in before are ended everywhere.
  const refresh = () => new InitiateAuthCommand({
    AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: clientId,
    AuthParameters: { REFRESH_TOKEN: first.tokens.RefreshToken, SECRET_HASH: secretHash() },
  });
  const before = await send("InitiateAuth REFRESH_TOKEN_AUTH before the sign-out", refresh());
  seen.refreshBeforeSignOut = Boolean(before.AuthenticationResult?.AccessToken);
  await send("AdminUserGlobalSignOut", new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
  seen.refreshAfterSignOut = await refusal("InitiateAuth REFRESH_TOKEN_AUTH after the sign-out", refresh());
  seen.accessAfterSignOut = await refusal("GetUser after the sign-out", new GetUserCommand({ AccessToken: signedIn.AuthenticationResult.AccessToken }));

  // Re-enrollment on the new phone, with a new secret.
  out = await signIn();
  seen.reenrollChallenge = out.ChallengeName;
  const second = await enroll(out.Session, "reenroll");
  seen.newSecretDiffers = second.secret !== first.secret;
  seen.newSecretLength = second.secret.length;
  seen.afterReenroll = await mfaOf();
  const me = await send("GetUser with the new tokens", new GetUserCommand({ AccessToken: second.tokens.AccessToken }));
  seen.getUserName = me.Username;

  // The old phone's codes no longer sign in; the new phone's do.
  out = await signIn();
  const oldCode = await code(first.secret);
  seen.oldPhoneCode = oldCode === totp(second.secret) ? { name: "same code on both phones", message: "" } :
    await refusal("RespondToAuthChallenge with the old phone's code", new RespondToAuthChallengeCommand({
      ChallengeName: "SOFTWARE_TOKEN_MFA", ClientId: clientId, Session: out.Session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: oldCode, SECRET_HASH: secretHash() },
    }));
  out = await signIn();
  const last = await send("RespondToAuthChallenge with the new phone's code", new RespondToAuthChallengeCommand({
    ChallengeName: "SOFTWARE_TOKEN_MFA", ClientId: clientId, Session: out.Session,
    ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: await code(second.secret), SECRET_HASH: secretHash() },
  }));
  seen.newPhoneTokens = Boolean(last.AuthenticationResult?.AccessToken);
  seen.username = username;
  process.stdout.write(JSON.stringify(seen) + "\n");
}

main().catch((err) => {
  // The step and Cognito's exception name and message: never a request's values.
  process.stdout.write(JSON.stringify({ failedStep: step, error: err.name ?? "Error", message: err.message ?? "" }) + "\n");
  process.exit(1);
});
