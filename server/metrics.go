package server

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus metrics of one Server (own registry, so that
// several servers can live in one test process).
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	screenings *prometheus.CounterVec
	matches    prometheus.Counter
	reloads    *prometheus.CounterVec
	commits    *prometheus.HistogramVec
	committed  prometheus.Counter
	// refused counts what the server's limits refused, by reason
	// (conn_per_addr, auth_failures, busy_replay, busy_verify, busy_batch).
	refused     *prometheus.CounterVec
	refusedConn func()
	// reload times the index builds; screenLatency the screenings by kind.
	reload        reloadMetrics
	screenLatency *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lexscreen_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route"})
	m.screenings = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_screenings_total",
		Help: "Screenings recorded in the audit chain, by kind (screen, batch, match, search, reconcile)."}, []string{"kind"})
	m.matches = prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_matches_total",
		Help: "Matches reported by screenings."})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_index_reloads_total",
		Help: "Index builds, by result (ok, failed)."}, []string{"result"})
	m.commits = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lexscreen_audit_commit_duration_seconds",
		Help:    "Time of the audit log's commits (screenings wait for the one that holds their record), by result (ok, failed).",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"result"})
	m.committed = prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_audit_records_committed_total",
		Help: "Audit records committed (records per commit = this over lexscreen_audit_commit_duration_seconds_count)."})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_refused_total",
		Help: "Connections and requests refused by the server's limits, by reason (conn_per_addr, auth_failures, busy_replay, busy_verify, busy_batch)."}, []string{"reason"})
	perAddr := m.refused.WithLabelValues("conn_per_addr")
	m.refusedConn = perAddr.Inc
	entities := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lexscreen_index_entities",
		Help: "Entities in the index in use."}, func() float64 {
		if ix := s.index.Load(); ix != nil {
			return float64(ix.Entities)
		}
		return 0
	})
	age := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lexscreen_index_age_seconds",
		Help: "Seconds since the index in use was built."}, func() float64 {
		if ix := s.index.Load(); ix != nil {
			return time.Since(ix.Built).Seconds()
		}
		return 0
	})
	m.reload = newReloadMetrics()
	m.screenLatency = newScreeningLatency()
	m.reg.MustRegister(m.requests, m.latency, m.screenings, m.matches, m.reloads, m.commits, m.committed, m.refused, entities, age,
		newListAgeCollector(s), m.reload.duration, m.reload.lastSuccess, m.reload.builds, m.screenLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(workspaceCollectors(s)...)
	m.reg.MustRegister(newWALCollector(s))
	return m
}

// observeCommit is the audit log's commit observer.
func (m *metrics) observeCommit(records int, took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	} else {
		m.committed.Add(float64(records))
	}
	m.commits.WithLabelValues(result).Observe(took.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
