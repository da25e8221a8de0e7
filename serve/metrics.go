package serve

import (
	"context"
	"net"
	"net/http"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cognito-totp/cognito-totp/flow"
)

// Metrics are one server's Prometheus metrics, in a registry of their own.
// No label carries a username, an address, a key or anything secret: only
// fixed words (how a session ended, why it was refused, a flow Kind, a
// Cognito operation name).
type Metrics struct {
	reg *prometheus.Registry

	active        prometheus.Gauge
	sessions      *prometheus.CounterVec // by how they ended
	enrollments   prometheus.Counter
	failures      *prometheus.CounterVec // by flow Kind
	refusals      *prometheus.CounterVec // by reason
	duration      prometheus.Histogram
	timeToEnroll  prometheus.Histogram
	cognitoCalls  *prometheus.HistogramVec // by operation
	cognitoErrors *prometheus.CounterVec   // by operation
	codeRefusals  *prometheus.CounterVec   // refused authenticator codes, by flow.Cause
}

// cognitoOperations are the calls the wizard makes; their series exist from the start.
var cognitoOperations = []string{"InitiateAuth", "RespondToAuthChallenge", "AssociateSoftwareToken",
	"VerifySoftwareToken", "SetUserMFAPreference", "GetUser"}

// NewMetrics makes a server's metrics, with the Go runtime's and the
// process's own (goroutines, memory, open files) in the same registry.
func NewMetrics() *Metrics {
	const ns, sub = "cognito_totp", "serve"
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		active: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub, Name: "sessions_active",
			Help: "Session channels open now, each holding a slot of --max-sessions from the moment it opens."}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "sessions_total",
			Help: "Sessions that ran a wizard, by how they ended."}, []string{"ended"}),
		enrollments: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "enrollments_total",
			Help: "Authenticator apps enrolled."}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "failures_total",
			Help: "Cognito calls of the wizards that failed, by the flow's error Kind."}, []string{"kind"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "refusals_total",
			Help: "Connections, session channels, sessions and requests refused, by reason."}, []string{"reason"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "session_duration_seconds",
			Help: "How long sessions that ran a wizard lasted.", Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600}}),
		timeToEnroll: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "time_to_enroll_seconds",
			Help: "From a session's start to its authenticator app enrolled.", Buckets: []float64{10, 20, 30, 45, 60, 90, 120, 180, 300, 600}}),
		cognitoCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub, Name: "cognito_request_duration_seconds",
			Help: "Cognito calls, retries included, by operation.", Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20}}, []string{"operation"}),
		cognitoErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "cognito_request_errors_total",
			Help: "Cognito calls that failed, by operation."}, []string{"operation"}),
	}
	m.codeRefusals = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub, Name: "code_refusals_total",
		Help: "Authenticator codes Cognito refused, by the cause the wizard found: phones' clocks, reused codes, other entries."}, []string{"cause"})
	for _, c := range flow.Causes {
		m.codeRefusals.WithLabelValues(string(c))
	}
	m.reg.MustRegister(m.active, m.sessions, m.enrollments, m.failures, m.refusals, m.duration, m.timeToEnroll,
		m.cognitoCalls, m.cognitoErrors, m.codeRefusals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for r := reasonNone + 1; r < reasonCount; r++ {
		if r.isEnd() {
			m.sessions.WithLabelValues(reasons[r].label)
		} else {
			m.refusals.WithLabelValues(reasons[r].label)
		}
	}
	for _, op := range cognitoOperations {
		m.cognitoCalls.WithLabelValues(op)
		m.cognitoErrors.WithLabelValues(op)
	}
	return m
}

func (m *Metrics) refused(why reason) { m.refusals.WithLabelValues(reasons[why].label).Inc() }

func (m *Metrics) sessionEnded(ended reason, d time.Duration) {
	m.sessions.WithLabelValues(reasons[ended].label).Inc()
	m.duration.Observe(d.Seconds())
}

func (m *Metrics) enrolled(after time.Duration) {
	m.enrollments.Inc()
	m.timeToEnroll.Observe(after.Seconds())
}

// InstrumentCognito returns c with an SDK middleware that times every call
// and counts its failures by operation. Use it on the clients serve builds.
func (m *Metrics) InstrumentCognito(c *cip.Client) *cip.Client {
	opts := c.Options()
	opts.APIOptions = append(opts.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("cognito-totp/metrics",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleInitialize(ctx, in)
				op := middleware.GetOperationName(ctx)
				m.cognitoCalls.WithLabelValues(op).Observe(time.Since(start).Seconds())
				if err != nil {
					m.cognitoErrors.WithLabelValues(op).Inc()
				}
				return out, md, err
			}), middleware.Before)
	})
	return cip.New(opts)
}

// flowOption counts the wizard's failed Cognito calls by flow Kind, and its
// refused codes by flow Cause, as an observer of its flow client.
func (m *Metrics) flowOption() flow.Option { return flow.WithObserver(flowCounter{m}) }

type flowCounter struct{ m *Metrics }

func (f flowCounter) Called(_ context.Context, c flow.Call) {
	if c.Failed {
		f.m.failures.WithLabelValues(c.Kind.String()).Inc()
	}
}

func (f flowCounter) Clocked(_ context.Context, c flow.Clock) {
	if c.Refused && c.Diagnosis.Cause != flow.CauseNone {
		f.m.codeRefusals.WithLabelValues(string(c.Diagnosis.Cause)).Inc()
	}
}

// Handler serves /metrics, /healthz (200 while the SSH listener accepts)
// and /readyz (200 until the server begins to drain).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.accepting.Load() {
			http.Error(w, "the SSH listener is not accepting", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		switch {
		case s.draining.Load():
			http.Error(w, "draining for shutdown", http.StatusServiceUnavailable)
		case !s.accepting.Load():
			http.Error(w, "the SSH listener is not accepting", http.StatusServiceUnavailable)
		default:
			_, _ = w.Write([]byte("ok\n"))
		}
	})
	return mux
}

// ServeHTTP serves Handler on ln until ctx is done and the SSH server has
// stopped (so /readyz can say it is draining throughout).
func (s *Server) ServeHTTP(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	<-s.stopped
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	return nil
}

// CheckMetricsAddr refuses a metrics address that is the SSH one: the same
// port on the same host, or on all addresses.
func CheckMetricsAddr(sshAddr, metricsAddr string) error {
	sh, sp, err := net.SplitHostPort(sshAddr)
	if err != nil {
		return err
	}
	mh, mp, err := net.SplitHostPort(metricsAddr)
	if err != nil {
		return &net.AddrError{Err: "--metrics-listen is not host:port", Addr: metricsAddr}
	}
	if sp != mp || sp == "0" {
		return nil
	}
	unspecified := func(h string) bool { ip := net.ParseIP(h); return h == "" || ip != nil && ip.IsUnspecified() }
	if sh == mh || unspecified(sh) || unspecified(mh) {
		return errSamePort(metricsAddr, sshAddr)
	}
	return nil
}

func errSamePort(m, s string) error {
	return &net.AddrError{Err: "--metrics-listen must not be the SSH address (" + s + "): metrics are never on the SSH port", Addr: m}
}
