package monitor

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source/formats"
)

var (
	bundledOnce sync.Once
	bundledEs   []*lexscreen.Entity
)

// bundledEntities parses the real lists bundled in the binary, once.
func bundledEntities(tb testing.TB) []*lexscreen.Entity {
	bundledOnce.Do(func() {
		for _, l := range bundled.Lists() {
			f := formats.ByID(l.Format)
			_, err := f.Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
				bundledEs = append(bundledEs, e)
				return nil
			})
			if err != nil {
				panic(err)
			}
		}
	})
	if len(bundledEs) < 1000 {
		tb.Fatalf("only %d bundled entities", len(bundledEs))
	}
	return bundledEs
}

// fixture is a list update: the entities before and after, and a
// screener over after.
type fixture struct {
	before, after []*lexscreen.Entity
	delta         *Delta
	screener      *screening.Screener
	changedIDs    []string // the entities added or changed
}

var (
	fixtureOnce sync.Once
	theFixture  *fixture
)

// listUpdate makes a list update from the bundled lists: every 700th
// person or organisation is new, every 900th changed (an alias dropped
// in the old version), every 1000th removed.
func listUpdate(tb testing.TB) *fixture {
	es := bundledEntities(tb)
	fixtureOnce.Do(func() {
		f := &fixture{}
		for i, e := range es {
			screenable := e.Schema == lexscreen.SchemaPerson || e.Schema == lexscreen.SchemaOrganization
			switch {
			case screenable && i%700 == 0:
				f.after = append(f.after, e)
				f.changedIDs = append(f.changedIDs, e.ID)
			case screenable && i%900 == 0 && len(e.Names) > 1:
				old := *e
				old.Names = e.Names[:len(e.Names)-1]
				f.before = append(f.before, &old)
				f.after = append(f.after, e)
				f.changedIDs = append(f.changedIDs, e.ID)
			case i%1000 == 1:
				f.before = append(f.before, e)
			default:
				f.before = append(f.before, e)
				f.after = append(f.after, e)
			}
		}
		d, err := Compare(context.Background(), EntitySlice(f.before), EntitySlice(f.after))
		if err != nil {
			panic(err)
		}
		f.delta = d
		b := match.NewBuilder(nil)
		for _, e := range f.after {
			b.Add(e)
		}
		f.screener = screening.New(b.Build(), "test")
		slices.Sort(f.changedIDs)
		theFixture = f
	})
	return theFixture
}

// testBook is a synthetic book with variants of the changed listings'
// names, and of others, planted.
func testBook(tb testing.TB, f *fixture, n int) *MemBook {
	var changed []*lexscreen.Entity
	for _, e := range f.after {
		if _, ok := slices.BinarySearch(f.changedIDs, e.ID); ok {
			changed = append(changed, e)
		}
	}
	subjects, _ := SyntheticBook(7, n, changed, 0.05)
	others, _ := SyntheticBook(8, n/4, f.after, 0.05)
	for i := range others {
		others[i].ID = "T" + others[i].ID[1:]
	}
	b, err := NewMemBook(append(subjects, others...))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// pairs returns the (subject, entity) pairs of results with their scores.
func pairs(results []SubjectResult) map[[2]string]float64 {
	out := map[[2]string]float64{}
	for _, r := range results {
		for _, m := range r.Result.Matches {
			out[[2]string{r.Subject.ID, m.Entity.ID}] = m.Score
		}
	}
	return out
}
