package workspace

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/store/storetest"
)

// Two servers on one PostgreSQL database share one workspace: the same pair
// found by both at once opens one alert, an alert opened through one is
// decided through the other, four eyes holds across them, and the
// suppression one approves holds for the other.
func TestTwoStoresOnePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	open := func(name string) (*Store, listings) {
		adb, err := audit.Open(ctx, filepath.Join(t.TempDir(), name+"-audit.db"))
		if err != nil {
			t.Fatal(err)
		}
		ls := listings{}
		s, err := OpenPostgres(ctx, dsn, Options{Audit: adb, Listings: ls})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close(); adb.Close() })
		return s, ls
	}
	a, la := open("a")
	b, lb := open("b")
	bout := boutEntity()
	la[bout.ID], lb[bout.ID] = bout, bout
	subs := []lexscreen.Subject{subject("C-0005", "Viktor Bout", "1967-01-13"), subject("C-0017", "Victor Butt", "1967")}

	// Both servers record the same screenings at once, many times.
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		for _, s := range []*Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sub := subs[i%2]
				res, fps := resultFor(sub.Query, bout)
				_, err := s.FoundAs(ctx, System("test"), "run-1", []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}})
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	page, err := b.Alerts(ctx, AlertFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 {
		t.Fatalf("%d alerts for 2 pairs found 40 times by two servers, want 2: %+v", page.Total, page.Alerts)
	}
	var id int64
	for _, al := range page.Alerts {
		if al.SubjectID == "C-0005" {
			id = al.ID
		}
	}

	// Decided on a, checked on b; b's event stream sees a's decision.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if listening, _ := b.EventRelay(); listening {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("store b does not listen to the other servers' events")
		}
	}
	events, unsubscribe := b.Subscribe()
	defer unsubscribe()
	if _, err := a.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeFalsePositive, Reason: "born 1967-01-13 in Kyiv; passport differs"}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		if e.Type != EventAlertDecided || e.Alert != id || e.Actor != analyst.ID || e.Time.IsZero() {
			t.Fatalf("b's stream got %+v, want a's decision of alert %d", e, id)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("b's event stream did not see the decision made through a")
	}
	maker := Actor{ID: analyst.ID, Role: "approver"} // the same person, whatever the role it claims
	if _, err := b.Check(ctx, maker, id, true, ""); code(err) != lexscreen.ECONFLICT {
		t.Fatalf("the maker approved their own decision through the other server: %v", err)
	}
	if _, err := b.DB().ExecContext(ctx, `UPDATE decisions SET state = 'approved', checker = maker, checker_role = 'approver', checked = 'x' WHERE alert_id = ?`, id); code(dbErr(err)) != lexscreen.ECONFLICT {
		t.Fatalf("the database let the maker check their own decision: %v", err)
	}
	if _, err := b.Check(ctx, approver2, id, true, "passport copy checked"); err != nil {
		t.Fatal(err)
	}
	al, err := a.Alert(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if al.Status != StatusFalsePositive || len(al.Decisions) != 1 || al.Decisions[0].Checker != approver2.ID {
		t.Fatalf("server a sees status %s, decisions %+v", al.Status, al.Decisions)
	}
	// The suppression approved on b holds on a; a changed listing alerts again.
	res, fps := resultFor(subs[0].Query, bout)
	rep, err := a.FoundAs(ctx, System("test"), "run-2", []SubjectResult{{Subject: subs[0], Result: res, EntityFingerprints: fps}})
	if err != nil || rep.Suppressed != 1 || len(rep.Opened) != 0 {
		t.Fatalf("suppressed pair on the other server: %+v %v", rep, err)
	}
	changed := boutEntity()
	changed.BirthDates = append(changed.BirthDates, lexscreen.DateValue{From: lexscreen.PartialDate{Year: 1967}})
	la[changed.ID] = changed
	res, fps = resultFor(subs[0].Query, changed)
	rep, err = a.FoundAs(ctx, System("test"), "run-3", []SubjectResult{{Subject: subs[0], Result: res, EntityFingerprints: fps}})
	if err != nil || len(rep.Realerted) != 1 {
		t.Fatalf("changed listing: %+v %v", rep, err)
	}
}

// BenchmarkWriteBackends: recording screenings from many goroutines on each
// backend, as the server does: "again" finds the same alerts again (the
// steady state), "open" opens a new alert at each write.
func BenchmarkWriteBackends(b *testing.B) {
	for _, backend := range []struct {
		name string
		open func(testing.TB) *fixture
	}{{"sqlite", newFixture}, {"postgres", newPostgresFixture}} {
		for _, fresh := range []bool{false, true} {
			name := backend.name + "/again"
			if fresh {
				name = backend.name + "/open"
			}
			b.Run(name, func(b *testing.B) { benchWrites(b, backend.open(b), fresh) })
		}
	}
}

func benchWrites(b *testing.B, f *fixture, fresh bool) {
	ctx := context.Background()
	bout := boutEntity()
	f.listings[bout.ID] = bout
	res, fps := resultFor(subject("C-0", "Viktor Bout", "1967").Query, bout)
	var subs []SubjectResult
	for i := range 12 {
		subs = append(subs, SubjectResult{Subject: subject(fmt.Sprintf("C-%d", i), "Viktor Bout", "1967"), Result: res, EntityFingerprints: fps})
		if _, err := f.s.FoundAs(ctx, System("bench"), "run-0", subs[i:]); err != nil {
			b.Fatal(err)
		}
	}
	b.SetParallelism(16)
	b.ResetTimer()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			sr := subs[i%int64(len(subs))]
			if fresh {
				sr.Subject = subject(fmt.Sprintf("N-%d", i), "Viktor Bout", "1967")
			}
			if _, err := f.s.FoundAs(ctx, System("bench"), "run-1", []SubjectResult{sr}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	st := f.s.WriteStats()
	b.ReportMetric(float64(st.Writes)/float64(st.Commits), "writes/commit")
}
