package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
	"github.com/cognito-totp/cognito-totp/i18n"
)

func (c *common) statusCommand() *cobra.Command {
	var output string
	var yes bool
	var rateFlag float64
	cmd := &cobra.Command{
		Use:   "status",
		Short: "How far the TOTP rollout has got, across the pool",
		Long: "Lists the pool's users (ListUsers, 60 a page) and reads each enabled user's MFA\n" +
			"factors (AdminGetUser), at most --rate requests a second, under Cognito's quotas,\n" +
			"which the whole account and region share. Each user read counts toward the pool's\n" +
			"monthly active users, so before reading more than 10 it says how many and asks\n" +
			"(--yes skips that). The report goes to stdout, progress to stderr. ctrl+c stops\n" +
			"and prints the summary so far, marked partial.",
		Args: cobra.NoArgs,
		RunE: c.run(func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, Formats...); err != nil {
				return err
			}
			a, stop, err := c.connect(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			s, err := a.NewScanner(Limits{Rate: rateFlag})
			if err != nil {
				return err
			}
			return c.status(cmd.Context(), s, output, yes)
		}),
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table, json or csv")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask before reading the users (for scripts)")
	cmd.Flags().Float64Var(&rateFlag, "rate", DefaultRate, fmt.Sprintf("requests per second, at most %d (ListUsers never above %d)", QuotaUserRead, QuotaUserList))
	return cmd
}

func (c *common) status(ctx context.Context, s *Scanner, output string, yes bool) error {
	tr := c.tr()
	var listing Listing
	err := c.progress(ctx, func(ctx context.Context, report func(Progress)) error {
		var err error
		listing, err = s.List(ctx, report)
		return err
	})
	var report Report
	if err != nil && KindOf(err) != KindCanceled {
		return err
	}
	if err == nil {
		n := listing.ToRead()
		fmt.Fprintln(c.env.Stderr, wrap(sayN(i18n.AdminStatusListed, len(listing.Users), "PoolID", s.admin.PoolID(), "Enabled", n).In(tr)))
		if n > Handful && !yes {
			q := sayN(i18n.AdminStatusBilling, n)
			if !c.env.StdinTerminal {
				return newError(KindNotConfirmed, sentences(q, say(i18n.AdminStatusNoTerminal)))
			}
			ok, aerr := c.ask(ctx, sentences(q, say(i18n.AdminStatusGoOn)))
			if aerr != nil {
				c.interrupted()
				return aerr
			}
			if !ok {
				return newError(KindNotConfirmed, say(i18n.AdminErrNotConfirmedRead))
			}
		}
		err = c.progress(ctx, func(ctx context.Context, rep func(Progress)) error {
			var err error
			report, err = s.Read(ctx, listing, rep)
			return err
		})
	} else {
		report = Report{PoolID: s.admin.PoolID(), Partial: true, Listed: len(listing.Users), Summary: Summary{ByStatus: map[string]int{}}}
	}
	if werr := c.writeReport(report, output, tr); werr != nil {
		return werr
	}
	if t := s.Throttles(); t > 0 {
		fmt.Fprintln(c.env.Stderr, wrap(sayN(i18n.AdminStatusThrottles, t).In(tr)))
	}
	switch {
	case err == nil:
		return nil
	case KindOf(err) == KindCanceled || errors.Is(err, context.Canceled):
		c.interrupted()
		fmt.Fprintln(c.env.Stderr, wrap(tr.T(i18n.AdminStatusStopped)))
		return nil
	}
	return err
}

// progress runs work with a bar on a terminal, or with plain lines on stderr.
func (c *common) progress(ctx context.Context, work progressui.Work) error {
	if c.env.StderrTerminal && c.env.ShowProgress != nil {
		return c.env.ShowProgress(ctx, c.tr(), work)
	}
	lines := &plainProgress{w: c.env.Stderr, tr: c.tr()}
	return work(ctx, lines.report)
}

// plainProgress writes a line per page listed and per tenth read.
type plainProgress struct {
	mu       sync.Mutex // reports come from several readers at once
	w        io.Writer
	tr       *i18n.Localizer
	lastTen  int
	reported bool
}

func (p *plainProgress) report(pr Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pr.Listing {
		fmt.Fprintln(p.w, sayN(i18n.AdminProgressListed, pr.Done).In(p.tr))
		return
	}
	if ten := pr.Done * 10 / max(pr.Total, 1); ten > p.lastTen || !p.reported {
		p.lastTen, p.reported = ten, true
		fmt.Fprintln(p.w, sayN(i18n.AdminProgressRead, pr.Total, "Done", pr.Done).In(p.tr))
	}
}

func (c *common) writeReport(r Report, output string, tr *i18n.Localizer) error {
	switch output {
	case "json":
		return WriteJSON(c.env.Stdout, r)
	case "csv":
		if err := WriteCSV(c.env.Stdout, r); err != nil {
			return err
		}
		return WriteSummary(c.env.Stderr, tr, r) // CSV has no room for it
	}
	return WriteTable(c.env.Stdout, tr, r)
}
