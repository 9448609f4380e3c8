package workspace

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// The writer keeps a connection of its own and no connection is closed
// for being idle: a closed connection took its page cache and prepared
// statements with it, and a connection shared with readers had its cache
// dropped by their commits (SQLite drops a connection's whole page cache
// when another has committed).
func TestWriterConnectionKept(t *testing.T) {
	f := newFixture(t)
	if f.s.wdb == f.s.db {
		t.Fatal("the writer shares the readers' pool")
	}
	if got := f.s.wdb.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("the writer's pool allows %d connections, want 1", got)
	}
	// Screenings that open alerts (writes) and find them again (reads
	// outside the writer), many at a time, as the server runs them.
	bout := boutEntity()
	f.listings[bout.ID] = bout
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				sub := subject(fmt.Sprintf("C-%d-%d", w, i%3), "Viktor Bout", "1967")
				if _, err := f.screenAlert(t, "run", sub, bout); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	if err := f.s.DB().QueryRowContext(context.Background(), `SELECT count(*) FROM alerts`).Scan(&n); err != nil || n != 24 {
		t.Fatalf("%d alerts (%v), want 24: one per subject", n, err)
	}
	if st := f.s.db.Stats(); st.MaxIdleClosed != 0 || st.MaxLifetimeClosed != 0 || st.MaxIdleTimeClosed != 0 {
		t.Errorf("readers' pool closed connections: %+v", st)
	}
	if st := f.s.wdb.Stats(); st.MaxIdleClosed != 0 || st.MaxLifetimeClosed != 0 || st.MaxIdleTimeClosed != 0 || st.OpenConnections != 1 {
		t.Errorf("writer's pool: %+v, want one connection, never closed", st)
	}
}
