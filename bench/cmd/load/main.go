// Command load measures complete TOTP enrollments per second against Cognito
// endpoints on loopback (cognito-totp local, moto_server, the bare ceiling),
// through the real SDK and the tool's own flow client.
//
// One enrollment is five calls: InitiateAuth (USER_PASSWORD_AUTH) ->
// NEW_PASSWORD_REQUIRED answer -> MFA_SETUP: AssociateSoftwareToken ->
// VerifySoftwareToken with a computed code -> MFA_SETUP answer (tokens).
// The new-password step is there because moto only sends MFA_SETUP right
// after it; every target does it, so the work is the same everywhere.
//
// With -flow signin, one unit of work is a sign-in instead: InitiateAuth
// (USER_PASSWORD_AUTH) of a CONFIRMED user in a pool with MFA OFF, which
// answers with tokens. It is the call that changes least (a new refresh
// token), to compare an endpoint that keeps its data on disk with one in
// memory.
//
// Each concurrency level runs until its users are used up or its time is
// over, whichever comes first; users are created with the admin API before
// the level starts, outside the measured time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp/totp"

	"github.com/cognito-totp/cognito-totp/bench/internal/loadkit"
	"github.com/cognito-totp/cognito-totp/bench/internal/results"
	"github.com/cognito-totp/cognito-totp/flow"
)

const (
	region       = "us-east-1"
	tempPassword = "Temp-Passw0rd!"
	newPassword  = "N3w-Passw0rd!"
)

type targetFlag []string

func (t *targetFlag) String() string     { return strings.Join(*t, ",") }
func (t *targetFlag) Set(v string) error { *t = append(*t, v); return nil }

type options struct {
	conc      []int
	duration  time.Duration
	maxUsers  int
	calibrate time.Duration
	rounds    int
	stateless map[string]bool
	signIn    bool // -flow signin
}

func main() {
	var targets targetFlag
	flag.Var(&targets, "target", "name=url of an endpoint to load (repeatable, measured in this order)")
	concList := flag.String("conc", "1,8,64", "concurrency levels")
	duration := flag.Duration("duration", 3*time.Second, "time bound of each level in each round")
	rounds := flag.Int("rounds", 2, "rounds: each runs every level against every target, levels outermost, so peers are measured side by side in time")
	maxUsers := flag.Int("max-users", 20000, "count bound of each level (enrollments)")
	calibrate := flag.Duration("calibrate", time.Second, "length of the untimed run that sizes the user batches")
	stateless := flag.String("stateless", "ceiling", "comma-separated targets that take any username (no users are created there)")
	out := flag.String("out", "", "write the results as JSON to this file")
	flowName := flag.String("flow", "enroll", "the unit of work: enroll (five calls, TOTP set up) or signin (one InitiateAuth answered with tokens)")
	flag.Parse()
	if *flowName != "enroll" && *flowName != "signin" {
		fmt.Fprintf(os.Stderr, "load: -flow %q is neither enroll nor signin\n", *flowName)
		os.Exit(2)
	}
	if len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "load: give at least one -target name=url")
		os.Exit(2)
	}
	o := options{duration: *duration, maxUsers: *maxUsers, calibrate: *calibrate, rounds: max(1, *rounds), stateless: map[string]bool{},
		signIn: *flowName == "signin"}
	for _, c := range strings.Split(*concList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "load: bad concurrency %q\n", c)
			os.Exit(2)
		}
		o.conc = append(o.conc, n)
	}
	for _, s := range strings.Split(*stateless, ",") {
		o.stateless[strings.TrimSpace(s)] = true
	}
	res := results.Load{Command: strings.Join(append([]string{"bench/out/bin/load"}, os.Args[1:]...), " "), Cores: runtime.NumCPU(),
		Started: time.Now().UTC().Format(time.RFC3339), Ops: loadkit.Ops, Flow: *flowName}
	if o.signIn {
		res.Ops = []string{loadkit.OpInitiateAuth}
	}
	ctx := context.Background()
	var prepared []*target
	for _, t := range targets {
		name, url, ok := strings.Cut(t, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "load: -target %q is not name=url\n", t)
			os.Exit(2)
		}
		tg, err := prepare(ctx, name, url, o)
		if err != nil {
			fmt.Fprintf(os.Stderr, "load: %s: %v\n", name, err)
			tg = &target{name: name, err: err}
		}
		prepared = append(prepared, tg)
	}
	// Levels outermost, then rounds, then targets: the peers of one level are
	// measured within seconds of each other, so load on the machine from
	// elsewhere falls on all of them alike.
	for _, conc := range o.conc {
		for range o.rounds {
			for _, tg := range prepared {
				tg.round(ctx, conc, o)
			}
		}
	}
	for _, tg := range prepared {
		res.Targets = append(res.Targets, tg.result(o))
	}
	results.Finish("load", *out, res, nil)
}

