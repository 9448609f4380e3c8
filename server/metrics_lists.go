package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// listAgeCollector exports, per list of the index in use, the seconds since
// its publisher's date (lexscreen_list_age_seconds{source}); the gauge of
// the oldest list is lexscreen_index_oldest_list_age_seconds.
type listAgeCollector struct {
	s      *Server
	age    *prometheus.Desc
	oldest *prometheus.Desc
}

func newListAgeCollector(s *Server) *listAgeCollector {
	return &listAgeCollector{s: s,
		age: prometheus.NewDesc("lexscreen_list_age_seconds",
			"Seconds since the publisher's date of each list in the index in use.", []string{"source"}, nil),
		oldest: prometheus.NewDesc("lexscreen_index_oldest_list_age_seconds",
			"Seconds since the publisher's date of the oldest list in the index in use.", nil, nil)}
}

func (c *listAgeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.age
	ch <- c.oldest
}

func (c *listAgeCollector) Collect(ch chan<- prometheus.Metric) {
	oldest := 0.0
	if ix := c.s.index.Load(); ix != nil {
		now := time.Now()
		for _, sn := range ix.Snapshots {
			if sn.Published.IsZero() {
				continue
			}
			age := now.Sub(sn.Published).Seconds()
			oldest = max(oldest, age)
			ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age, sn.Source)
		}
	}
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, oldest)
}

// reloadMetrics time the index rebuilds.
type reloadMetrics struct {
	duration    prometheus.Histogram
	lastSuccess prometheus.Gauge
	// builds counts the indexes loaded by where they came from.
	builds *prometheus.CounterVec
}

func newReloadMetrics() reloadMetrics {
	return reloadMetrics{
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lexscreen_index_reload_duration_seconds",
			Help:    "Time of the index builds that succeeded (the first one unthrottled, later ones at --reload-cpu).",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 20, 40, 80, 160}}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lexscreen_index_last_reload_success_timestamp_seconds",
			Help: "Unix time of the last index build that succeeded."}),
		builds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_index_loads_total",
			Help: "Indexes loaded, by where the index came from: kept_file (an index file kept before), elsewhere (built by serve's `lexscreen index --background` process), here (built by the server), failed_elsewhere (that process failed; the server then built it)."},
			[]string{"from"}),
	}
}

// newScreeningLatency is the time of one screening by kind (screen, batch,
// match, search, reconcile, suggest), from query to result, without the
// audit commit.
func newScreeningLatency() *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lexscreen_screening_duration_seconds",
		Help:    "Time to screen one query against the index, by kind (screen, batch, match, search, reconcile, suggest); the audit commit is not included.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}}, []string{"kind"})
}
