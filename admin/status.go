package admin

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"golang.org/x/time/rate"

	"github.com/cognito-totp/cognito-totp/admin/progressui"
	"github.com/cognito-totp/cognito-totp/i18n"
)

// Cognito's request-rate quotas for the categories `admin status` uses
// (account and region, every pool and every tool together).
const (
	QuotaUserList = 30  // ListUsers, requests per second; not adjustable
	QuotaUserRead = 120 // AdminGetUser, requests per second
	// DefaultRate leaves most of the quota to the applications that share it.
	DefaultRate = 20
	// PageSize is ListUsers' largest Limit.
	PageSize = 60
	// Handful is how many AdminGetUser calls run without asking first.
	Handful = 10
)

// Category is where a user falls in the rollout summary.
type Category string

const (
	CategoryTOTP     Category = "totp"           // has an authenticator app
	CategoryOtherMFA Category = "other_mfa_only" // SMS or email MFA, no app
	CategoryNoMFA    Category = "no_mfa"
	CategoryDisabled Category = "disabled" // not read: a disabled user cannot sign in
)

// Row is one user in `admin status`.
type Row struct {
	User
	Contact
	Category Category `json:"category"`
}

// Contact is how a user can be reached, as the list answer (ListUsers,
// ListUsersInGroup) already gives it: no call is made for it.
type Contact struct {
	Email         string `json:"email,omitempty"`
	EmailVerified *bool  `json:"email_verified,omitempty"` // absent when the pool has no such attribute for the user
	Phone         string `json:"phone_number,omitempty"`
}

func contactOf(attrs []types.AttributeType) Contact {
	var c Contact
	for _, a := range attrs {
		v := aws.ToString(a.Value)
		switch aws.ToString(a.Name) {
		case "email":
			c.Email = v
		case "email_verified":
			b := v == "true"
			c.EmailVerified = &b
		case "phone_number":
			c.Phone = v
		}
	}
	return c
}

// Scope is which users a run lists: the whole pool, one group's members
// (ListUsersInGroup), or the users ListUsers' Filter matches.
type Scope struct {
	Group  string `json:"group,omitempty"`
	Filter string `json:"filter,omitempty"`
}

// Listing is the scope's users as the list answer gives them, before any is
// read: Factors not known yet, Category unset.
type Listing struct {
	Users []Row
}

// ToRead is how many users Read calls AdminGetUser for: the enabled ones.
func (l Listing) ToRead() int {
	n := 0
	for _, u := range l.Users {
		if u.Enabled {
			n++
		}
	}
	return n
}

// Progress is how far List or Read has got.
type Progress = progressui.Progress

// Limits bound the request rate of a status run.
type Limits struct {
	Rate    float64 // requests per second in all, at most QuotaUserRead; ListUsers also at most QuotaUserList
	Workers int     // AdminGetUser calls in flight; 0: 8
}

// Scanner lists and reads a pool's users within Limits. Its limiter slows to
// half the rate on each TooManyRequestsException and returns to the rate
// after 10 s without one, on top of the SDK's own backoff.
type Scanner struct {
	admin     *Admin
	limits    Limits
	all       *rate.Limiter
	list      *rate.Limiter
	mu        sync.Mutex
	slowed    time.Time // when a throttle last halved the rate
	throttles int       // TooManyRequestsException answers seen
	// OnRead, when set, is told of each user read, from several readers at
	// once; an error stops the run.
	OnRead func(User) error
}

// NewScanner checks limits and returns a Scanner.
func (a *Admin) NewScanner(l Limits) (*Scanner, error) {
	if l.Rate <= 0 || l.Rate > QuotaUserRead {
		return nil, newError(KindUsage, say(i18n.AdminErrRate, "Max", strconv.Itoa(QuotaUserRead), "Rate", strconv.FormatFloat(l.Rate, 'g', -1, 64)))
	}
	if l.Workers <= 0 {
		l.Workers = 8
	}
	return &Scanner{admin: a, limits: l,
		all:  rate.NewLimiter(rate.Limit(l.Rate), 1),
		list: rate.NewLimiter(rate.Limit(min(l.Rate, QuotaUserList)), 1)}, nil
}

// Throttles is how many TooManyRequestsException answers the run has met.
func (s *Scanner) Throttles() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttles
}

func (s *Scanner) throttled() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttles++
	s.slowed = time.Now()
	s.all.SetLimit(max(s.all.Limit()/2, 0.5))
}

