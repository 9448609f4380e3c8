package match

import (
	"reflect"
	"sync"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// TestDecodedRecordsBounded: an index read in place keeps at most about
// decodedLimit records of each kind decoded (a long-running server on a
// large index must not grow to the whole index), and screens exactly as
// the built index does while its sweeps drop and re-decode records under
// concurrent screenings (go test -race checks the sweeps).
func TestDecodedRecordsBounded(t *testing.T) {
	bundled, es := bundledIndex(t)
	old := decodedLimit
	decodedLimit = 500
	read, _ := roundTrip(t, bundled)
	decodedLimit = old
	qs := append(benchQueries(es, 200), lexscreen.Query{Name: "Karim Khan"}, lexscreen.Query{Name: "ROSTELEKOM LIMIHED"})
	built, m := New(bundled), New(read)
	want := make([][]lexscreen.Match, len(qs))
	for i, q := range qs {
		want[i], _ = built.ScreenWith(q, Options{Threshold: 0.5})
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for i := (w + round) % 4; i < len(qs); i += 4 {
					if have, _ := m.ScreenWith(qs[i], Options{Threshold: 0.5}); !reflect.DeepEqual(want[i], have) {
						t.Errorf("%q screens differently with a bounded record cache", qs[i].Name)
					}
				}
			}
		}()
	}
	wg.Wait()
	v := read.v
	for name, live := range map[string]int64{"entities": v.entities.live.Load(), "names": v.names.live.Load(), "tokens": v.toks.live.Load()} {
		// A sweep may be running: allow what decodes meanwhile.
		if live > 500+200 {
			t.Errorf("%s: %d decoded records kept, limit 500", name, live)
		}
	}
	// Unbounded, the same screenings keep far more: the bound did work.
	free, _ := roundTrip(t, bundled)
	fm := New(free)
	for _, q := range qs {
		fm.ScreenWith(q, Options{Threshold: 0.5})
	}
	if n := free.v.entities.live.Load(); n < 2000 {
		t.Fatalf("unbounded, the screenings keep only %d entities: the test proves little", n)
	}
}

// BenchmarkScreenPersisted is BenchmarkScreen on the index read in place
// from its encoded bytes, as the CLI and the server read it.
func BenchmarkScreenPersisted(b *testing.B) {
	built, es := bundledIndex(b)
	ix, _ := roundTrip(b, built)
	m := New(ix)
	qs := benchQueries(es, 2000)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Screen(qs[i%len(qs)])
		i++
	}
}
