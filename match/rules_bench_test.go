package match

import (
	"fmt"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// BenchmarkRulesScreen screens the names of the name bench's first
// column against an index of its second column (about 450 names, built
// once): candidate lookup, tokenSim and alignNames, with no bundled index
// to build, so that it also runs under callgrind (an instruction count
// that a busy machine does not disturb).
func BenchmarkRulesScreen(b *testing.B) {
	rows := readGoldenCSV(b, "golden_name_pairs.csv")
	bl := NewBuilder(nil)
	var qs []lexscreen.Query
	for i, r := range rows {
		s := lexscreen.ParseSchema(r[1])
		bl.Add(&lexscreen.Entity{ID: fmt.Sprintf("b:%d", i), Source: "b", Schema: s,
			Names: []lexscreen.Name{{Full: r[3], Kind: lexscreen.NamePrimary}}})
		qs = append(qs, lexscreen.Query{Name: r[2]})
	}
	m := New(bl.Build())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range qs {
			m.ScreenWith(q, Options{Threshold: 0.5, Limit: 10})
		}
	}
}
