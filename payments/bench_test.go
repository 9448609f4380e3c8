package payments

import (
	"bytes"
	"testing"
)

// BenchmarkScreenPacs008 reads and screens generated pacs.008 payments one
// by one (six parties and remittance text each, every one new to the
// cache for its debtor and creditor) for a US bank on the SDN excerpt of
// testdata. `go run ./cmd/lexbench payments` measures the same on the
// full bundled lists, with throughput over a file.
func BenchmarkScreenPacs008(b *testing.B) {
	var file bytes.Buffer
	if err := GeneratePacs008(&file, b.N, 11); err != nil {
		b.Fatal(err)
	}
	opts := Options{Regimes: mustEngine(b), Operator: mustOperator(b, "us-bank")}
	ps := testScreener(b)
	r, _ := NewReader("bench.xml", bytes.NewReader(file.Bytes()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := r.Next()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ps.Screen(m, opts); err != nil {
			b.Fatal(err)
		}
	}
}
