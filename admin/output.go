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

	"github.com/charmbracelet/x/ansi"

	"github.com/cognito-totp/cognito-totp/i18n"
)

// Formats are the values of --output.
var Formats = []string{"table", "json", "csv"}

// factorShort names factors in the table: "TOTP*" marks the preferred one.
// The short names are the same in every language, as Cognito's are.
func factorShort(tr *i18n.Localizer, u User) string {
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
		return tr.T(i18n.AdminNone)
	}
	return strings.Join(out, " ")
}

func yesNo(tr *i18n.Localizer, b bool) string {
	if b {
		return tr.T(i18n.AdminYes)
	}
	return tr.T(i18n.AdminNo)
}

// WriteTable writes the report as a table, then the summary, for a person
// reading tr's language. Columns are measured in cells, so a Japanese
// header or a username in a wide script lines up.
func WriteTable(w io.Writer, tr *i18n.Localizer, r Report) error {
	rows := [][]string{{tr.T(i18n.AdminTableUsername), tr.T(i18n.AdminTableStatus), tr.T(i18n.AdminTableEnabled), tr.T(i18n.AdminTableMFA)}}
	for _, row := range r.Rows {
		rows = append(rows, []string{row.Username, row.Status, yesNo(tr, row.Enabled), factorShort(tr, row.User)})
	}
	if _, err := io.WriteString(w, columns(rows)); err != nil {
		return err
	}
	fmt.Fprintln(w, wrap(tr.T(i18n.AdminTableLegend)))
	fmt.Fprintln(w)
	return WriteSummary(w, tr, r)
}

// WriteSummary writes the summary lines: the rollout, then users by status.
func WriteSummary(w io.Writer, tr *i18n.Localizer, r Report) error {
	s := r.Summary
	head := sayN(i18n.AdminSummaryHead, s.Users, "PoolID", r.PoolID)
	if r.Partial {
		head = sayN(i18n.AdminSummaryPartial, r.Listed, "Read", s.Users, "PoolID", r.PoolID)
	}
	pct := func(n int) string {
		if s.Users == 0 {
			return ""
		}
		return fmt.Sprintf("%3d%%", (n*100+s.Users/2)/s.Users)
	}
	fmt.Fprintln(w, wrap(head.In(tr)))
	lines := []struct {
		name string
		n    int
	}{{tr.T(i18n.AdminSummaryTOTP), s.TOTP}, {tr.T(i18n.AdminSummaryOtherMFA), s.OtherMFA},
		{tr.T(i18n.AdminSummaryNoMFA), s.NoMFA}, {tr.T(i18n.AdminSummaryDisabled), s.Disabled}}
	label := 16 // cells; wider when a language's names are
	for _, l := range lines {
		label = max(label, ansi.StringWidth(l.name))
	}
	for _, l := range lines {
		fmt.Fprintf(w, "  %s %6d  %s\n", pad(l.name, label), l.n, pct(l.n))
	}
	if len(s.ByStatus) == 0 {
		return nil
	}
	fmt.Fprintln(w, tr.T(i18n.AdminSummaryByStatus))
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

// WriteUser writes `admin user`'s answer for a person reading tr's
// language, within 80 columns: a label, then its value, wrapped under it.
func WriteUser(w io.Writer, tr *i18n.Localizer, r UserReport) error {
	u := r.User
	factors, pref := tr.T(i18n.AdminNone), tr.T(i18n.AdminNone)
	if len(u.Factors) > 0 {
		factors = strings.Join(u.Factors, ", ")
	}
	if u.Preferred != "" {
		pref = u.Preferred
	}
	lines := [][2]string{
		{tr.T(i18n.AdminLabelUser), u.Username},
		{tr.T(i18n.AdminLabelPool), tr.T(i18n.AdminPoolValue, "PoolID", r.PoolID, "MFA", r.Pool.describe().In(tr))},
		{tr.T(i18n.AdminLabelStatus), u.Status},
		{tr.T(i18n.AdminLabelEnabled), yesNo(tr, u.Enabled)},
		{tr.T(i18n.AdminLabelMFA), factors},
		{tr.T(i18n.AdminLabelPreferred), pref},
		{tr.T(i18n.AdminLabelNext), r.Next.In(tr)},
	}
	label := 0 // cells: the widest label, and two spaces
	for _, l := range lines {
		label = max(label, ansi.StringWidth(l[0])+2)
	}
	var b strings.Builder
	for _, l := range lines {
		value := strings.ReplaceAll(wrapAt(l[1], 80-label), "\n", "\n"+strings.Repeat(" ", label))
		b.WriteString(pad(l[0], label) + value + "\n")
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
