package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// statusOptions are admin status's flags.
type statusOptions struct {
	output  string
	yes     bool
	rate    float64
	scope   Scope
	only    string
	state   string
	maxAge  time.Duration
	compare string
}

func (c *common) statusCommand() *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "status",
		Short: "How far the TOTP rollout has got, across the pool or one group",
		Long: "Lists the pool's users (ListUsers, 60 a page), or one group's (--group,\n" +
			"ListUsersInGroup), and reads each enabled user's MFA factors (AdminGetUser),\n" +
			"at most --rate requests a second, under Cognito's quotas, which the whole\n" +
			"account and region share. Each user read counts toward the pool's monthly\n" +
			"active users, so before reading more than 10 it says how many and asks (--yes\n" +
			"skips that). With --state FILE it records each user read as it goes, and a run\n" +
			"with the same file reads again only users not read within --max-age. The report\n" +
			"goes to stdout, progress to stderr. ctrl+c stops and prints the summary so far,\n" +
			"marked partial. JSON and CSV also carry each user's email, email_verified and\n" +
			"phone_number from the list; --output csv --only none is a reminder list.",
		Example: "  cognito-totp admin status --group sales --output csv --only none > remind.csv\n" +
			"  cognito-totp admin status --filter 'email ^= \"ops-\"'\n" +
			"  cognito-totp admin status --state rollout.state --compare last-week.json",
		Args: cobra.NoArgs,
		RunE: c.run(func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(o.output, Formats...); err != nil {
				return err
			}
			if _, ok := Only[o.only]; o.only != "" && !ok {
				return newError(KindUsage, say(i18n.AdminErrOnly, "Only", quote(o.only)))
			}
			if o.scope.Group != "" && o.scope.Filter != "" {
				return newError(KindUsage, say(i18n.AdminErrGroupFilter))
			}
			var old *Report
			if o.compare != "" {
				r, err := ReadReport(o.compare)
				if err != nil {
					return err
				}
				old = &r
			}
			a, stop, err := c.connect(cmd.Context())
			if err != nil {
				return err
			}
			defer stop()
			s, err := a.NewScanner(Limits{Rate: o.rate})
			if err != nil {
				return err
			}
			return c.status(cmd.Context(), s, o, old)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "table", "table, json or csv")
	f.BoolVarP(&o.yes, "yes", "y", false, "do not ask before reading the users (for scripts)")
	f.Float64Var(&o.rate, "rate", DefaultRate, fmt.Sprintf("requests per second, at most %d (ListUsers never above %d)", QuotaUserRead, QuotaUserList))
	f.StringVar(&o.scope.Group, "group", "", "only the members of this Cognito group (ListUsersInGroup)")
	f.StringVar(&o.scope.Filter, "filter", "", `only the users ListUsers' Filter matches, as 'email ^= "ops-"' (not with --group)`)
	f.StringVar(&o.only, "only", "", "list only the users in one category: totp, other, none or disabled (the summary counts all)")
	f.StringVar(&o.state, "state", "", "record each user read in FILE, and read again only users not read within --max-age")
	f.DurationVar(&o.maxAge, "max-age", 24*time.Hour, "with --state: read again users read longer ago than this")
	f.StringVar(&o.compare, "compare", "", "a previous --output json report: say what changed since")
	return cmd
}

func (c *common) status(ctx context.Context, s *Scanner, o statusOptions, old *Report) error {
	tr := c.tr()
	report, err := c.scan(ctx, s, o)
	if report == nil {
		return err
	}
	if old != nil && !report.Partial {
		if cerr := comparable(*old, *report, o.compare); cerr != nil {
			return cerr
		}
		report.Compare = Compare(*old, o.compare, report.Summary, report.Rows)
	}
	if o.only != "" {
		report.Only = o.only
		report.Rows = slices.DeleteFunc(report.Rows, func(r Row) bool { return r.Category != Only[o.only] })
	}
	if werr := c.writeReport(*report, o.output, tr); werr != nil {
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

// scan is the status run without its output, for every command that needs
// to know where the pool stands: it lists o.scope's users, asks before
// reading more than a handful of them (unless o.yes), and reads them,
// within the Scanner's limits, from o.state's earlier reads where it can.
// Progress and the sentences about the run go to stderr. A nil report means
// nothing was read (err says why); otherwise the report is partial when err
// is set (ctrl+c, a failed call, a state file that cannot be written).
func (c *common) scan(ctx context.Context, s *Scanner, o statusOptions) (*Report, error) {
	tr := c.tr()
	poolID := s.admin.PoolID()
	var state *State
	earlier := Earlier{}
	if o.state != "" {
		var err error
		if state, err = OpenState(o.state, poolID, nil); err != nil {
			return nil, err
		}
		earlier = state.Earlier(o.maxAge)
		s.OnRead = state.Record
	}
	var listing Listing
	err := c.progress(ctx, func(ctx context.Context, report func(Progress)) error {
		var err error
		listing, err = s.List(ctx, o.scope, report)
		return err
	})
	var report Report
	if err != nil && KindOf(err) != KindCanceled {
		return nil, err
	}
	if err == nil {
		n := listing.ToRead()
		listed := sayN(i18n.AdminStatusListed, len(listing.Users), "PoolID", poolID, "Enabled", n)
		if o.scope.Group != "" {
			listed = sayN(i18n.AdminStatusListedGroup, len(listing.Users), "Group", o.scope.Group, "PoolID", poolID, "Enabled", n)
		}
		fmt.Fprintln(c.env.Stderr, safeLines(wrap(listed.In(tr))))
		n -= listing.known(earlier)
		if n > Handful && !o.yes {
			q := sayN(i18n.AdminStatusBilling, n)
			if !c.env.StdinTerminal {
				return nil, newError(KindNotConfirmed, sentences(q, say(i18n.AdminStatusNoTerminal)))
			}
			ok, aerr := c.ask(ctx, sentences(q, say(i18n.AdminStatusGoOn)))
			if aerr != nil {
				c.interrupted()
				return nil, aerr
			}
			if !ok {
				return nil, newError(KindNotConfirmed, say(i18n.AdminErrNotConfirmedRead))
			}
		}
		err = c.progress(ctx, func(ctx context.Context, rep func(Progress)) error {
			var err error
			report, err = s.Read(ctx, listing, earlier, rep)
			return err
		})
	} else {
		report = Report{PoolID: poolID, Partial: true, Listed: len(listing.Users), Summary: Summary{ByStatus: map[string]int{}}}
	}
	if state != nil {
		if serr := state.Close(); serr != nil && (err == nil || KindOf(err) == KindCanceled) {
			err = serr
			report.Partial = true
		}
		if report.Saved > 0 {
			fmt.Fprintln(c.env.Stderr, safeLines(wrap(sayN(i18n.AdminStatusSaved, report.Saved, "MaxAge", shortDuration(o.maxAge), "File", o.state).In(tr))))
		}
	}
	report.Scope = o.scope
	return &report, err
}

// known is how many enabled users of l an earlier run has read.
func (l Listing) known(earlier Earlier) int {
	n := 0
	for _, u := range l.Users {
		if _, ok := earlier[u.Username]; ok && u.Enabled {
			n++
		}
	}
	return n
}

// shortDuration is d as a person writes it: 24h, 90m, 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
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