type target struct {
	name      string
	err       error
	rate      float64 // enrollments per second, the best seen: sizes the user batches
	stateless bool
	signIn    bool // sign-ins, not enrollments, are the unit of work
	admin     *cip.Client
	client    *flow.Client
	lat       *loadkit.Latencies
	poolID    string
	clientID  string
	nextUser  int
	levels    map[int]*levelTotals
}

// levelTotals adds up the rounds of one concurrency level.
type levelTotals struct {
	enrollments, errors, retries int
	seconds                      float64
	rounds                       []float64
	boundBy                      []string
	firstErr                     string
	lat                          map[string][]time.Duration
}

func newHTTPClient() *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: loadkit.FixingTransport{Next: tr}, Timeout: 60 * time.Second}
}

// prepare makes the target's pool and client and runs the calibration.
func prepare(ctx context.Context, name, url string, o options) (*target, error) {
	hc := newHTTPClient()
	t := &target{name: name, stateless: o.stateless[name], signIn: o.signIn, lat: &loadkit.Latencies{}, levels: map[int]*levelTotals{}}
	t.admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(url), HTTPClient: hc, RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "dummy", "")})
	if err := t.setupPool(ctx); err != nil {
		return nil, fmt.Errorf("setting up the pool: %w", err)
	}
	pool := flow.Pool{UserPoolID: t.poolID, ClientID: t.clientID, Region: region, Issuer: "bench"}
	api, err := flow.NewAPI(ctx, pool, flow.Endpoint{URL: url, HTTPClient: hc})
	if err != nil {
		return nil, err
	}
	t.client = flow.New(loadkit.TimedAPI{API: api, Lat: t.lat}, pool)

	// Calibration: an untimed run at concurrency 8 that warms connections up
	// and tells how many users a level needs.
	calUsers, err := t.users(ctx, calibrationUsers(name))
	if err != nil {
		return nil, err
	}
	cal, _ := t.level(ctx, 8, calUsers, o.calibrate)
	if cal.Enrollments == 0 {
		return nil, fmt.Errorf("no enrollment succeeded in the calibration run: %s", cal.FirstError)
	}
	t.rate = cal.PerSecond
	fmt.Fprintf(os.Stderr, "load: %s: calibration %.0f enrollments/s at concurrency 8\n", name, t.rate)
	return t, nil
}

// round runs one level once against t, with users made for it beforehand.
func (t *target) round(ctx context.Context, conc int, o options) {
	if t.err != nil {
		return
	}
	n := int(math.Ceil(t.rate*1.5*o.duration.Seconds())) + 2*conc
	n = max(conc, min(o.maxUsers, n))
	if t.stateless {
		n = o.maxUsers // names cost nothing there: let time alone end the round
	}
	users, err := t.users(ctx, n)
	if err != nil {
		t.err = err
		return
	}
	lr, lat := t.level(ctx, conc, users, o.duration)
	fmt.Fprintf(os.Stderr, "load: %s: concurrency %d: %d enrollments in %.2fs = %.1f/s (%d errors, bound by %s)\n",
		t.name, conc, lr.Enrollments, lr.Seconds, lr.PerSecond, lr.Errors, lr.BoundBy)
	if lr.Enrollments > 0 {
		t.rate = max(t.rate, lr.PerSecond)
	}
	tot := t.levels[conc]
	if tot == nil {
		tot = &levelTotals{lat: map[string][]time.Duration{}}
		t.levels[conc] = tot
	}
	tot.enrollments += lr.Enrollments
	tot.errors += lr.Errors
	tot.retries += lr.CodeRetries
	tot.seconds += lr.Seconds
	tot.rounds = append(tot.rounds, lr.PerSecond)
	tot.boundBy = append(tot.boundBy, lr.BoundBy)
	if tot.firstErr == "" {
		tot.firstErr = lr.FirstError
	}
	for op, ds := range lat {
		tot.lat[op] = append(tot.lat[op], ds...)
	}
}

// result adds the rounds of each level up.
func (t *target) result(o options) results.LoadTarget {
	tr := results.LoadTarget{Name: t.name}
	if t.err != nil {
		tr.Error = t.err.Error()
	}
	for _, conc := range o.conc {
		tot := t.levels[conc]
		if tot == nil {
			continue
		}
		lr := results.LoadLevel{Concurrency: conc, Enrollments: tot.enrollments, Seconds: tot.seconds, Errors: tot.errors,
			CodeRetries: tot.retries, FirstError: tot.firstErr, RoundRates: tot.rounds, BoundBy: strings.Join(tot.boundBy, ", "),
			Ops: map[string]loadkit.Summary{}}
		if tot.seconds > 0 {
			lr.PerSecond = float64(tot.enrollments) / tot.seconds
		}
		for op, ds := range tot.lat {
			lr.Ops[op] = loadkit.Summarize(ds)
		}
		tr.Levels = append(tr.Levels, lr)
	}
	return tr
}

