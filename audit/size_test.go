package audit

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// matchRecord is a typical screening with a match, as the server records
// it (testdata/record_match.json: "Banco Nacional de Cuba" screened for an
// EU subsidiary of a US bank).
func matchRecord(t testing.TB) Record {
	t.Helper()
	b, err := os.ReadFile("testdata/record_match.json")
	if err != nil {
		t.Fatal(err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.KeyID = "0d48edfcc01d"
	return r
}

// fill appends n copies of rec in commits of up to 1000 records.
func fill(t testing.TB, db *DB, rec Record, n int) {
	t.Helper()
	for done := 0; done < n; {
		k := min(1000, n-done)
		recs := make([]*Record, k)
		for i := range recs {
			r := rec
			recs[i] = &r
		}
		if err := db.Append(context.Background(), recs...); err != nil {
			t.Fatal(err)
		}
		done += k
	}
}

// TestRecordSize: a typical screening with a match takes well under half
// of the 4.9 KB per record it took when records were stored as plain JSON
// with their list versions repeated.
func TestRecordSize(t *testing.T) {
	const n = 10000
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, matchRecord(t), n)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	per := fi.Size() / n
	t.Logf("%d records: %d bytes on disk, %d bytes per record", n, fi.Size(), per)
	if per > 2400 {
		t.Errorf("%d bytes per record, want at most 2,400", per)
	}
}

// TestVerifyLarge measures Verify over many records (AUDIT_VERIFY_RECORDS,
// e.g. 100000; skipped without it): time and peak heap.
func TestVerifyLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("AUDIT_VERIFY_RECORDS"))
	if n <= 0 {
		t.Skip("set AUDIT_VERIFY_RECORDS to run")
	}
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	fill(t, db, matchRecord(t), n)
	t.Logf("appended %d records in %s", n, time.Since(start).Round(time.Millisecond))
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	start = time.Now()
	rep, err := db.Verify(context.Background())
	took := time.Since(start)
	close(stop)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	t.Logf("verified %d records in %s, peak heap in use %d MB", rep.Records, took.Round(time.Millisecond), peak.Load()>>20)
}
