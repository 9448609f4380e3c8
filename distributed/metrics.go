package distributed

import (
	"encoding/json"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are a worker's Prometheus counters, in a registry of its own.
type Metrics struct {
	Chunks            prometheus.Counter // chunks stored and acked
	Rows              prometheus.Counter // rows whose result this worker stored first
	RowsAlreadyStored prometheus.Counter // rows screened again but found stored (a redelivered chunk)
	Redeliveries      prometheus.Counter // chunks received that had been delivered before
	// ChunksByKind counts the chunks stored and acked by kind: batch
	// (rows of lexscreen batch --distributed) or monitor (subjects of a
	// monitoring run).
	ChunksByKind       *prometheus.CounterVec
	MonitorSubjects    prometheus.Counter // subjects of monitoring chunks screened
	PartsAlreadyStored prometheus.Counter // parts (monitoring chunks) screened again but found stored
	Errors             *prometheus.CounterVec
	ChunkSeconds       prometheus.Histogram
	reg                *prometheus.Registry
}

// NewMetrics makes a worker's metrics.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		Chunks: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_chunks_total",
			Help: "Chunks screened, stored and acked."}),
		Rows: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_rows_total",
			Help: "Rows whose result this worker stored."}),
		RowsAlreadyStored: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_rows_already_stored_total",
			Help: "Rows screened again in a redelivered chunk and found already stored (not duplicated)."}),
		Redeliveries: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_redeliveries_total",
			Help: "Chunks received that had been delivered before (their worker died or gave them back)."}),
		ChunksByKind: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_worker_chunks_by_kind_total",
			Help: "Chunks screened, stored and acked, by kind: batch rows or monitor subjects."}, []string{"kind"}),
		MonitorSubjects: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_monitor_subjects_total",
			Help: "Subjects of monitoring runs screened (in chunks stored and acked)."}),
		PartsAlreadyStored: prometheus.NewCounter(prometheus.CounterOpts{Name: "lexscreen_worker_parts_already_stored_total",
			Help: "Monitoring chunks screened again after a redelivery and found already stored (not duplicated)."}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lexscreen_worker_errors_total",
			Help: "Chunks not acked, by cause: fetch, decode, screen, store, ack."}, []string{"kind"}),
		ChunkSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lexscreen_worker_chunk_seconds",
			Help: "Time to screen and store a chunk.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
	}
	m.reg.MustRegister(m.Chunks, m.Rows, m.RowsAlreadyStored, m.Redeliveries, m.ChunksByKind, m.MonitorSubjects, m.PartsAlreadyStored, m.Errors, m.ChunkSeconds)
	for _, k := range []string{"batch", KindMonitor} {
		m.ChunksByKind.WithLabelValues(k)
	}
	for _, k := range []string{"fetch", "decode", "screen", "store", "ack"} {
		m.Errors.WithLabelValues(k)
	}
	return m
}

// Handler serves /metrics, /healthz and /readyz. healthy says why the
// worker can't work (NATS disconnected, the index not built yet), nil when
// it can; ready, if not nil, says in addition whether the work stream can
// be reached now (/readyz only: a worker whose stream is gone is alive but
// not ready).
func (m *Metrics) Handler(healthy, ready func() error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeHealth(w, healthy())
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		err := healthy()
		if err == nil && ready != nil {
			err = ready()
		}
		writeHealth(w, err)
	})
	return mux
}

// writeHealth answers 200 {"status":"ok"}, or 503 with the reason.
func writeHealth(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "reason": err.Error()})
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}
