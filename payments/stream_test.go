package payments

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScreenStream: streaming gives the results of ScreenAll, in input
// order, with covers paired, for every pair window that spans the pair.
func TestScreenStream(t *testing.T) {
	opts := Options{Regimes: mustEngine(t), Operator: mustOperator(t, "us-bank")}
	for _, file := range []string{"e2e.xml", "e2e.fin", "mt202cov.txt", "pacs009cov.xml"} {
		want, wc := screenFile(t, file, opts)
		for _, window := range []int{8, 0} {
			f, err := os.Open(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			r, _ := NewReader(file, f)
			var got []Result
			c, err := testScreener(t).ScreenStream(r, opts, 2, window, func(res Result) error {
				got = append(got, res)
				return nil
			}, nil)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if c.Payments != wc.Payments || c.Pairs != wc.Pairs || len(got) != len(want) {
				t.Fatalf("%s window %d: %+v, want %+v", file, window, c, wc)
			}
			for i := range got {
				if got[i].Message.Seq != want[i].Message.Seq || got[i].Decision != want[i].Decision || got[i].Pair != want[i].Pair {
					t.Errorf("%s window %d #%d: %s %s pair %q, want %s %s pair %q", file, window, i,
						got[i].Message.Reference, got[i].Decision, got[i].Pair, want[i].Message.Reference, want[i].Decision, want[i].Pair)
				}
			}
		}
	}
}

// TestScreenStreamStops: an error of emit stops the stream and is
// returned; the unreadable messages are counted.
func TestScreenStreamStops(t *testing.T) {
	var b strings.Builder
	if err := GeneratePacs008(&b, 200, 5); err != nil {
		t.Fatal(err)
	}
	r, _ := NewReader("generated.xml", strings.NewReader(b.String()))
	stopErr := errors.New("disk full")
	n := 0
	_, err := testScreener(t).ScreenStream(r, Options{}, 2, 4, func(Result) error {
		if n++; n == 10 {
			return stopErr
		}
		return nil
	}, nil)
	if !errors.Is(err, stopErr) || n != 10 {
		t.Errorf("err %v after %d results, want %v after 10", err, n, stopErr)
	}
	mt := "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKFRPPXXXXN}{4:\n:20:REF-1\n:32A:250901EUR1,00\n:50K:/1\nJOHN DOE\n:59:/2\nJANE ROE\n:71A:SHA\n-}\n" +
		"{1:F01BANKDEFFAXXX0000000000}{2:I103BANKFRPPXXXXN}{4:\n:20:REF-2\n:32A:garbage\n-}\n"
	r, _ = NewReader("two.fin", strings.NewReader(mt))
	var errs int
	c, err := testScreener(t).ScreenStream(r, Options{}, 1, 0, func(Result) error { return nil }, func(*ParseError) { errs++ })
	if err != nil || c.Payments+c.Unreadable != 2 || c.Unreadable != errs {
		t.Errorf("%+v, %d errors, err %v: want 2 messages, the unreadable ones counted", c, errs, err)
	}
}
