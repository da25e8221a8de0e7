package admin

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
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
	Category Category `json:"category"`
}

// Listing is the pool's users as ListUsers gives them, before any is read.
type Listing struct {
	Users []User // Factors not known yet
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

// List reads every user of the pool with ListUsers, PageSize at a time.
// On an error (or ctx done) it returns what it listed so far and the error.
func (s *Scanner) List(ctx context.Context, progress func(Progress)) (Listing, error) {
	var l Listing
	var token *string
	for {
		if err := s.wait(ctx, s.list); err != nil {
			return l, fromAWS("ListUsers", err)
		}
		out, err := s.admin.api.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(s.admin.poolID),
			Limit: aws.Int32(PageSize), PaginationToken: token}, s.callOpts)
		if err != nil {
			return l, fromAWS("ListUsers", err)
		}
		for _, u := range out.Users {
			l.Users = append(l.Users, User{Username: aws.ToString(u.Username), Status: string(u.UserStatus), Enabled: u.Enabled})
		}
		if progress != nil {
			progress(Progress{Listing: true, Done: len(l.Users)})
		}
		token = out.PaginationToken
		if aws.ToString(token) == "" {
			return l, nil
		}
	}
}

// Report is the outcome of a status run. Partial is set when the run stopped
// before every user was read; Rows then hold the users known so far.
type Report struct {
	PoolID  string  `json:"user_pool_id"`
	Partial bool    `json:"partial"`
	Listed  int     `json:"listed"` // users ListUsers returned
	Summary Summary `json:"summary"`
	Rows    []Row   `json:"users"`
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

// Read calls AdminGetUser for each enabled user of l, within the Scanner's
// limits, and returns the report. Disabled users are not read (they cannot
// sign in, and every read counts toward monthly active users). On ctx done
// or an error it stops and returns the partial report with the error.
func (s *Scanner) Read(ctx context.Context, l Listing, progress func(Progress)) (Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := make([]*Row, len(l.Users))
	total := l.ToRead()
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
					rows[i] = &Row{User: u, Category: categoryOf(u)}
					mu.Unlock()
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
			rows[i] = &Row{User: u, Category: CategoryDisabled}
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

	r := Report{PoolID: s.admin.poolID, Listed: len(l.Users), Summary: Summary{ByStatus: map[string]int{}}}
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
