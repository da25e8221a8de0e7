package admin

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/ansi"
)

// Formats are the values of --output.
var Formats = []string{"table", "json", "csv"}

// factorShort names factors in the table: "TOTP*" marks the preferred one.
func factorShort(u User) string {
	if u.Factors == nil && !u.Enabled {
		return "-" // not read
	}
	var out []string
	for _, f := range u.Factors {
		s := map[string]string{FactorTOTP: "TOTP", FactorSMS: "SMS", FactorEmail: "EMAIL"}[f]
		if s == "" {
			s = f
		}
		if f == u.Preferred {
			s += "*"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// WriteTable writes the report as a table, then the summary, for a person.
func WriteTable(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tSTATUS\tENABLED\tMFA")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", row.Username, row.Status, yesNo(row.Enabled), factorShort(row.User))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "(* the preferred factor; - not read: a disabled user cannot sign in)")
	fmt.Fprintln(w)
	return WriteSummary(w, r)
}

// WriteSummary writes the summary lines: the rollout, then users by status.
func WriteSummary(w io.Writer, r Report) error {
	s := r.Summary
	head := fmt.Sprintf("%d users in %s", s.Users, r.PoolID)
	if r.Partial {
		head = fmt.Sprintf("PARTIAL: %d of %d listed users in %s (the run stopped early)", s.Users, r.Listed, r.PoolID)
	}
	pct := func(n int) string {
		if s.Users == 0 {
			return ""
		}
		return fmt.Sprintf("%3d%%", (n*100+s.Users/2)/s.Users)
	}
	fmt.Fprintln(w, head)
	for _, l := range []struct {
		name string
		n    int
	}{{"enrolled in TOTP", s.TOTP}, {"other MFA only", s.OtherMFA}, {"no MFA", s.NoMFA}, {"disabled", s.Disabled}} {
		fmt.Fprintf(w, "  %-16s %6d  %s\n", l.name, l.n, pct(l.n))
	}
	if len(s.ByStatus) == 0 {
		return nil
	}
	fmt.Fprintln(w, "By user status:")
	for _, st := range slices.Sorted(maps.Keys(s.ByStatus)) {
		if _, err := fmt.Fprintf(w, "  %-21s %6d\n", st, s.ByStatus[st]); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the whole report as one JSON object.
func WriteJSON(w io.Writer, r Report) error {
	if r.Rows == nil {
		r.Rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// CSVHeader is the first line of --output csv.
var CSVHeader = []string{"username", "status", "enabled", "mfa", "preferred", "category"}

// WriteCSV writes one line per user; mfa is the factors separated by spaces,
// empty for a disabled user (not read). The summary is not part of the CSV.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, row := range r.Rows {
		if err := cw.Write([]string{row.Username, row.Status, strconv.FormatBool(row.Enabled),
			strings.Join(row.Factors, " "), row.Preferred, string(row.Category)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteUser writes `admin user`'s answer for a person, within 80 columns.
func WriteUser(w io.Writer, r UserReport) error {
	u := r.User
	factors, pref := "none", "none"
	if len(u.Factors) > 0 {
		factors = strings.Join(u.Factors, ", ")
	}
	if u.Preferred != "" {
		pref = u.Preferred
	}
	var b strings.Builder
	for _, l := range [][2]string{
		{"User", u.Username},
		{"Pool", r.PoolID + ", " + r.Pool.Describe()},
		{"Status", u.Status},
		{"Enabled", yesNo(u.Enabled)},
		{"MFA", factors},
		{"Preferred", pref},
		{"Next sign-in", r.Next.Sentence},
	} {
		const label = 14
		value := strings.ReplaceAll(ansi.Wordwrap(l[1], 80-label, ""), "\n", "\n"+strings.Repeat(" ", label))
		fmt.Fprintf(&b, "%-*s%s\n", label, l[0], value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteUserJSON writes `admin user --output json`.
func WriteUserJSON(w io.Writer, r UserReport) error {
	if r.User.Factors == nil {
		r.User.Factors = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