func calibrationUsers(name string) int {
	if name == "moto" {
		return 40
	}
	return 600
}

func (t *target) setupPool(ctx context.Context) error {
	p, err := t.admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
	if err != nil {
		return err
	}
	t.poolID = aws.ToString(p.UserPool.Id)
	if t.signIn {
		return t.setupClient(ctx) // MFA OFF: a good password is answered with tokens
	}
	_, err = t.admin.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(t.poolID),
		MfaConfiguration: types.UserPoolMfaTypeOn, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil {
		return err
	}
	return t.setupClient(ctx)
}

func (t *target) setupClient(ctx context.Context) error {
	c, err := t.admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(t.poolID), ClientName: aws.String("bench"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		return err
	}
	t.clientID = aws.ToString(c.UserPoolClient.ClientId)
	return nil
}

// users creates n users with a temporary password, 4 at a time, and returns their names.
func (t *target) users(ctx context.Context, n int) ([]string, error) {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("user%06d", t.nextUser)
		t.nextUser++
	}
	if t.stateless {
		return names, nil
	}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				_, err := t.admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(t.poolID), Username: aws.String(names[i]),
					TemporaryPassword: aws.String(tempPassword), MessageAction: types.MessageActionTypeSuppress})
				if err == nil && t.signIn {
					_, err = t.admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(t.poolID),
						Username: aws.String(names[i]), Password: aws.String(newPassword), Permanent: true})
				}
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("AdminCreateUser: %w", err) })
					return
				}
			}
		})
	}
	wg.Wait()
	return names, firstErr
}

// level runs enrollments with conc workers until users or time run out.
func (t *target) level(ctx context.Context, conc int, users []string, d time.Duration) (results.LoadLevel, map[string][]time.Duration) {
	t.lat.Take()
	var next, done, failed, retries atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= len(users) {
					return
				}
				r, err := t.enroll(ctx, users[i])
				retries.Add(int64(r))
				if err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
					if failed.Add(1) > 50 && failed.Load() > done.Load() {
						return // the endpoint is failing, not slow
					}
					continue
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	lr := results.LoadLevel{Concurrency: conc, Enrollments: int(done.Load()), Seconds: elapsed.Seconds(),
		PerSecond: float64(done.Load()) / elapsed.Seconds(), Errors: int(failed.Load()), CodeRetries: int(retries.Load()),
		BoundBy: "time"}
	if next.Load() >= int64(len(users)) {
		lr.BoundBy = "count"
	}
	if e, ok := firstErr.Load().(string); ok {
		lr.FirstError = e
	}
	return lr, t.lat.Take()
}

// enroll takes one user from a temporary password to TOTP enabled and signed
// in. A code refused because the 30 s step turned between computing and
// checking it (moto accepts only the current step) is computed again, once.
func (t *target) enroll(ctx context.Context, user string) (retries int, err error) {
	if t.signIn {
		step, err := t.client.SignIn(ctx, user, newPassword)
		if err == nil && !step.SignedIn() {
			err = fmt.Errorf("sign-in answered %q, want tokens", step.Challenge)
		}
		return 0, err
	}
	step, err := t.client.SignIn(ctx, user, tempPassword)
	if err != nil {
		return 0, err
	}
	if step.Challenge != flow.ChallengeNewPassword {
		return 0, fmt.Errorf("sign-in answered %q, want %s", step.Challenge, flow.ChallengeNewPassword)
	}
	step, err = t.client.SetNewPassword(ctx, step, newPassword, nil)
	if err != nil {
		return 0, err
	}
	if step.Challenge != flow.ChallengeMFASetup {
		return 0, fmt.Errorf("the new password answered %q, want %s", step.Challenge, flow.ChallengeMFASetup)
	}
	setup, err := t.client.BeginTOTP(ctx, step)
	if err != nil {
		return 0, err
	}
	for attempt := 0; ; attempt++ {
		code, err := totp.GenerateCode(setup.Secret, time.Now())
		if err != nil {
			return attempt, err
		}
		done, err := t.client.ConfirmTOTP(ctx, setup, code)
		if err != nil {
			if flow.KindOf(err) == flow.KindWrongCode && attempt == 0 {
				continue
			}
			return attempt, err
		}
		if done.Tokens == nil || done.Tokens.AccessToken == "" {
			return attempt, errors.New("the MFA_SETUP answer returned no tokens")
		}
		return attempt, nil
	}
}
