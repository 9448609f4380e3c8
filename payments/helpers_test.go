package payments

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ofac"
)

// testdata/sdn holds an excerpt of the OFAC SDN list of 2025-12-24: every
// 40th entry plus the few the tests pay to (Karim Khan and Francesca
// Albanese under ICC-EO14203, VTB Bank and Sberbank with their BICs, HAMAS).
var (
	testOnce sync.Once
	testPS   *Screener
	testErr  error
)

func testScreener(t testing.TB) *Screener {
	t.Helper()
	testOnce.Do(func() {
		var files []source.File
		for _, n := range []string{"sdn.csv", "add.csv", "alt.csv"} {
			files = append(files, source.OSFile(filepath.Join("testdata", "sdn", n)))
		}
		var ents []*lexscreen.Entity
		meta, _, err := ofac.ParseFiles(context.Background(), files, func(e *lexscreen.Entity) error {
			ents = append(ents, e)
			return nil
		}, ofac.Options{})
		if err != nil {
			testErr = err
			return
		}
		b := match.NewBuilder([]lexscreen.ListVersion{{Source: "us-ofac-sdn", Version: meta.Version, Published: "2025-12-24"}})
		b.KeepAttributes(regime.ListingAttributes...)
		for _, e := range ents {
			b.Add(e)
		}
		testPS = NewScreener(screening.New(b.Build(), "test"))
	})
	if testErr != nil {
		t.Fatal(testErr)
	}
	return testPS
}

// readAll reads every payment of a fixture.
func readAll(t testing.TB, name string) []*Message {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ms, errs := readString(name, string(b))
	if len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs)
	}
	return ms
}

// readString reads every payment of s, collecting the errors.
func readString(name, s string) ([]*Message, []error) {
	r, _ := NewReader(name, strings.NewReader(s))
	var ms []*Message
	var errs []error
	for i := 0; i < 100000; i++ {
		m, err := r.Next()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			errs = append(errs, err)
			if pe, ok := err.(*ParseError); ok && pe.Fatal {
				break
			}
			continue
		}
		ms = append(ms, m)
	}
	return ms, errs
}

func mustOperator(t testing.TB, spec string) regime.Operator {
	t.Helper()
	op, err := regime.ParseBuiltinOperator(spec)
	if err != nil {
		t.Fatal(err)
	}
	return op
}

func mustEngine(t testing.TB, overlays ...string) *regime.Engine {
	t.Helper()
	var data [][]byte
	var names []string
	for _, o := range overlays {
		data, names = append(data, []byte(o)), append(names, "overlay.yaml")
	}
	e, err := regime.LoadNamed(names, data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
