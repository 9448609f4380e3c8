package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAppendVerify appends records from many goroutines (group commits),
// reads them back, verifies the chain, and finds an altered record and
// deleted ones, on each backend.
func TestAppendVerify(t *testing.T) {
	eachBackend(t, func(t *testing.T, l *testLog) {
		for _, mode := range []string{"full", "normal"} {
			t.Run(mode, func(t *testing.T) {
				t.Parallel()
				testAppendVerify(t, l.fresh(t), mode)
			})
		}
	})
}

func testAppendVerify(t *testing.T, l *testLog, mode string) {
	db := l.open(t, Options{Sync: mode})
	var commits, committed atomic.Int64
	db.ObserveCommits(func(n int, took time.Duration, err error) {
		if err != nil || took <= 0 {
			t.Errorf("commit of %d: %s, %v", n, took, err)
		}
		commits.Add(1)
		committed.Add(int64(n))
	})
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				rec := &Record{Kind: "screen", KeyID: fmt.Sprint("k", g), Request: json.RawMessage(fmt.Sprintf(`{"name":"n%d-%d"}`, g, i)),
					Threshold: 0.77, Limit: 25, Snapshots: []int64{1, 2}, Engine: "test",
					Result: json.RawMessage(fmt.Sprintf(`{"query":{"name":"n%d-%d"},"matches":[],"note":"\u003cb\u003e"}`, g, i))}
				if err := db.Append(context.Background(), rec); err != nil {
					t.Error(err)
					return
				}
				if rec.ID == 0 || rec.Hash == "" {
					t.Errorf("record not numbered: %+v", rec)
				}
				got, err := db.Get(context.Background(), rec.ID)
				if err != nil {
					t.Error(err)
					return
				}
				if string(got.Request) != string(rec.Request) || string(got.Result) != string(rec.Result) || got.Hash != rec.Hash || got.KeyID != rec.KeyID {
					t.Errorf("record %d read back as %+v", rec.ID, got)
				}
			}
		}()
	}
	wg.Wait()
	if committed.Load() != 320 || commits.Load() < 1 || commits.Load() > 320 {
		t.Errorf("observed %d records in %d commits, want 320", committed.Load(), commits.Load())
	}
	rep, err := db.Verify(context.Background())
	if err != nil || !rep.OK || rep.Records != 320 || rep.LastID != 320 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	db.Close()

	l.exec(t, `UPDATE records SET key_id = 'k99' WHERE id = 7`)
	db = l.open(t, Options{Sync: mode})
	rep, err = db.Verify(context.Background())
	if err != nil || rep.OK || len(rep.Problems) != 1 || rep.Problems[0].ID != 7 {
		t.Fatalf("tampering with record 7: %+v %v", rep, err)
	}
	// Deleted records, in the middle and at the end, are found too.
	l.exec(t, `DELETE FROM records WHERE id IN (100, 101, 320)`)
	rep, err = db.Verify(context.Background())
	if err != nil || rep.OK {
		t.Fatalf("records deleted: %+v %v", rep, err)
	}
	var found []string
	for _, p := range rep.Problems {
		found = append(found, p.String())
	}
	for _, want := range []string{"record 7: altered", "records 100 to 101: deleted", "record 320: deleted: the chain head says the last record is 320"} {
		if !strings.Contains(strings.Join(found, "\n"), want) {
			t.Errorf("problems %q: none says %q", found, want)
		}
	}
}

// TestRoundTrip: a record reads back as it was appended, list versions
// (stored once, by reference) and compressed result included.
func TestRoundTrip(t *testing.T) { eachBackend(t, testRoundTrip) }

func testRoundTrip(t *testing.T, l *testLog) {
	db := l.open(t, Options{})
	want := matchRecord(t)
	want.Regimes = "x: 1\n"
	for i := 0; i < 3; i++ {
		rec := want
		if err := db.Append(context.Background(), &rec); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Get(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	want.ID, want.Time, want.PrevHash, want.Hash, want.ListSet = got.ID, got.Time, got.PrevHash, got.Hash, got.ListSet
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(&want)
	if string(gb) != string(wb) || got.ListSet == "" || got.Time.IsZero() {
		t.Errorf("read back\n%s\nwant\n%s", gb, wb)
	}
	var sets int
	db.db.QueryRow(db.q(`SELECT count(*) FROM list_sets`)).Scan(&sets)
	if sets != 1 {
		t.Errorf("%d list sets stored for 3 records of the same lists, want 1", sets)
	}
	list, err := db.List(context.Background(), 0, 10)
	if err != nil || len(list) != 3 || string(list[1].Result) != string(got.Result) {
		t.Errorf("list: %d records, %v", len(list), err)
	}
}

// TestLinger: with a linger (sync normal), a record appended shortly after
// another joins its commit; without, each goes in its own.
func TestLinger(t *testing.T) {
	for _, linger := range []time.Duration{0, 300 * time.Millisecond} {
		db, err := open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), "normal", linger)
		if err != nil {
			t.Fatal(err)
		}
		var commits []int
		var mu sync.Mutex
		db.ObserveCommits(func(n int, _ time.Duration, _ error) {
			mu.Lock()
			commits = append(commits, n)
			mu.Unlock()
		})
		start := time.Now()
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(i) * 50 * time.Millisecond)
				if err := db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		db.Close()
		mu.Lock()
		got := fmt.Sprint(commits)
		mu.Unlock()
		if linger > 0 && (got != "[2]" || took < linger) {
			t.Errorf("linger %s: commits %s in %s, want [2] after the linger", linger, got, took)
		}
		if linger == 0 && got != "[1 1]" {
			t.Errorf("no linger: commits %s, want [1 1]", got)
		}
	}
	// Closing the database ends a linger at once, the queued record committed.
	db, err := open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), "normal", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		errc <- db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)})
	}()
	time.Sleep(50 * time.Millisecond)
	done := make(chan struct{})
	go func() { db.Close(); close(done) }()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the append waited for the whole linger after Close")
	}
	<-done
}

