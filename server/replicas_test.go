package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/store/postgres"
	"github.com/lexscreen/lexscreen/store/storetest"
)

// replica is one serve process of several sharing a PostgreSQL store: its
// own connection pool, and the shared audit log and keys.
type replica struct {
	srv *Server
	ts  *httptest.Server
	key string
}

func startReplica(t *testing.T, ctx context.Context, dsn string, poll time.Duration) *replica {
	t.Helper()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	// The audit log and keys in the same database: one chain for both.
	adb, err := audit.OpenPostgres(ctx, dsn, audit.Options{Sync: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Store: db, Audit: adb, EngineVersion: "test", PollInterval: poll,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv.Start(ctx)
	_, key, err := adb.CreateKey(ctx, audit.RoleScreener, "test")
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{srv: srv, ts: httptest.NewServer(srv.Handler()), key: key}
	t.Cleanup(func() { r.ts.Close(); adb.Close(); db.Close() })
	return r
}

func (r *replica) screen(name string) (int, string, error) {
	req, _ := http.NewRequest("POST", r.ts.URL+"/v1/screen", strings.NewReader(fmt.Sprintf(`{"name": %q}`, name)))
	req.Header.Set("Authorization", "Bearer "+r.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

func (r *replica) serves(snapshotID int64) bool {
	ix := r.srv.Index()
	if ix == nil {
		return false
	}
	for _, id := range ix.SnapshotIDs() {
		if id == snapshotID {
			return true
		}
	}
	return false
}

func importInto(t *testing.T, ctx context.Context, db store.Store, dir, published string) ingest.Result {
	t.Helper()
	jobs, err := formats.Detect([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := time.Parse("2006-01-02", published)
	var res ingest.Result
	for _, j := range jobs {
		if res, err = ingest.Job(ctx, db, j, ingest.Options{Published: pub}); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// TestReplicasSharePostgres: two servers on one PostgreSQL database; a list
// imported through one is served by the other within seconds, by
// LISTEN/NOTIFY (the poll interval is a minute), while screenings flow to
// both with no error.
func TestReplicasSharePostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seed, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	importInto(t, ctx, seed, testdata+"2025-02-27", "2025-02-27")

	a := startReplica(t, ctx, dsn, time.Minute)
	b := startReplica(t, ctx, dsn, time.Minute)
	for deadline := time.Now().Add(30 * time.Second); a.srv.Index() == nil || b.srv.Index() == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("replicas not ready")
		}
	}
	const khan = "Karim Asad Ahmad Khan" // designated by OFAC (EO 14203) in the 2025-12-24 file only
	if _, body, err := b.screen(khan); err != nil || strings.Contains(body, "us-ofac-sdn:52965") {
		t.Fatalf("before the import, replica b matched the later designation: %v %s", err, body)
	}

	// Load on both replicas while the import runs and the indexes swap.
	var sent, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range []*replica{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			names := []string{"Banco Nacional de Cuba", "Aerocaribbean Airlines", khan, fmt.Sprintf("Nobody %d", i)}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				code, body, err := r.screen(names[n%len(names)])
				sent.Add(1)
				if err != nil || code != 200 {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %v %.200s", code, err, body))
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	// The import goes through replica a's connection pool, as `lexscreen
	// import --store` on a's machine would.
	res := importInto(t, ctx, a.srv.cfg.Store, testdata+"2025-12-24", "2025-12-24")
	imported := time.Now()
	var took time.Duration
	for !b.serves(res.Snapshot.ID) {
		// Well under the one-minute poll: only the notification can do it
		// (the rebuild itself, throttled to a quarter of a core, takes under
		// a second here, some seconds under -race on a busy machine).
		if time.Since(imported) > 30*time.Second {
			close(stop)
			wg.Wait()
			t.Fatalf("replica b does not serve snapshot %d 30s after its import through replica a", res.Snapshot.ID)
		}
		time.Sleep(10 * time.Millisecond)
	}
	took = time.Since(imported)
	time.Sleep(300 * time.Millisecond) // requests keep flowing on the new index
	close(stop)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d of %d screenings failed during the reload; first: %v", n, sent.Load(), firstErr.Load())
	}
	if sent.Load() < 20 {
		t.Fatalf("only %d screenings were sent: the load did not run", sent.Load())
	}
	if _, body, err := b.screen(khan); err != nil || !strings.Contains(body, "us-ofac-sdn:52965") {
		t.Fatalf("after the import, replica b does not match %s: %v %.300s", khan, err, body)
	}
	t.Logf("replica b served snapshot %d %v after its import through a; %d screenings, 0 errors", res.Snapshot.ID, took, sent.Load())

	// Every screening of both replicas is in one verifiable chain.
	rep, err := b.srv.cfg.Audit.Verify(ctx)
	if err != nil || !rep.OK || rep.Records != sent.Load()+2 {
		t.Fatalf("the shared audit chain: %+v %v, want %d records", rep, err, sent.Load()+2)
	}
	// A key revoked through b is refused by a.
	if err := b.srv.cfg.Audit.RevokeKey(ctx, a.key); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		code, body, err := a.screen("Banco Nacional de Cuba")
		if err == nil && code == http.StatusUnauthorized {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica a still takes its key 15s after it was revoked through b: %d %v %.200s", code, err, body)
		}
	}
}
