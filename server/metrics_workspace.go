package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lexscreen/lexscreen/workspace"
)

// workspaceCollectors are the workspace's write counters (zero without a
// workspace): its group commits, the writes they held, and the "last
// seen" marks of alerts found again that could not be written after the
// answer (workspace.WriteStats).
func workspaceCollectors(s *Server) []prometheus.Collector {
	stat := func(get func(c, w, lost int64) int64) func() float64 {
		return func() float64 {
			ws := s.cfg.Workspace
			if ws == nil {
				return 0
			}
			st := ws.WriteStats()
			return float64(get(st.Commits, st.Writes, st.SeenLost))
		}
	}
	cs := []prometheus.Collector{
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_commits_total",
			Help: "Transactions of the workspace (each a group of writes)."}, stat(func(c, _, _ int64) int64 { return c })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_writes_total",
			Help: "Writes of the workspace (actions, recorded screenings), committed in lexscreen_workspace_commits_total transactions."},
			stat(func(_, w, _ int64) int64 { return w })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_seen_lost_total",
			Help: "last_seen marks of alerts found again by an alerting screening that could not be written after its answer (the screening's audit record was written)."},
			stat(func(_, _, lost int64) int64 { return lost })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_checkpoint_failures_total",
			Help: "Background WAL checkpoints of the workspace database that failed (SQLite): the WAL file grows until one succeeds. The same as lexscreen_wal_checkpoint_failures_total{db=\"workspace\"}, kept for dashboards made before it."},
			func() float64 {
				if ws := s.cfg.Workspace; ws != nil {
					return float64(ws.WriteStats().WAL.Failures)
				}
				return 0
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_event_relay_failures_total",
			Help: "Times the connection receiving other servers' alert events (PostgreSQL LISTEN) was lost or could not be made; events notified meanwhile are not in this server's /v1/events stream."},
			func() float64 {
				if ws := s.cfg.Workspace; ws != nil {
					_, failures := ws.EventRelay()
					return float64(failures)
				}
				return 0
			}),
	}
	for i, name := range workspace.PhaseNames {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "lexscreen_workspace_writer_seconds_total",
			Help:        "Time the workspace's single writer spent in each phase of its group commits (begin, writes: running them and encoding their audit records, audit: the audit log's append and flush, commit: the commit and its flush); a write queued waits for all of it.",
			ConstLabels: prometheus.Labels{"phase": name}}, func() float64 {
			if ws := s.cfg.Workspace; ws != nil {
				return ws.WriteStats().PhaseSeconds[i]
			}
			return 0
		}))
	}
	return cs
}
