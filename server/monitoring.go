package server

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// MonitorRun is what one background monitoring run did, for the metrics
// (serve --monitor reports each run with Server.MonitorRan).
type MonitorRun struct {
	// Result is ok, skipped (no list changed), incomplete (subjects not
	// screened or alerts not re-evaluated: see the log) or failed.
	Result    string
	Kind      string // delta, full or "" when skipped
	Opened    int    // alerts opened (re-alerts included)
	Realerted int
	Elapsed   time.Duration
}

// monitorMetrics are the metrics of the background monitoring runs.
type monitorMetrics struct {
	runs    *prometheus.CounterVec
	opened  prometheus.Counter
	seconds prometheus.Histogram
	lastOK  atomic.Int64 // unix seconds of the last run that was not a failure
}

func newMonitorMetrics(reg *prometheus.Registry) *monitorMetrics {
	m := &monitorMetrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_monitor_runs_total",
			Help: "Background monitoring runs (serve --monitor), by result (ok, skipped, incomplete, failed)."}, []string{"result"}),
		opened: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_monitor_alerts_opened_total",
			Help: "Alerts opened by monitoring runs (re-alerts included)."}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lexscreen_monitor_run_duration_seconds",
			Help: "Time of the monitoring runs.", Buckets: []float64{.1, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}}),
	}
	last := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lexscreen_monitor_last_success_age_seconds",
		Help: "Seconds since the last monitoring run that did not fail (-1: none yet). Alert on it exceeding a day."}, func() float64 {
		if t := m.lastOK.Load(); t > 0 {
			return time.Since(time.Unix(t, 0)).Seconds()
		}
		return -1
	})
	reg.MustRegister(m.runs, m.opened, m.seconds, last)
	return m
}

// MonitorRan counts a background monitoring run in the metrics.
func (s *Server) MonitorRan(r MonitorRun) {
	m := s.monitorMetrics
	m.runs.WithLabelValues(r.Result).Inc()
	if r.Result == "failed" {
		return
	}
	m.opened.Add(float64(r.Opened))
	if r.Result != "skipped" {
		m.seconds.Observe(r.Elapsed.Seconds())
	}
	m.lastOK.Store(time.Now().Unix())
}
