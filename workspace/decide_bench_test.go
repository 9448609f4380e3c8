package workspace

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// cycleEntities are four listings of one name, as a screening of a listed
// name matches it on several lists (lexload's cycles open four alerts).
func cycleEntities() []*lexscreen.Entity {
	var es []*lexscreen.Entity
	for i, src := range []string{"us-ofac-sdn", "eu-fsf", "gb-hmt", "un-sc"} {
		e := boutEntity()
		e.ID, e.Source = fmt.Sprintf("%s:%d", src, 9146+i), src
		es = append(es, e)
	}
	return es
}

// prefillDecided adds n alerts, each with an approved decision, in one
// transaction: a workspace that has been deciding for a while.
func prefillDecided(tb testing.TB, s *Store, n int) {
	tb.Helper()
	tx, err := s.DB().Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	const t = "2026-01-15T10:00:00Z"
	for i := range n {
		var id int64
		err := tx.QueryRow(`INSERT INTO alerts (status, subject_id, subject, subject_fp, entity_id, entity_fp, score, result, run, due, opened, updated, last_seen, last_run)
			VALUES ('open', ?, '{}', ?, 'us-ofac-sdn:1', 'efp', 0.9, '{}', 'prefill', ?, ?, ?, ?, 'prefill') RETURNING id`,
			fmt.Sprintf("P-%d", i), fmt.Sprintf("sfp-%d", i), t, t, t, t).Scan(&id)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO decisions (alert_id, outcome, reason, maker, maker_role, made, from_status, state, checker, checker_role, checked)
			VALUES (?, 'false_positive', 'prefill', 'user:ana', 'analyst', ?, 'open', 'approved', 'user:bob', 'approver', ?)`, id, t, t); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkDecideApprove is lexload's four-eyes cycle on the store, many
// at a time as the server runs them: a subject never seen before screened
// with alerts on (four listings matched: four alerts and the screening's
// audit record), its first alert decided as a false positive by an
// analyst, the decision approved by an approver. One op is one cycle.
// "decided=N" starts with N decided alerts in the workspace, as a server
// has after a while.
func BenchmarkDecideApprove(b *testing.B) {
	for _, decided := range []int{0, 20000} {
		b.Run(fmt.Sprintf("decided=%d", decided), func(b *testing.B) {
			ctx := context.Background()
			f := newFixture(b)
			es := cycleEntities()
			for _, e := range es {
				f.listings[e.ID] = e
			}
			prefillDecided(b, f.s, decided)
			before := f.s.WriteStats()
			var next atomic.Int64
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := next.Add(1)
					sub := subject(fmt.Sprintf("adhoc:cycle-%d", n), "Viktor Bout", "1967")
					sub.Query.Identifiers = []string{fmt.Sprintf("LEXLOAD-%d", n)}
					sub.Fingerprint = lexscreen.SubjectFingerprint(sub.Query)
					res, fps := resultFor(sub.Query, es...)
					rep, err := f.s.FoundScreening(ctx, screener, "bench", []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}},
						[]*audit.Record{screeningRecord(b, res)})
					if err != nil || len(rep.Opened) != len(es) {
						b.Errorf("screening: %v (opened %v)", err, rep.Opened)
						return
					}
					if _, err := f.s.Decide(ctx, analyst, rep.Opened[0], DecisionInput{Outcome: OutcomeFalsePositive, Reason: "born 1971, not 1967"}); err != nil {
						b.Errorf("decide: %v", err)
						return
					}
					if _, err := f.s.Check(ctx, approver, rep.Opened[0], true, "checked"); err != nil {
						b.Errorf("approve: %v", err)
						return
					}
				}
			})
			b.StopTimer()
			st := f.s.WriteStats()
			b.ReportMetric(float64(st.Writes-before.Writes)/float64(st.Commits-before.Commits), "writes/commit")
		})
	}
}
