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
	"github.com/cognito-totp/cognito-totp/internal/safetext"
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
		rows = append(rows, []string{safe(row.Username), safe(row.Status), yesNo(tr, row.Enabled), safe(factorShort(tr, row.User))})
	}
	if _, err := io.WriteString(w, columns(rows)); err != nil {
		return err
	}
	fmt.Fprintln(w, wrap(tr.T(i18n.AdminTableLegend)))
	if only := onlyName(r.Only); only != "" {
		fmt.Fprintln(w, wrap(tr.T(i18n.AdminStatusOnly, "Category", tr.T(categoryLabel[Category(only)]), "Only", r.Only)))
	}
	fmt.Fprintln(w)
	return WriteSummary(w, tr, r)
}

// safe is a value from Cognito (or from whatever answers at
// --endpoint-url) made harmless on a terminal: no escape sequence or control
// character reaches it. JSON and CSV carry values as they are.
func safe(s string) string { return safetext.Line(s) }

// safeLines is safe line by line, keeping the line breaks of wrapping.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safe(l)
	}
	return strings.Join(lines, "\n")
}

// Only are the values of --only and the category each lists.
var Only = map[string]Category{"totp": CategoryTOTP, "other": CategoryOtherMFA, "none": CategoryNoMFA, "disabled": CategoryDisabled}

// onlyName is the category --only value names, "" for none.
func onlyName(only string) string { return string(Only[only]) }

var categoryLabel = map[Category]i18n.Key{CategoryTOTP: i18n.AdminSummaryTOTP, CategoryOtherMFA: i18n.AdminSummaryOtherMFA,
	CategoryNoMFA: i18n.AdminSummaryNoMFA, CategoryDisabled: i18n.AdminSummaryDisabled}

// WriteSummary writes the summary lines: the rollout, then users by status.
func WriteSummary(w io.Writer, tr *i18n.Localizer, r Report) error {
	s := r.Summary
	head := sayN(i18n.AdminSummaryHead, s.Users, "PoolID", r.PoolID)
	switch {
	case r.Partial && r.Group != "":
		head = sayN(i18n.AdminSummaryPartialGroup, r.Listed, "Read", s.Users, "Group", r.Group, "PoolID", r.PoolID)
	case r.Partial:
		head = sayN(i18n.AdminSummaryPartial, r.Listed, "Read", s.Users, "PoolID", r.PoolID)
	case r.Group != "":
		head = sayN(i18n.AdminSummaryHeadGroup, s.Users, "Group", r.Group, "PoolID", r.PoolID)
	}
	pct := func(n int) string {
		if s.Users == 0 {
			return ""
		}
		return fmt.Sprintf("%3d%%", (n*100+s.Users/2)/s.Users)
	}
	fmt.Fprintln(w, safeLines(wrap(head.In(tr))))
	if r.Filter != "" {
		fmt.Fprintln(w, safeLines(wrap(tr.T(i18n.AdminSummaryFilter, "Filter", r.Filter))))
	}
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
	if len(s.ByStatus) > 0 {
		fmt.Fprintln(w, tr.T(i18n.AdminSummaryByStatus))
		for _, st := range slices.Sorted(maps.Keys(s.ByStatus)) {
			if _, err := fmt.Fprintf(w, "  %-21s %6d\n", safe(st), s.ByStatus[st]); err != nil {
				return err
			}
		}
	}
	if r.Compare != nil {
		return writeComparison(w, tr, *r.Compare, label)
	}
	return nil
}

// writeComparison writes the change since the earlier report, by
// category, and who enrolled or lost TOTP since.
func writeComparison(w io.Writer, tr *i18n.Localizer, c Comparison, label int) error {
	fmt.Fprintln(w)
	fmt.Fprintln(w, safeLines(wrap(tr.T(i18n.AdminCompareHead, "File", c.Since))))
	for _, l := range []struct {
		key i18n.Key
		n   int
	}{{i18n.AdminSummaryTOTP, c.Change.TOTP}, {i18n.AdminSummaryOtherMFA, c.Change.OtherMFA},
		{i18n.AdminSummaryNoMFA, c.Change.NoMFA}, {i18n.AdminSummaryDisabled, c.Change.Disabled}} {
		fmt.Fprintf(w, "  %s %+6d\n", pad(tr.T(l.key), label), l.n)
	}
	for _, l := range []struct {
		key   i18n.Key
		users []string
	}{{i18n.AdminCompareEnrolled, c.Enrolled}, {i18n.AdminCompareLost, c.LostTOTP}, {i18n.AdminCompareDeleted, c.Gone}} {
		names := tr.T(i18n.AdminNone)
		if len(l.users) > 0 {
			names = strings.Join(l.users, ", ")
		}
		if _, err := fmt.Fprintln(w, safeLines(wrap(tr.N(l.key, len(l.users), "Users", names)))); err != nil {
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
var CSVHeader = []string{"username", "status", "enabled", "mfa", "preferred", "category", "email", "email_verified", "phone_number"}

// WriteCSV writes one line per user; mfa is the factors separated by spaces,
// empty for a disabled user (not read); email_verified is empty when the
// user has no such attribute. The summary is not part of the CSV. A cell a
// spreadsheet would take for a formula gets a leading ' (formulaSafe).
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, row := range r.Rows {
		verified := ""
		if row.EmailVerified != nil {
			verified = strconv.FormatBool(*row.EmailVerified)
		}
		cells := []string{row.Username, row.Status, strconv.FormatBool(row.Enabled),
			strings.Join(row.Factors, " "), row.Preferred, string(row.Category), row.Email, verified, row.Phone}
		for i := range cells {
			cells[i] = formulaSafe(cells[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formulaSafe is a CSV cell that a spreadsheet shows as text: a cell
// beginning with =, +, -, @, a tab or a carriage return would be run as a
// formula (CSV injection), so it gets a leading ' as OWASP advises. A phone
// number (+33...) gets it too, and shows as text.
func formulaSafe(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
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
	for i := range lines {
		lines[i][1] = safe(lines[i][1])
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
