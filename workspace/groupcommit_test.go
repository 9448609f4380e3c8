package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// grouped runs the writes given at once while the writer lock is held, so
// that they queue and are committed as one group, and returns their errors
// in order. queued, if not nil, runs once all are queued.
func grouped(t *testing.T, s *Store, queued func(), writes ...func() error) []error {
	t.Helper()
	errs := make([]error, len(writes))
	var wg sync.WaitGroup
	s.mu.Lock()
	for i, w := range writes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = w() }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.qmu.Lock()
		n := len(s.queue)
		s.qmu.Unlock()
		if n == len(writes) {
			break
		}
		if time.Now().After(deadline) {
			s.mu.Unlock()
			t.Fatalf("%d of %d writes queued", n, len(writes))
		}
		time.Sleep(time.Millisecond)
	}
	if queued != nil {
		queued()
	}
	s.mu.Unlock()
	wg.Wait()
	return errs
}

func actionsIn(t *testing.T, adb *audit.DB) map[string]int {
	t.Helper()
	recs, err := adb.List(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range recs {
		var a audit.Action
		if err := jsonUnmarshal(r.Request, &a); err != nil {
			t.Fatal(err)
		}
		out[a.Action]++
	}
	return out
}

// Writes queued together commit in one transaction, and one that fails
// (in Go, or refused by a CHECK of the database after changing rows) is
// undone alone: the others' alerts and audit records are kept, its own
// changes are not.
func TestGroupCommitFailureIsUndoneAlone(t *testing.T) {
	onEachBackend(t, testGroupCommitFailureIsUndoneAlone)
}

func testGroupCommitFailureIsUndoneAlone(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	bout := boutEntity()
	f.listings[bout.ID] = bout
	foundOf := func(sub lexscreen.Subject) func() error {
		return func() error {
			res, fps := resultFor(sub.Query, bout)
			_, err := f.s.FoundAs(ctx, System("test"), "run-1", []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}})
			return err
		}
	}
	errGo := errors.New("refused in Go after a change")
	before := f.s.WriteStats()
	errs := grouped(t, f.s, nil,
		foundOf(subject("C-1", "Viktor Bout", "1967-01-13")),
		func() error {
			return f.s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, created) VALUES ('eve', 'admin', 'now')`); err != nil {
					return err
				}
				c.act(analyst, "test.undone", "alert:1", nil)
				return errGo
			})
		},
		foundOf(subject("C-2", "Victor Boutov", "1967")),
		func() error {
			return f.s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, created) VALUES ('mallory', 'admin', 'now')`); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, created) VALUES ('', 'admin', 'now')`) // refused by a CHECK
				return dbErr(err)
			})
		},
	)
	after := f.s.WriteStats()
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("the good writes failed: %v, %v", errs[0], errs[2])
	}
	if !errors.Is(errs[1], errGo) || code(errs[3]) != lexscreen.ECONFLICT {
		t.Fatalf("the failing writes: %v, %v", errs[1], errs[3])
	}
	if got := after.Commits - before.Commits; got != 1 {
		t.Errorf("%d commits for the 4 writes queued together, want 1", got)
	}
	var alerts, users int
	db := f.s.DB()
	db.QueryRow(`SELECT count(*) FROM alerts`).Scan(&alerts)
	db.QueryRow(`SELECT count(*) FROM users`).Scan(&users)
	if alerts != 2 || users != 0 {
		t.Errorf("after the group: %d alerts (want 2), %d users of the failed writes (want 0)", alerts, users)
	}
	if got := actionsIn(t, f.audit); got["alert.opened"] != 2 || got["test.undone"] != 0 {
		t.Errorf("audit actions %v, want 2 alert.opened and nothing of the failed write", got)
	}
}

// failingRecorder refuses every record, as a full disk would.
type failingRecorder struct{}

func (failingRecorder) Append(context.Context, ...*audit.Record) error {
	return errors.New("disk full")
}

// When the audit log refuses the group's records, no write of the group
// is done.
func TestGroupCommitAuditRefusalUndoesTheGroup(t *testing.T) {
	ctx := context.Background()
	bout := boutEntity()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "workspace.db"), Options{Audit: failingRecorder{}, Listings: listings{bout.ID: bout}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var writes []func() error
	for i := range 3 {
		sub := subject(fmt.Sprintf("C-%d", i), "Viktor Bout", "1967")
		writes = append(writes, func() error {
			res, fps := resultFor(sub.Query, bout)
			_, err := s.FoundAs(ctx, System("test"), "run-1", []SubjectResult{{Subject: sub, Result: res, EntityFingerprints: fps}})
			return err
		})
	}
	for i, err := range grouped(t, s, nil, writes...) {
		if code(err) != lexscreen.EUNAVAILABLE {
			t.Errorf("write %d: %v, want the audit refusal", i, err)
		}
	}
	var n int
	s.DB().QueryRow(`SELECT count(*) FROM alerts`).Scan(&n)
	if n != 0 {
		t.Errorf("%d alerts stored although their records were refused", n)
	}
}

// A caller that gives up while its write waits is told so and its write is
// not done; the others of the group are.
func TestGroupCommitCancelledCaller(t *testing.T) {
	f := newFixture(t)
	cancelled, cancel := context.WithCancel(context.Background())
	var ran bool
	errs := grouped(t, f.s, cancel,
		func() error {
			return f.s.write(cancelled, func(ctx context.Context, tx *sql.Tx, c *change) error {
				ran = true
				return nil
			})
		},
		func() error {
			_, err := f.s.CreateUser(context.Background(), Actor{ID: "key:admin", Role: "admin"}, "ana", "analyst", "")
			return err
		},
	)
	if ran || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("cancelled write: %v, want context.Canceled", errs[0])
	}
	if errs[1] != nil {
		t.Errorf("the other write: %v", errs[1])
	}
}

// BenchmarkFoundConcurrent records screenings that find their alert again
// (the steady state of POST /v1/screen?alert=1) from many goroutines, as
// the server does.
func BenchmarkFoundConcurrent(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b)
	bout := boutEntity()
	f.listings[bout.ID] = bout
	var subs []SubjectResult
	for i := range 12 {
		sub := subject(fmt.Sprintf("C-%d", i), "Viktor Bout", "1967")
		res, fps := resultFor(sub.Query, bout)
		subs = append(subs, SubjectResult{Subject: sub, Result: res, EntityFingerprints: fps})
	}
	for _, sr := range subs {
		if _, err := f.s.FoundAs(ctx, System("bench"), "run-0", []SubjectResult{sr}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetParallelism(64)
	b.ResetTimer()
	var n sync.Mutex
	i := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n.Lock()
			sr := subs[i%len(subs)]
			i++
			n.Unlock()
			if _, err := f.s.FoundAs(ctx, System("bench"), "run-1", []SubjectResult{sr}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	st := f.s.WriteStats()
	b.ReportMetric(float64(st.Writes)/float64(st.Commits), "writes/commit")
}

// A large write (here an import) is committed alone, not in a group with
// the writes queued around it, and they all succeed.
func TestGroupCommitLargeWriteAlone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var book strings.Builder
	book.WriteString("id,name,dob\n")
	for i := range 100 {
		fmt.Fprintf(&book, "C-%03d,Customer %d,1970-01-01\n", i, i)
	}
	admin := Actor{ID: "key:admin", Role: "admin"}
	before := f.s.WriteStats()
	errs := grouped(t, f.s, nil,
		func() error { _, err := f.s.CreateUser(ctx, admin, "ana", "analyst", ""); return err },
		func() error {
			_, err := f.s.Import(ctx, admin, "book.csv", []byte(book.String()), ImportOptions{})
			return err
		},
		func() error { _, err := f.s.CreateUser(ctx, admin, "bob", "approver", ""); return err },
	)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if got := f.s.WriteStats().Commits - before.Commits; got < 2 {
		t.Errorf("%d commits for a large write and two small ones, want at least 2", got)
	}
	var n int
	f.s.DB().QueryRow(`SELECT count(*) FROM subjects`).Scan(&n)
	if n != 100 {
		t.Errorf("%d subjects imported, want 100", n)
	}
}

// A write that panics fails the writes of its group, which are told so
// instead of waiting forever, and the store goes on working.
func TestGroupCommitPanic(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	admin := Actor{ID: "key:admin", Role: "admin"}
	// The panic goes on in whichever caller commits the group.
	recovering := func(w func() error) func() error {
		return func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panicked: %v", p)
				}
			}()
			return w()
		}
	}
	errs := grouped(t, f.s, nil,
		recovering(func() error {
			return f.s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error { panic("bug") })
		}),
		recovering(func() error { _, err := f.s.CreateUser(ctx, admin, "ana", "analyst", ""); return err }),
	)
	if errs[0] == nil || errs[1] == nil {
		t.Fatalf("a group with a panicking write: %v, %v", errs[0], errs[1])
	}
	if _, err := f.s.CreateUser(ctx, admin, "ana", "analyst", ""); err != nil {
		t.Fatalf("after the panic: %v", err)
	}
}
