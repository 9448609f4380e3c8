package quality

import (
	"math/rand/v2"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/dates"
)

// Every messy form of a date is read back by the lenient reader as the
// date or as a span or candidate that holds it.
func TestMessyDateReadsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		d := lexscreen.PartialDate{Year: 1930 + rng.IntN(80), Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
		switch i % 5 {
		case 0:
			d.Month, d.Day = 0, 0
		case 1:
			d.Day = 0
		}
		s := MessyDate(rng, d)
		r, err := dates.Read(s)
		if err != nil {
			t.Errorf("%s written %q: %v", d, s, err)
			continue
		}
		held := false
		for _, v := range r.Dates() {
			lo, hi := v.Earliest(), v.Latest()
			if v.Circa {
				lo, hi = lo.AddDate(-1, 0, 0), hi.AddDate(1, 0, 0)
			}
			if !d.First().Before(lo) && !d.Last().After(hi) {
				held = true
			}
		}
		if !held {
			t.Errorf("%s written %q read as %v", d, s, r.Dates())
		}
	}
}
