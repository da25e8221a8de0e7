package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// requireOptions are require-mfa's flags.
type requireOptions struct {
	yes, skipScan, optional bool
	rate                    float64
	state                   string        // as status's --state: the scan resumes from it
	maxAge                  time.Duration // as status's --max-age
}

func (c *common) requireMFACommand() *cobra.Command {
	var o requireOptions
	cmd := &cobra.Command{
		Use:   "require-mfa",
		Short: "Make MFA required for the whole pool, safely (the end of a rollout)",
		Long: "Reads the pool's MFA configuration (GetUserPoolMfaConfig) and says what will change.\n" +
			"It refuses when the authenticator app (TOTP) is not enabled in the pool, since people\n" +
			"with no factor could not set one up, and when MFA is already required. With threat\n" +
			"protection enforced it says the API reference advises MFA optional, and asks again.\n" +
			"Unless --skip-scan it reads every user as admin status does (asking first, as status\n" +
			"does) and says who is affected. After a question naming the pool (--yes skips it),\n" +
			"SetUserPoolMfaConfig sets MFA ON with the SMS, email, TOTP and passkey (WebAuthn)\n" +
			"configurations exactly as they were, and the configuration is read back to prove\n" +
			"nothing else changed. --optional makes MFA optional again the same way.",
		Example: "  cognito-totp admin require-mfa --user-pool-id eu-west-1_AbC123\n" +
			"  cognito-totp admin require-mfa --user-pool-id eu-west-1_AbC123 --optional",
		Args: cobra.NoArgs,
		RunE: c.run(func(cmd *cobra.Command, _ []string) error {
			a, stop, err := c.connect(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			err = c.requireMFA(cmd.Context(), a, o)
			if KindOf(err) == KindCanceled {
				c.interrupted()
			}
			return err
		}),
	}
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "do not ask for confirmation (for scripts)")
	cmd.Flags().BoolVar(&o.skipScan, "skip-scan", false, "do not read the users to say who is affected")
	cmd.Flags().BoolVar(&o.optional, "optional", false, "make MFA optional again, the same way")
	cmd.Flags().StringVar(&o.state, "state", "", "the scan records each user read in FILE (as admin status), and reads again only users not read within --max-age")
	cmd.Flags().DurationVar(&o.maxAge, "max-age", 24*time.Hour, "with --state: read again users read longer ago than this")
	cmd.Flags().Float64Var(&o.rate, "rate", DefaultRate, fmt.Sprintf("the scan's requests per second, at most %d (ListUsers never above %d)", QuotaUserRead, QuotaUserList))
	return cmd
}

// requireMFA switches a's pool to MFA required (or optional with
// o.optional), saying each step on stdout and asking on stderr.
func (c *common) requireMFA(ctx context.Context, a *Admin, o requireOptions) error {
	tr, out := c.tr(), c.env.Stdout
	mode, change := types.UserPoolMfaTypeOn, i18n.AdminRequireChangeOn
	if o.optional {
		mode, change = types.UserPoolMfaTypeOptional, i18n.AdminRequireChangeOptional
	}
	var s *Scanner
	if !o.optional && !o.skipScan {
		var err error // a bad --rate is said before any call
		if s, err = a.NewScanner(Limits{Rate: o.rate}); err != nil {
			return err
		}
	}
	now, err := a.MfaConfig(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, wrap(tr.T(i18n.AdminRequireNow, "PoolID", a.PoolID(), "MFA", now.pool().describe().In(tr))))
	if err := CheckSwitch(a.PoolID(), now, mode); err != nil {
		return err
	}
	fmt.Fprintln(out, wrap(tr.T(change)))
	if !o.optional {
		if err := c.threatProtection(ctx, a, o.yes); err != nil {
			return err
		}
	}
	question := say(i18n.AdminRequireAskOptional, "PoolID", a.PoolID())
	if !o.optional {
		question = say(i18n.AdminRequireAskUnscanned, "PoolID", a.PoolID())
		if s == nil {
			fmt.Fprintln(out, wrap(tr.T(i18n.AdminRequireSkippedScan)))
		} else {
			affected, err := c.scanAffected(ctx, s, o)
			if err != nil {
				return err
			}
			c.sayAffected(affected)
			question = sayN(i18n.AdminRequireAsk, affected.NoFactor, "PoolID", a.PoolID())
		}
	}
	if err := c.confirm(ctx, o.yes, question, o.optional, a.PoolID()); err != nil {
		return err
	}
	if _, err := a.SetMfaMode(ctx, now, mode); err != nil {
		return err
	}
	done := i18n.AdminRequireDoneOn
	if o.optional {
		done = i18n.AdminRequireDoneOptional
	}
	fmt.Fprintln(out, wrap(tr.T(done, "PoolID", a.PoolID())))
	return nil
}

// threatProtection says, when threat protection is enforced, that the API
// reference advises MFA optional with adaptive authentication, and asks
// whether to go on.
func (c *common) threatProtection(ctx context.Context, a *Admin, yes bool) error {
	enforced, err := a.ThreatProtectionEnforced(ctx)
	if err != nil || !enforced {
		return err
	}
	fmt.Fprintln(c.env.Stdout, wrap(c.tr().T(i18n.AdminRequireThreat)))
	return c.confirm(ctx, yes, say(i18n.AdminRequireThreatAsk), false, a.PoolID())
}

// confirm asks question unless yes; with no terminal to ask it refuses.
func (c *common) confirm(ctx context.Context, yes bool, question text, optional bool, poolID string) error {
	if yes {
		return nil
	}
	if !c.env.StdinTerminal {
		key := i18n.AdminErrRequireNoTerminal
		if optional {
			key = i18n.AdminErrOptionalNoTerminal
		}
		return newError(KindNotConfirmed, say(key, "PoolID", poolID))
	}
	ok, err := c.ask(ctx, question)
	if err != nil {
		return err
	}
	if !ok {
		return newError(KindNotConfirmed, say(i18n.AdminErrNotConfirmed))
	}
	return nil
}

// scanAffected reads the pool's users exactly as admin status does (its
// billing question, its --state and --max-age) and counts who the switch
// touches. A scan stopped early changes nothing.
func (c *common) scanAffected(ctx context.Context, s *Scanner, o requireOptions) (Affected, error) {
	report, err := c.scan(ctx, s, statusOptions{yes: o.yes, state: o.state, maxAge: o.maxAge})
	if err != nil {
		return Affected{}, unchangedIfStopped(err)
	}
	if report == nil || report.Partial {
		return Affected{}, unchangedIfStopped(context.Canceled)
	}
	if t := s.Throttles(); t > 0 {
		fmt.Fprintln(c.env.Stderr, wrap(sayN(i18n.AdminStatusThrottles, t).In(c.tr())))
	}
	return AffectedBy(*report), nil
}

// unchangedIfStopped says of a scan stopped by ctrl+c that nothing changed.
func unchangedIfStopped(err error) error {
	if KindOf(err) == KindCanceled || errors.Is(err, context.Canceled) {
		return withCause(newError(KindCanceled, say(i18n.AdminErrStoppedUnchanged)), err)
	}
	return err
}

func (c *common) sayAffected(n Affected) {
	tr := c.tr()
	for _, line := range []text{
		sayN(i18n.AdminRequireAffectedNone, n.NoFactor),
		sayN(i18n.AdminRequireAffectedOther, n.OtherOnly),
		sayN(i18n.AdminRequireAffectedTOTP, n.TOTP),
		sayN(i18n.AdminRequireAffectedDisabled, n.Disabled),
	} {
		fmt.Fprintln(c.env.Stdout, wrap(line.In(tr)))
	}
}
