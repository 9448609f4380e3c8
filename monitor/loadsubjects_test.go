package monitor

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestLoadSubjects: a book read without its index holds the same subjects
// in the same order, with the same fingerprint (so a run resumes across
// the two), gives a full run the same results as the indexed book, and is
// refused by a delta run, which needs the index.
func TestLoadSubjects(t *testing.T) {
	f := listUpdate(t)
	book := testBook(t, f, 150)
	ctx := context.Background()
	bi, err := BuildIndex(ctx, book, 0)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := LoadSubjects(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	if !bi.Keyed() || plain.Keyed() || plain.Keys() != 0 {
		t.Fatalf("keyed %v/%v, keys %d: want an index only from BuildIndex", bi.Keyed(), plain.Keyed(), plain.Keys())
	}
	if plain.Fingerprint() != bi.Fingerprint() || !reflect.DeepEqual(plain.subjects, bi.subjects) {
		t.Fatalf("LoadSubjects read another book than BuildIndex (fingerprints %s, %s)", plain.Fingerprint(), bi.Fingerprint())
	}
	full := func(b *BookIndex) map[[2]string]float64 {
		sink := NewMemSink()
		r := &Runner{Store: openTestStore(t), Sink: sink, Chunk: 128}
		st, err := r.Run(ctx, Job{Kind: KindFull, Book: b, Screener: f.screener, Delta: f.delta})
		if err != nil {
			t.Fatal(err)
		}
		if st.Screened != b.Len() || b.Len() < 150 {
			t.Errorf("full run screened %d of %d subjects", st.Screened, b.Len())
		}
		return pairs(sink.Results)
	}
	want, got := full(bi), full(plain)
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("full run on the subjects alone found %d pairs, on the index %d", len(got), len(want))
	}
	r := &Runner{Store: openTestStore(t), Sink: NewMemSink()}
	if _, err := r.Run(ctx, Job{Kind: KindDelta, Book: plain, Screener: f.screener, Delta: f.delta}); err == nil || !strings.Contains(err.Error(), "BuildIndex") {
		t.Errorf("a delta run on a book without its index: error %v, want a refusal naming BuildIndex", err)
	}
}
