package match

import (
	"context"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/internal/cputime"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"github.com/lexscreen/lexscreen/source/formats"
)

var (
	bundledOnce sync.Once
	bundledIx   *Index
	bundledEs   []*lexscreen.Entity
)

// bundledIndex indexes the real lists bundled in the binary (once per test run).
func bundledIndex(tb testing.TB) (*Index, []*lexscreen.Entity) {
	bundledOnce.Do(func() {
		b := NewBuilder(nil)
		for _, l := range bundled.Lists() {
			f := formats.ByID(l.Format)
			_, err := f.Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
				b.Add(e)
				bundledEs = append(bundledEs, e)
				return nil
			})
			if err != nil {
				panic(err)
			}
		}
		bundledIx = b.Build()
	})
	return bundledIx, bundledEs
}

// benchQueries are listed names with one typo, and names that are on no list.
func benchQueries(es []*lexscreen.Entity, n int) []lexscreen.Query {
	r := rand.New(rand.NewPCG(1, 2))
	var qs []lexscreen.Query
	others := []string{"Ingeborg Abrahamsen", "Kathryn Barr", "John Smith", "Maria Garcia Lopez", "Wei Zhang",
		"Acme Trading Limited", "Oleksandr Kovalenko", "Fatima Al Zahra", "Pierre Dubois", "Global Shipping Co"}
	for len(qs) < n {
		if len(qs)%2 == 0 {
			qs = append(qs, lexscreen.Query{Name: others[r.IntN(len(others))]})
			continue
		}
		e := es[r.IntN(len(es))]
		name := []byte(e.Caption())
		if len(name) > 4 {
			i := 1 + r.IntN(len(name)-2)
			name[i] = "aeiourstnl"[r.IntN(10)]
		}
		qs = append(qs, lexscreen.Query{Name: string(name)})
	}
	return qs
}

// BenchmarkScreen screens against all bundled lists, one query per op.
func BenchmarkScreen(b *testing.B) {
	ix, es := bundledIndex(b)
	m := New(ix)
	qs := benchQueries(es, 2000)
	b.ResetTimer()
	cpu := cputime.Self()
	i := 0
	for b.Loop() {
		m.Screen(qs[i%len(qs)])
		i++
	}
	reportCPU(b, cpu)
}

// BenchmarkScreenNegatives screens the people of
// ../shared/eval/negatives_us_50k.csv as batch does (no type, with date of
// birth and nationality): the untyped path, which reads a name both as a
// person's and as a firm's. Skipped when ../shared is absent.
func BenchmarkScreenNegatives(b *testing.B) {
	f, err := os.Open(sharedtest.Path(b, "eval", "negatives_us_50k.csv"))
	if err != nil {
		b.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) < 2 {
		b.Fatalf("negatives: %v", err)
	}
	rows = rows[1:] // full_name, ..., date_of_birth (5), ..., nationality (7)
	ix, _ := bundledIndex(b)
	m := New(ix)
	b.ResetTimer()
	cpu := cputime.Self()
	i := 0
	for b.Loop() {
		r := rows[i%len(rows)]
		m.Screen(lexscreen.Query{Name: r[0], BirthDate: r[5], Countries: []string{r[7]}})
		i++
	}
	reportCPU(b, cpu)
}

// reportCPU adds the CPU time per operation since start as "cpu-ns/op".
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cputime.Self()-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkScreenParallel screens on all cores.
func BenchmarkScreenParallel(b *testing.B) {
	ix, es := bundledIndex(b)
	m := New(ix)
	qs := benchQueries(es, 2000)
	b.ResetTimer()
	cpu := cputime.Self()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Screen(qs[i%len(qs)])
			i++
		}
	})
	reportCPU(b, cpu)
}

// BenchmarkBuildIndex indexes all bundled entities.
func BenchmarkBuildIndex(b *testing.B) {
	_, es := bundledIndex(b)
	b.ResetTimer()
	cpu := cputime.Self()
	for b.Loop() {
		bl := NewBuilder(nil)
		for _, e := range es {
			bl.Add(e)
		}
		bl.Build()
	}
	reportCPU(b, cpu)
}

// BenchmarkEncodeIndex writes the index of all bundled entities as a
// persisted index file does (into memory).
func BenchmarkEncodeIndex(b *testing.B) {
	ix, _ := bundledIndex(b)
	b.ResetTimer()
	cpu := cputime.Self()
	size := 0
	for b.Loop() {
		w := binfile.NewWriter()
		ix.Encode(w)
		n, err := w.WriteTo(io.Discard, FormatVersion, "bench")
		if err != nil {
			b.Fatal(err)
		}
		size = int(n)
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(size), "file-bytes")
}

// BenchmarkStrSim compares pairs of listed tokens as lookups and alignment
// do: the distance within one edit, and the edit similarity.
func BenchmarkStrSim(b *testing.B) {
	ix, _ := bundledIndex(b)
	r := rand.New(rand.NewPCG(3, 4))
	var pairs [][2]string
	for len(pairs) < 4096 {
		x, y := ix.toks[r.IntN(len(ix.toks))].text, ix.toks[r.IntN(len(ix.toks))].text
		if len(x) >= 4 && len(y) >= 4 {
			pairs = append(pairs, [2]string{x, y})
		}
	}
	b.ResetTimer()
	cpu := cputime.Self()
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		levenshtein(p[0], p[1], 1)
		editSim(p[0], p[1])
		i++
	}
	reportCPU(b, cpu)
}
