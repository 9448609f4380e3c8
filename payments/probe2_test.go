package payments

import (
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
)

func TestProbe2(t *testing.T) {
	ps := testScreener(t)
	for _, q := range []lexscreen.Query{{Identifiers: []string{"VTBRRUMM"}}, {Name: "x", Identifiers: []string{"VTBRRUMM"}}, {Name: "Francesca Albanese"}} {
		res, err := ps.s.Screen(q, screening.Options{Threshold: 0.5})
		t.Log(q, err)
		for _, m := range res.Matches {
			t.Logf("%s %.3f %+v", m.Entity.ID, m.Score, m.Explanation.Tokens)
		}
	}
}
