package monitor

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lexscreen/lexscreen"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := OpenStore(context.Background(), filepath.Join(t.TempDir(), "monitor.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestCompare(t *testing.T) {
	f := listUpdate(t)
	d := f.delta
	var got []string
	for _, e := range d.Screened() {
		got = append(got, e.ID)
	}
	slices.Sort(got)
	if !slices.Equal(got, f.changedIDs) {
		t.Errorf("added+changed = %d entities, want the %d made", len(got), len(f.changedIDs))
	}
	if len(d.Added) == 0 || len(d.Changed) == 0 || len(d.Removed) == 0 {
		t.Errorf("delta %d added, %d changed, %d removed: want some of each", len(d.Added), len(d.Changed), len(d.Removed))
	}
	for _, id := range d.Removed {
		if _, ok := d.After[id]; ok {
			t.Errorf("%s removed but in the newer set", id)
		}
	}
	// The same set twice: nothing changed.
	same, err := Compare(context.Background(), EntitySlice(f.after), EntitySlice(f.after))
	if err != nil {
		t.Fatal(err)
	}
	if len(same.Added)+len(same.Changed)+len(same.Removed) != 0 {
		t.Errorf("a set compared with itself: %d added, %d changed, %d removed", len(same.Added), len(same.Changed), len(same.Removed))
	}
}

// TestReverseMatchesForward: on a book holding listed persons' and firms'
// names spelt otherwise, reverse screening with the delta finds every
// (subject, entity) pair that screening each subject forward finds among
// the entities added or changed (recall no lower), and gives each pair
// the same score and explanation.
func TestReverseMatchesForward(t *testing.T) {
	f := listUpdate(t)
	book := testBook(t, f, 2400)
	ctx := context.Background()
	bi, err := BuildIndex(ctx, book, 0)
	if err != nil {
		t.Fatal(err)
	}
	sink := NewMemSink()
	r := &Runner{Store: openTestStore(t), Sink: sink, Chunk: 500}
	st, err := r.Run(ctx, Job{Kind: KindDelta, Book: bi, Screener: f.screener, Delta: f.delta})
	if err != nil {
		t.Fatal(err)
	}
	got := pairs(sink.Results)

	// Forward: every subject against the whole newer set, keeping the
	// matches of the entities added or changed.
	var subjects []lexscreen.Subject
	book.Each(ctx, func(s lexscreen.Subject) error { subjects = append(subjects, s); return nil })
	keep := map[string]bool{}
	for _, id := range f.changedIDs {
		keep[id] = true
	}
	fwd, _, err := screenAll(ctx, f.screener, (&Job{}).optionsFor, subjects, keep, f.delta.After, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := pairs(fwd)
	if len(want) < 30 {
		t.Fatalf("forward screening found only %d pairs: the book does not test reverse screening", len(want))
	}
	missed := 0
	for k, s := range want {
		if g, ok := got[k]; !ok {
			missed++
			t.Errorf("reverse screening missed %s ~ %s (forward score %.3f)", k[0], k[1], s)
		} else if g != s {
			t.Errorf("%s ~ %s: reverse score %.3f, forward %.3f", k[0], k[1], g, s)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("reverse screening found %s ~ %s, which forward screening does not", k[0], k[1])
		}
	}
	// The explanation is forward screening's own.
	byPair := map[[2]string]lexscreen.Match{}
	for _, r := range fwd {
		for _, m := range r.Result.Matches {
			byPair[[2]string{r.Subject.ID, m.Entity.ID}] = m
		}
	}
	for _, r := range sink.Results {
		for _, m := range r.Result.Matches {
			if w := byPair[[2]string{r.Subject.ID, m.Entity.ID}]; w.Explanation.Summary != m.Explanation.Summary {
				t.Errorf("%s ~ %s explained %q, forward %q", r.Subject.ID, m.Entity.ID, m.Explanation.Summary, w.Explanation.Summary)
			}
			if r.EntityFingerprints[m.Entity.ID] != f.delta.After[m.Entity.ID] || r.EntityFingerprints[m.Entity.ID] == "" {
				t.Errorf("%s ~ %s: listing fingerprint %q", r.Subject.ID, m.Entity.ID, r.EntityFingerprints[m.Entity.ID])
			}
		}
	}
	if st.Pairs != len(got) || st.Removed != len(f.delta.Removed) || len(sink.Removals[st.Run]) != len(f.delta.Removed) {
		t.Errorf("stats %+v; sink has %d pairs, %d removals", st, len(got), len(sink.Removals[st.Run]))
	}
	t.Logf("book %d subjects, %d keys; delta %d added %d changed %d removed; %d candidates; %d pairs (forward %d, missed %d)",
		bi.Len(), bi.Keys(), st.Added, st.Changed, st.Removed, st.Candidates, len(got), len(want), missed)
	if st.Candidates > bi.Len()/2 {
		t.Errorf("%d of %d subjects were candidates: the book index retrieves too much", st.Candidates, bi.Len())
	}
}
