package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
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
		RunE: func(cmd *cobra.Command, _ []string) error {
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
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "table, json or csv")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask before reading the users (for scripts)")
	cmd.Flags().Float64Var(&rateFlag, "rate", DefaultRate, fmt.Sprintf("requests per second, at most %d (ListUsers never above %d)", QuotaUserRead, QuotaUserList))
	return cmd
}

func (c *common) status(ctx context.Context, s *Scanner, output string, yes bool) error {
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
		fmt.Fprintf(c.env.Stderr, "%d users listed in %s, %d of them enabled.\n", len(listing.Users), s.admin.PoolID(), n)
		if n > Handful && !yes {
			q := fmt.Sprintf("Reading the MFA settings of %d users calls AdminGetUser for each, and Cognito counts every user read toward this month's monthly active users, which are billed.", n)
			if !c.env.StdinTerminal {
				return &Error{Kind: KindNotConfirmed, Message: q + " With no terminal to ask, give --yes to go on (nothing was read)."}
			}
			ok, aerr := c.ask(ctx, q+" Go on?")
			if aerr != nil {
				c.interrupted()
				return aerr
			}
			if !ok {
				return &Error{Kind: KindNotConfirmed, Message: "not confirmed, so no user was read"}
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
	if werr := c.writeReport(report, output); werr != nil {
		return werr
	}
	if t := s.Throttles(); t > 0 {
		fmt.Fprintf(c.env.Stderr, "Cognito answered TooManyRequestsException %d times; the run slowed down and retried.\n", t)
	}
	switch {
	case err == nil:
		return nil
	case KindOf(err) == KindCanceled || errors.Is(err, context.Canceled):
		c.interrupted()
		fmt.Fprintln(c.env.Stderr, "Stopped by ctrl+c: the report and its summary are partial.")
		return nil
	}
	return err
}

// progress runs work with a bar on a terminal, or with plain lines on stderr.
func (c *common) progress(ctx context.Context, work progressui.Work) error {
	if c.env.StderrTerminal && c.env.ShowProgress != nil {
		return c.env.ShowProgress(ctx, work)
	}
	lines := &plainProgress{w: c.env.Stderr}
	return work(ctx, lines.report)
}

// plainProgress writes a line per page listed and per tenth read.
type plainProgress struct {
	mu       sync.Mutex // reports come from several readers at once
	w        io.Writer
	lastTen  int
	reported bool
}

func (p *plainProgress) report(pr Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pr.Listing {
		fmt.Fprintf(p.w, "Listed %d users.\n", pr.Done)
		return
	}
	if ten := pr.Done * 10 / max(pr.Total, 1); ten > p.lastTen || !p.reported {
		p.lastTen, p.reported = ten, true
		fmt.Fprintf(p.w, "Read %d of %d users.\n", pr.Done, pr.Total)
	}
}

func (c *common) writeReport(r Report, output string) error {
	switch output {
	case "json":
		return WriteJSON(c.env.Stdout, r)
	case "csv":
		if err := WriteCSV(c.env.Stdout, r); err != nil {
			return err
		}
		return WriteSummary(c.env.Stderr, r) // CSV has no room for it
	}
	return WriteTable(c.env.Stdout, r)
}
