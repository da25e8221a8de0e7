package admin

import (
	"encoding/json"
	"slices"

	"github.com/cognito-totp/cognito-totp/i18n"
	"github.com/cognito-totp/cognito-totp/internal/boundedfile"
)

// Comparison is a run against an earlier report (--compare OLD.json): how
// each count changed, and who enrolled or lost TOTP in between.
type Comparison struct {
	Since  string  `json:"since"`  // the earlier report's file
	Change Summary `json:"change"` // this run's counts minus the earlier ones
	// Enrolled have TOTP now and did not then (or were not listed then).
	Enrolled []string `json:"enrolled"`
	// LostTOTP had TOTP then and are listed without it now (reset, or a
	// new phone not yet set up).
	LostTOTP []string `json:"lost_totp"`
	// Gone had TOTP then and are not listed now (deleted, or no longer in
	// the group or the filter).
	Gone []string `json:"gone"`
}

// ReadReport reads a report written by --output json, to compare with.
func ReadReport(path string) (Report, error) {
	b, err := boundedfile.Read(path, "report", StateLimit)
	if err != nil {
		return Report{}, withCause(newError(KindUsage, say(i18n.AdminErrCompareRead, "File", path, "Cause", err.Error())), err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return Report{}, withCause(newError(KindUsage, say(i18n.AdminErrCompareRead, "File", path, "Cause", err.Error())), err)
	}
	return r, nil
}

// comparable refuses an earlier report that does not hold every user of
// the same scope: its users would look enrolled, or gone, when they were
// only left out.
func comparable(old, now Report, file string) error {
	if old.Partial || old.Only != "" || old.PoolID != now.PoolID || old.Scope != now.Scope {
		return newError(KindUsage, say(i18n.AdminErrCompareIncomplete, "File", file))
	}
	return nil
}

// Compare is now against old: rows must be all of now's users (before
// --only leaves some out).
func Compare(old Report, file string, now Summary, rows []Row) *Comparison {
	c := &Comparison{Since: file, Enrolled: []string{}, LostTOTP: []string{}, Gone: []string{}}
	c.Change = Summary{Users: now.Users - old.Summary.Users, TOTP: now.TOTP - old.Summary.TOTP,
		OtherMFA: now.OtherMFA - old.Summary.OtherMFA, NoMFA: now.NoMFA - old.Summary.NoMFA,
		Disabled: now.Disabled - old.Summary.Disabled, ByStatus: map[string]int{}}
	for st, n := range now.ByStatus {
		c.Change.ByStatus[st] += n
	}
	for st, n := range old.Summary.ByStatus {
		c.Change.ByStatus[st] -= n
	}
	for st, n := range c.Change.ByStatus {
		if n == 0 {
			delete(c.Change.ByStatus, st)
		}
	}
	had := map[string]bool{} // then: has TOTP
	for _, r := range old.Rows {
		had[r.Username] = r.Category == CategoryTOTP
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.Username] = true
		has := r.Category == CategoryTOTP
		switch {
		case has && !had[r.Username]:
			c.Enrolled = append(c.Enrolled, r.Username)
		case !has && had[r.Username] && r.Category != CategoryDisabled:
			c.LostTOTP = append(c.LostTOTP, r.Username)
		}
	}
	for name, h := range had {
		if h && !listed[name] {
			c.Gone = append(c.Gone, name)
		}
	}
	slices.Sort(c.Enrolled)
	slices.Sort(c.LostTOTP)
	slices.Sort(c.Gone)
	return c
}
