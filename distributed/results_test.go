package distributed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// The results store contract, run on SQLite always and on PostgreSQL when
// LEXSCREEN_TEST_POSTGRES names a database (postgres://...).
func TestResultsContract(t *testing.T) {
	stores := map[string]string{"sqlite": filepath.Join(t.TempDir(), "results.db")}
	if dsn := os.Getenv("LEXSCREEN_TEST_POSTGRES"); dsn != "" {
		stores["postgres"] = dsn
	}
	for name, dsn := range stores {
		t.Run(name, func(t *testing.T) { testResultsContract(t, dsn) })
	}
}

func testResultsContract(t *testing.T, dsn string) {
	ctx := context.Background()
	res, err := OpenResults(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	job := fmt.Sprintf("contract-%d", os.Getpid())
	t.Cleanup(func() { res.Delete(ctx, job); res.Delete(ctx, job+"-other") })
	line := func(row int, who string) []byte { return fmt.Appendf(nil, `{"row":%d,"by":%q}`+"\n", row, who) }
	chunk := func(first, n int, who string) []Result {
		var rs []Result
		for r := first; r < first+n; r++ {
			rs = append(rs, Result{Row: r, Line: line(r, who), Status: Status(r % 8)})
		}
		return rs
	}
	for _, tc := range []struct {
		name         string
		job          string
		rs           []Result
		wantInserted int
		wantCount    int
	}{
		{"first chunk", job, chunk(1, 50, "a"), 50, 50},
		{"the same chunk redelivered", job, chunk(1, 50, "b"), 0, 50},
		{"overlapping rows", job, chunk(41, 20, "c"), 10, 60},
		{"another job, same rows", job + "-other", chunk(1, 5, "d"), 5, 5},
		{"nothing", job, nil, 0, 60},
	} {
		n, err := res.Put(ctx, tc.job, tc.rs)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n != tc.wantInserted {
			t.Errorf("%s: inserted %d, want %d", tc.name, n, tc.wantInserted)
		}
		if c, err := res.Count(ctx, tc.job); err != nil || c != tc.wantCount {
			t.Errorf("%s: count %d (%v), want %d", tc.name, c, err, tc.wantCount)
		}
	}
	// The first result of a row stays; rows come in order.
	next := 1
	err = res.Each(ctx, job, func(r Result) error {
		who := "a"
		if r.Row > 50 {
			who = "c"
		}
		if r.Row != next || string(r.Line) != string(line(r.Row, who)) || r.Status != Status(r.Row%8) {
			return fmt.Errorf("row %d (want %d): %q status %d", r.Row, next, r.Line, r.Status)
		}
		next++
		return nil
	})
	if err != nil || next != 61 {
		t.Fatalf("each: %v, %d rows", err, next-1)
	}
	// Many writers at once, overlapping: each row once.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	inserted := make(chan int, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := res.Put(ctx, job, chunk(61+(w%4)*100, 100, fmt.Sprint(w)))
			errs <- err
			inserted <- n
		}()
	}
	wg.Wait()
	close(errs)
	close(inserted)
	total := 0
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for n := range inserted {
		total += n
	}
	if c, _ := res.Count(ctx, job); total != 400 || c != 460 {
		t.Errorf("concurrent writers inserted %d (want 400), count %d (want 460)", total, c)
	}
	if err := res.Delete(ctx, job); err != nil {
		t.Fatal(err)
	}
	if c, _ := res.Count(ctx, job); c != 0 {
		t.Errorf("count after delete %d", c)
	}
	if c, _ := res.Count(ctx, job+"-other"); c != 5 {
		t.Errorf("delete of one job took %d rows of another", 5-c)
	}
}

// A store that can't be opened is an error naming it, never a silent one.
func TestOpenResultsErrors(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"", filepath.Join(t.TempDir(), "no", "such", "dir", "r.db")} {
		if r, err := OpenResults(ctx, dsn); err == nil {
			r.Close()
			t.Errorf("OpenResults(%q) worked", dsn)
		}
	}
}