func (s *Scanner) wait(ctx context.Context, extra *rate.Limiter) error {
	s.mu.Lock()
	if !s.slowed.IsZero() && time.Since(s.slowed) > 10*time.Second {
		s.slowed = time.Time{}
		s.all.SetLimit(rate.Limit(s.limits.Rate))
	}
	s.mu.Unlock()
	if extra != nil {
		if err := extra.Wait(ctx); err != nil {
			return err
		}
	}
	return s.all.Wait(ctx)
}

// callOpts makes the SDK's retryer tell the Scanner of each throttle.
func (s *Scanner) callOpts(o *cip.Options) {
	o.Retryer = throttleWatch{RetryerV2: asV2(o.Retryer), seen: s.throttled}
}

type throttleWatch struct {
	aws.RetryerV2
	seen func()
}

var throttleCheck = retry.IsErrorThrottles(retry.DefaultThrottles)

func (w throttleWatch) RetryDelay(attempt int, err error) (time.Duration, error) {
	if throttleCheck.IsErrorThrottle(err) == aws.TrueTernary {
		w.seen()
	}
	return w.RetryerV2.RetryDelay(attempt, err)
}

func asV2(r aws.Retryer) aws.RetryerV2 {
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2
	}
	return v2Adapter{r}
}

type v2Adapter struct{ aws.Retryer }

func (a v2Adapter) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	return a.GetInitialToken(), nil
}

// List reads every user of scope, PageSize at a time: the pool's or the
// filter's with ListUsers, a group's with ListUsersInGroup. On an error (or
// ctx done) it returns what it listed so far and the error.
func (s *Scanner) List(ctx context.Context, scope Scope, progress func(Progress)) (Listing, error) {
	if scope.Group != "" && scope.Filter != "" {
		return Listing{}, newError(KindUsage, say(i18n.AdminErrGroupFilter))
	}
	op := "ListUsers"
	if scope.Group != "" {
		op = "ListUsersInGroup"
	}
	var l Listing
	var token *string
	for {
		if err := s.wait(ctx, s.list); err != nil {
			return l, fromAWS(op, err)
		}
		var users []types.UserType
		var err error
		if scope.Group != "" {
			var out *cip.ListUsersInGroupOutput
			out, err = s.admin.api.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: aws.String(s.admin.poolID),
				GroupName: aws.String(scope.Group), Limit: aws.Int32(PageSize), NextToken: token}, s.callOpts)
			if err == nil {
				users, token = out.Users, out.NextToken
			}
		} else {
			var out *cip.ListUsersOutput
			in := &cip.ListUsersInput{UserPoolId: aws.String(s.admin.poolID), Limit: aws.Int32(PageSize), PaginationToken: token}
			if scope.Filter != "" {
				in.Filter = aws.String(scope.Filter)
			}
			out, err = s.admin.api.ListUsers(ctx, in, s.callOpts)
			if err == nil {
				users, token = out.Users, out.PaginationToken
			}
		}
		if err != nil {
			return l, listErr(op, scope, err)
		}
		for _, u := range users {
			l.Users = append(l.Users, Row{User: User{Username: aws.ToString(u.Username), Status: string(u.UserStatus), Enabled: u.Enabled},
				Contact: contactOf(u.Attributes)})
		}
		if progress != nil {
			progress(Progress{Listing: true, Done: len(l.Users)})
		}
		if aws.ToString(token) == "" {
			return l, nil
		}
	}
}

// listErr says a refused --filter in Cognito's own words, and a group that
// does not exist by its name; anything else as fromAWS does.
func listErr(op string, scope Scope, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch {
		case scope.Filter != "" && api.ErrorCode() == "InvalidParameterException":
			return withCause(newError(KindUsage, say(i18n.AdminErrFilter, "Filter", scope.Filter, "Cognito", api.ErrorMessage())), err)
		case scope.Group != "" && api.ErrorCode() == "ResourceNotFoundException" && !strings.Contains(strings.ToLower(api.ErrorMessage()), "pool"):
			// Cognito says "Group not found."; a missing pool is "User pool ... does not exist."
			e := withCause(newError(KindPoolNotFound, say(i18n.AdminErrNoGroup, "Group", scope.Group)), err)
			e.Action = iamAction(op)
			return e
		}
	}
	return fromAWS(op, err)
}

