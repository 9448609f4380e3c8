package screening_test

import (
	"context"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// ofacStore is a store holding a small OFAC file.
func ofacStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db := tempStore(t)
	importOFAC(t, db)
	return db
}

// importOFAC imports the small OFAC file of cmd/lexscreen's tests into db.
func importOFAC(t *testing.T, db *sqlite.DB) {
	t.Helper()
	jobs, err := formats.Detect([]string{"../cmd/lexscreen/testdata/ofac/2025-02-27"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if _, err := ingest.Job(context.Background(), db, j, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWarm: after Warm the first-seen dates are in memory, so that the
// legal regimes get them even when the store is gone.
func TestWarm(t *testing.T) {
	ctx := context.Background()
	for _, warm := range []bool{true, false} {
		db := ofacStore(t)
		sc, err := screening.Load(ctx, db, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		if warm && !sc.Warm() {
			t.Error("Warm: nothing to read")
		}
		db.Close()
		res, err := sc.Screen(lexscreen.Query{Name: "Banco Nacional de Cuba"}, screening.Options{Threshold: match.DefaultThreshold, Limit: 5})
		if err != nil || len(res.Matches) == 0 {
			t.Fatalf("screen: %v, %d matches", err, len(res.Matches))
		}
		seen := sc.Listing(&res.Matches[0]).FirstSeen
		if warm == seen.IsZero() {
			t.Errorf("warm %v: first seen %v", warm, seen)
		}
	}
	if screening.New(match.NewBuilder(nil).Build(), "test").Warm() {
		t.Error("Warm of a Screener without a store read something")
	}
}

// TestWarmUp: a new index screens a sample of its own names, spread
// through it; the results do not change.
func TestWarmUp(t *testing.T) {
	ctx := context.Background()
	sc, err := screening.Load(ctx, ofacStore(t), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	names := sc.Matcher().Index().SampleNames(16)
	if len(names) != 16 || names[0] == names[len(names)-1] {
		t.Fatalf("sample of 16 names of %d entities: %q", sc.Entities(), names)
	}
	if all := sc.Matcher().Index().SampleNames(sc.Entities() + 10); len(all) > sc.Entities() || len(all) < sc.Entities()-10 {
		t.Errorf("sample of more names than entities: %d of %d", len(all), sc.Entities())
	}
	q := lexscreen.Query{Name: "Banco Nacional de Cuba"}
	before, err := sc.Screen(q, screening.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := sc.WarmUp(16); n != 16 {
		t.Errorf("warmed up with %d names, want 16", n)
	}
	after, err := sc.Screen(q, screening.Options{})
	if err != nil || len(after.Matches) != len(before.Matches) || after.Matches[0].Score != before.Matches[0].Score {
		t.Errorf("the warm-up changed a result: %d matches before, %d after (%v)", len(before.Matches), len(after.Matches), err)
	}
	if n := screening.New(match.NewBuilder(nil).Build(), "test").WarmUp(16); n != 0 {
		t.Errorf("an empty index warmed up with %d names", n)
	}
}
