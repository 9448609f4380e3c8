package monitor

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

// Each subject is screened with the options of its own operator profile,
// resolved once per profile; a subject whose profile can't be resolved is
// a failure that names it, not a subject screened without obligations.
func TestPerSubjectOperators(t *testing.T) {
	ctx := context.Background()
	f := listUpdate(t)
	book := testBook(t, f, 120)
	var subjects []lexscreen.Subject
	book.Each(ctx, func(s lexscreen.Subject) error {
		switch len(subjects) % 3 {
		case 0:
			s.Operator = "us-bank"
		case 1:
			s.Operator = "eu-bank"
		default:
			s.Operator = "no-such-profile"
		}
		subjects = append(subjects, s)
		return nil
	})
	mb, err := NewMemBook(subjects)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := BuildIndex(ctx, mb, 0)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	asked := map[string]int{}
	job := Job{Kind: KindFull, Book: bi, Screener: f.screener, Delta: f.delta,
		OptionsFor: func(op string) (screening.Options, error) {
			mu.Lock()
			defer mu.Unlock()
			asked[op]++
			if op == "no-such-profile" {
				return screening.Options{}, lexscreen.Errorf(lexscreen.EINVALID, "unknown operator profile")
			}
			return screening.Options{}, nil
		}}
	st, err := OpenStore(ctx, filepath.Join(t.TempDir(), "monitor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sink := NewMemSink()
	stats, err := (&Runner{Store: st, Sink: sink, Chunk: 50}).Run(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, s := range subjects {
		if s.Operator == "no-such-profile" {
			want++
		}
	}
	if stats.Failed != want || len(stats.Failures) != want {
		t.Errorf("failed %d, want the %d subjects of the unknown profile", stats.Failed, want)
	}
	for _, fl := range stats.Failures {
		if !strings.Contains(fl.Message, "no-such-profile") {
			t.Errorf("failure %+v does not name the profile", fl)
		}
	}
	for _, r := range sink.Results {
		if r.Subject.Operator == "no-such-profile" {
			t.Errorf("%s screened although its operator profile is unknown", r.Subject.ID)
		}
	}
	ops := make([]string, 0, len(asked))
	for op, n := range asked {
		ops = append(ops, op)
		if n > stats.Chunks {
			t.Errorf("profile %s resolved %d times in %d chunks", op, n, stats.Chunks)
		}
	}
	slices.Sort(ops)
	if strings.Join(ops, ",") != "eu-bank,no-such-profile,us-bank" {
		t.Errorf("profiles resolved: %v", ops)
	}
}
