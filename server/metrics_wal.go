package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lexscreen/lexscreen/internal/sqlitewal"
)

// walCollector reports the background WAL checkpoints of the audit log's
// and the workspace's SQLite databases (internal/sqlitewal): the failures
// (the WAL grows until one succeeds) and how each WAL was made to start
// over, caught up without holding the writer or forced with it held (the
// commits then wait).
type walCollector struct {
	s                  *Server
	failures, restarts *prometheus.Desc
}

func newWALCollector(s *Server) *walCollector {
	return &walCollector{s: s,
		failures: prometheus.NewDesc("lexscreen_wal_checkpoint_failures_total",
			"Background WAL checkpoints that failed, by database (audit, workspace; SQLite only): the WAL grows until one succeeds.", []string{"db"}, nil),
		restarts: prometheus.NewDesc("lexscreen_wal_restarts_total",
			"Times the WAL was made to start over, by database and how: caught_up (checkpoints one after another until all of it was copied; no commit waits) or forced (a checkpoint with the writer held; commits wait for it).", []string{"db", "how"}, nil),
	}
}

func (c *walCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.failures; ch <- c.restarts }

func (c *walCollector) Collect(ch chan<- prometheus.Metric) {
	emit := func(db string, st sqlitewal.Stats) {
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(st.Failures), db)
		ch <- prometheus.MustNewConstMetric(c.restarts, prometheus.CounterValue, float64(st.CaughtUp), db, "caught_up")
		ch <- prometheus.MustNewConstMetric(c.restarts, prometheus.CounterValue, float64(st.Forced), db, "forced")
	}
	var audit, ws sqlitewal.Stats
	if a := c.s.cfg.Audit; a != nil {
		audit = a.WALStats()
	}
	if w := c.s.cfg.Workspace; w != nil {
		ws = w.WriteStats().WAL
	}
	emit("audit", audit)
	emit("workspace", ws)
}
