package audit

import (
	"testing"
)

// BenchmarkEncode2 is the per-record cost on the screening's goroutine:
// body JSON, compression, list set hash.
func BenchmarkEncode2(b *testing.B) {
	rec := matchRecord(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := rec
		if err := r.encode2(); err != nil {
			b.Fatal(err)
		}
	}
}