// Report is the outcome of a status run. Partial is set when the run stopped
// before every user was read; Rows then hold the users known so far.
type Report struct {
	PoolID string `json:"user_pool_id"`
	Scope
	Only    string      `json:"only,omitempty"` // --only: Rows hold only this category; Summary counts everyone
	Partial bool        `json:"partial"`
	Listed  int         `json:"listed"` // users the list answer returned
	Summary Summary     `json:"summary"`
	Rows    []Row       `json:"users"`
	Compare *Comparison `json:"compare,omitempty"` // --compare
	Saved   int         `json:"-"`                 // users taken from --state, not read again
}

// Summary counts the Rows.
type Summary struct {
	Users    int            `json:"users"`
	TOTP     int            `json:"totp"`
	OtherMFA int            `json:"other_mfa_only"`
	NoMFA    int            `json:"no_mfa"`
	Disabled int            `json:"disabled"`
	ByStatus map[string]int `json:"by_status"`
}

// Earlier are users read by an earlier run (--state), by username: Read
// does not read them again.
type Earlier map[string]User

// Read calls AdminGetUser for each enabled user of l not in earlier, within
// the Scanner's limits, and returns the report; OnRead, when set, is told of
// each user read. Disabled users are not read (they cannot sign in, and every
// read counts toward monthly active users). A user in earlier keeps its
// factors from then, and its status from the listing. On ctx done or an
// error it stops and returns the partial report with the error.
func (s *Scanner) Read(ctx context.Context, l Listing, earlier Earlier, progress func(Progress)) (Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := make([]*Row, len(l.Users))
	total := l.ToRead()
	saved := 0
	for i, u := range l.Users {
		if e, ok := earlier[u.Username]; ok && u.Enabled {
			e.Status, e.Enabled = u.Status, u.Enabled
			rows[i] = &Row{User: e, Contact: u.Contact, Category: categoryOf(e)}
			saved++
		}
	}
	total -= saved
	jobs := make(chan int)
	var (
		mu       sync.Mutex
		done     int
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
		cancel()
	}
	var wg sync.WaitGroup
	for range s.limits.Workers {
		wg.Go(func() {
			for i := range jobs {
				if err := s.wait(ctx, nil); err != nil {
					fail(fromAWS("AdminGetUser", err))
					return
				}
				u, err := s.admin.getUserWith(ctx, l.Users[i].Username, s.callOpts)
				switch {
				case KindOf(err) == KindUserNotFound:
					// Deleted since it was listed: it is no longer in the pool.
				case err != nil:
					fail(err)
					return
				default:
					mu.Lock()
					rows[i] = &Row{User: u, Contact: l.Users[i].Contact, Category: categoryOf(u)}
					mu.Unlock()
					if s.OnRead != nil {
						if err := s.OnRead(u); err != nil {
							fail(err)
							return
						}
					}
				}
				mu.Lock()
				done++
				p := Progress{Done: done, Total: total}
				mu.Unlock()
				if progress != nil {
					progress(p)
				}
			}
		})
	}
feed:
	for i, u := range l.Users {
		if !u.Enabled {
			rows[i] = &Row{User: u.User, Contact: u.Contact, Category: CategoryDisabled}
			continue
		}
		if rows[i] != nil { // read by an earlier run
			continue
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	r := Report{PoolID: s.admin.poolID, Listed: len(l.Users), Saved: saved, Summary: Summary{ByStatus: map[string]int{}}}
	for _, row := range rows {
		if row != nil {
			r.Rows = append(r.Rows, *row)
			r.Summary.add(*row)
		}
	}
	err := firstErr
	if err == nil && ctx.Err() != nil {
		err = fromAWS("AdminGetUser", context.Cause(ctx))
	}
	if err != nil {
		r.Partial = true
		if errors.Is(err, context.Canceled) {
			err = withCause(newError(KindCanceled, say(i18n.AdminErrStopped)), err)
		}
	}
	return r, err
}

func (s *Summary) add(r Row) {
	s.Users++
	s.ByStatus[r.Status]++
	switch r.Category {
	case CategoryTOTP:
		s.TOTP++
	case CategoryOtherMFA:
		s.OtherMFA++
	case CategoryNoMFA:
		s.NoMFA++
	case CategoryDisabled:
		s.Disabled++
	}
}

func categoryOf(u User) Category {
	switch {
	case !u.Enabled:
		return CategoryDisabled
	case u.HasTOTP():
		return CategoryTOTP
	case len(u.Factors) > 0:
		return CategoryOtherMFA
	}
	return CategoryNoMFA
}
