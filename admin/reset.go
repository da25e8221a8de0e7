package admin

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// ResetOptions adjust ResetTOTP.
type ResetOptions struct {
	KeepSessions bool // do not call AdminUserGlobalSignOut
	// Confirm is asked, with the user's current state, before anything
	// changes; false or an error changes nothing. nil means confirmed (--yes).
	Confirm func(UserReport) (bool, error)
}

// ResetResult says what ResetTOTP did and what the next sign-in asks now.
type ResetResult struct {
	Before    UserReport
	SignedOut bool
	Next      Prediction
}

// ResetTOTP removes username's authenticator app, for a lost or replaced
// phone: AdminDeleteSoftwareToken, then AdminUserGlobalSignOut unless
// KeepSessions. It first reads the user, so an unknown user or one without
// TOTP gets a sentence and nothing changes.
func (a *Admin) ResetTOTP(ctx context.Context, username string, o ResetOptions) (ResetResult, error) {
	before, err := a.Describe(ctx, username)
	if err != nil {
		return ResetResult{}, err
	}
	if !before.User.HasTOTP() {
		return ResetResult{Before: before}, newError(KindNoTOTP, say(i18n.AdminErrNothingToReset, "Username", username, "Next", before.Next.text))
	}
	if o.Confirm != nil {
		ok, err := o.Confirm(before)
		if err != nil {
			return ResetResult{Before: before}, err
		}
		if !ok {
			return ResetResult{Before: before}, newError(KindNotConfirmed, say(i18n.AdminErrNotConfirmed))
		}
	}
	if err := a.deleteSoftwareToken(ctx, username); err != nil {
		return ResetResult{Before: before}, err
	}
	res := ResetResult{Before: before, Next: Predict(before.Pool, before.User.withoutTOTP())}
	if o.KeepSessions {
		return res, nil
	}
	if err := a.SignOut(ctx, username); err != nil {
		e := err.(*Error)
		e.say(say(i18n.AdminErrSignOutFailed, "Username", username, "Reason", e.reason()))
		return res, e
	}
	res.SignedOut = true
	return res, nil
}

// SignOut signs username out of every session (AdminUserGlobalSignOut): their
// access tokens are refused and their refresh tokens stop working.
func (a *Admin) SignOut(ctx context.Context, username string) error {
	_, err := a.api.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(a.poolID), Username: aws.String(username)})
	return fromAWS("AdminUserGlobalSignOut", err)
}