// TestWALBounded: under a steady stream of records the WAL starts over
// instead of growing without end.
func TestWALBounded(t *testing.T) {
	for _, restart := range []bool{true, false} {
		every, limit := checkpointEvery, walRestartBytes
		checkpointEvery, walRestartBytes = 20*time.Millisecond, 1<<20
		if !restart {
			walRestartBytes = 1 << 60
		}
		path := filepath.Join(t.TempDir(), "audit.db")
		db, err := OpenSync(context.Background(), path, "normal")
		checkpointEvery, walRestartBytes = every, limit
		if err != nil {
			t.Fatal(err)
		}
		result := json.RawMessage(`{"x":"` + strings.Repeat("a", 4000) + `"}`)
		stop := time.Now().Add(time.Second)
		var wg sync.WaitGroup
		var n atomic.Int64
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(stop) {
					if err := db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: result}); err != nil {
						t.Error(err)
						return
					}
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		written := n.Load() * 4096
		t.Logf("restart %v: %d records (%d MB), WAL %d MB", restart, n.Load(), written>>20, fi.Size()>>20)
		if restart && fi.Size() > 8<<20 {
			t.Errorf("WAL of %d MB after %d MB of records: it does not start over", fi.Size()>>20, written>>20)
		}
		if rep, err := db.Verify(context.Background()); err != nil || !rep.OK || rep.Records != n.Load() {
			t.Errorf("verify: %+v %v", rep, err)
		}
		db.Close()
	}
}

// TestMigrateFormat1: a database of lexscreen before format 2 (three
// records, testdata/format1.db) opens, keeps its records readable and
// verifiable, and takes new records after them in one chain.
func TestMigrateFormat1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.db")
	b, err := os.ReadFile("testdata/format1.db")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, b, 0o644)
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fill(t, db, matchRecord(t), 2)
	rep, err := db.Verify(context.Background())
	if err != nil || !rep.OK || rep.Records != 5 {
		t.Fatalf("verify after migration: %+v %v", rep, err)
	}
	old, err := db.Get(context.Background(), 1)
	if err != nil || len(old.Lists) != 1 || len(old.Snapshots) != 1 || old.ListSet != "" {
		t.Fatalf("format 1 record: %+v %v", old, err)
	}
	recent, err := db.Get(context.Background(), 5)
	if err != nil || !sameJSON(recent.Result, old.Result) || recent.PrevHash == "" {
		t.Fatalf("format 2 record: %+v %v", recent, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("an existing audit.db of mode %04o is kept readable by others", fi.Mode().Perm())
	}
	// A database of a newer lexscreen is refused, with a reason.
	db.db.Exec(`PRAGMA user_version = 9`)
	db.Close()
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer lexscreen") {
		t.Errorf("newer schema: %v", err)
	}
}

// TestPermissions: the audit database (screened names, key hashes), its
// journals and a directory it creates are its owner's only; so is the key.
func TestPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := Open(context.Background(), filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, matchRecord(t), 1)
	for _, p := range []string{dir, filepath.Join(dir, "audit.db"), filepath.Join(dir, "audit.db-wal")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %04o, want no rights for group and others", p, fi.Mode().Perm())
		}
	}
	db.Close()
	if _, _, err := LoadOrCreateSigner(filepath.Join(dir, "audit.key"), ""); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "audit.key")); fi.Mode().Perm() != 0o600 {
		t.Errorf("audit.key: mode %04o, want 0600", fi.Mode().Perm())
	}
}

// TestAppendAfterClose: an append racing with Close, or after it, is
// either written or refused with an error; it never panics or hangs.
func TestAppendAfterClose(t *testing.T) {
	db, err := open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), "normal", 0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var written, refused atomic.Int64
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				err := db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)})
				if err != nil {
					refused.Add(1)
				} else {
					written.Add(1)
				}
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := db.Append(context.Background(), &Record{Kind: "screen", Request: json.RawMessage(`{}`), Result: json.RawMessage(`{}`)}); err == nil {
		t.Fatal("Append after Close: no error")
	}
	if written.Load()+refused.Load() != 160 {
		t.Fatalf("written %d + refused %d, want 160", written.Load(), refused.Load())
	}
}

// sameJSON reports whether a and b are the same JSON value, whatever
// their spacing (a format 1 record stored its result compacted, a format
// 2 record stores it as the caller gave it).
func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
