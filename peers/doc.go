// Package peers holds no production code: its tests check this project against
// Cognito implementations it did not write, so that our client and our server
// cannot pass by agreeing on the same mistake. Our client (flow) runs against
// moto_server (moto, Python); one scripted scenario runs against both
// cognitolocal and moto and the two are compared step by step; the aws CLI
// (botocore) drives the `cognito-totp local` server; and the official AWS SDK
// for JavaScript v3 (pinned in jssdk/package-lock.json, installed there by
// `npm ci`) runs the lost-phone story against cognitolocal. The test binary starts and
// stops those processes itself. Where a peer is not installed its tests skip
// with one line, and COGNITO_TOTP_REQUIRE_PEERS=1 (set by .ci/run) turns that
// skip into a failure. Real Cognito, as described in the project's Cognito
// reference notes, is the specification: moto's known departures from it are
// listed once, in motoDifferences, each with the reason it is tolerated, and
// any other disagreement fails.
package peers
