package payments

import (
	"encoding/json"
	"testing"
)

func TestProbe(t *testing.T) {
	ps := testScreener(t)
	m := &Message{Type: "pacs.008", ValueDate: "2027-03-01", DateField: "IntrBkSttlmDt", Parties: []Party{
		{Role: "creditor", Field: "Cdtr", Name: "Karim Asad Ahmad Khan", Country: "NL"},
		{Role: "intermediary_agent_1", Field: "IntrmyAgt1", BIC: "VTBRRUMMXXX"},
		{Role: "debtor", Field: "Dbtr", Name: "Claire Dubois", Country: "FR"},
	}, Texts: []FreeText{{Field: "Ustrd", Text: "Honorarium for Francesca Albanese lecture, ref 4471, HAMAS"}}}
	for _, op := range []string{"us-bank", "eu-bank", "eu-subsidiary-of-us-bank"} {
		for _, ov := range [][]string{nil, {euBlocks}} {
			res, err := ps.Screen(m, Options{Regimes: mustEngine(t, ov...), Operator: mustOperator(t, op)})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s overlay=%v: %s: %s", op, ov != nil, res.Decision, res.Reason)
			for _, p := range res.Parties {
				var kinds []string
				for _, m := range p.Matches {
					for _, o := range m.Obligations {
						kinds = append(kinds, o.Kind)
					}
				}
				t.Logf("   %s %s %v %s", p.Role, p.Decision, kinds, p.Reason)
			}
			for _, h := range res.TextHits {
				t.Logf("   text %q %s %s %.2f", h.Span, h.Match.Entity.ID, h.Decision, h.Match.Score)
			}
		}
	}
	b, _ := json.MarshalIndent(m, "", " ")
	_ = b
}

const euBlocks = `blocking_statutes:
  - id: EU-2271-96
    annex_add:
      - program: ICC-EO14203
        effective_from: 2027-01-01
`
