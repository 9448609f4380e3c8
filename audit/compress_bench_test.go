package audit

import (
	"encoding/json"
	"math"
	"reflect"
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

// The body appendBody writes reads back as json.Marshal's would, for
// records of every shape; a request that is not JSON, or a threshold that
// is not a number, is refused.
func TestAppendBody(t *testing.T) {
	rec := matchRecord(t)
	cases := []body{
		{Request: rec.Request, Operator: rec.Operator, Date: rec.Date, Regimes: rec.Regimes, Threshold: rec.Threshold, Limit: rec.Limit, Engine: rec.Engine, Result: rec.Result},
		{Engine: "lexscreen 1", Threshold: 0.7},
		{Request: json.RawMessage(`{"name":"Ali \u003cHassan\u003e \"Bey\""}`), Operator: "eu-bank <test> & \"x\"\n", Date: "2025-01-01", Threshold: 1e-9, Limit: -3, Result: json.RawMessage(`null`)},
		{Request: json.RawMessage(`[1, 2]`), Threshold: 3e25, Engine: "é\u2028", Result: json.RawMessage(`{"matches":[]}`)},
	}
	for i, bd := range cases {
		got, err := appendBody(nil, bd)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want, err := json.Marshal(bd)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, got)
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
	if _, err := appendBody(nil, body{Request: json.RawMessage(`{"name":`)}); err == nil {
		t.Error("a request that is not JSON was taken")
	}
	if _, err := appendBody(nil, body{Threshold: math.NaN()}); err == nil {
		t.Error("a NaN threshold was taken")
	}
}
