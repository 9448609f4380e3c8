package payments

import (
	"cmp"

	"github.com/lexscreen/lexscreen"
)

// Hit is one party, or one listed name found in free text, of a payment
// that was not passed: what a case-management system opens alerts on.
type Hit struct {
	Role  string `json:"role"`  // the party's role, or "free_text"
	Field string `json:"field"` // the MT tag or ISO element it was read from
	// Name is the party's name (its BIC or LEI when it has none), or the
	// words of the free text that matched.
	Name string `json:"name"`
	// Query is what was screened: the party's name, schema, countries
	// (address and BIC) and identifiers (BIC, LEI), or the free text's
	// words alone. Its fingerprint names the party across payments.
	Query    lexscreen.Query `json:"query"`
	Decision Decision        `json:"decision"`
	Reason   string          `json:"reason,omitempty"`
	// Matches are the matches that stopped the payment (decision not pass
	// on their own), with their obligations; Conflicts are theirs.
	Matches   []lexscreen.Match    `json:"matches"`
	Conflicts []lexscreen.Conflict `json:"conflicts"`
	Line      int                  `json:"line,omitempty"`
}

// Hits returns the parties and free-text names of a payment whose
// decision is not pass, each with the matches that are not a pass on their
// own (a party's other matches, a listing binding no duty on the operator,
// are left out). A payment that passed has none. A cover payment's
// decision inherited from its pair (Pair) opens nothing of its own.
func (r *Result) Hits() []Hit {
	var out []Hit
	regimes := r.Operator != ""
	for _, p := range r.Parties {
		if p.Decision == Pass || len(p.Matches) == 0 {
			continue
		}
		h := Hit{Role: p.Role, Field: p.Field, Name: cmp.Or(p.Name, p.BIC, p.LEI), Query: partyQuery(p.Party),
			Decision: p.Decision, Reason: p.Reason, Line: p.Line}
		for _, m := range p.Matches {
			cs := conflictsOf(p.Conflicts, m.Entity.ID)
			if d, _ := decideMatch(m, cs, regimes); d == Pass {
				continue
			}
			h.Matches = append(h.Matches, m)
			h.Conflicts = append(h.Conflicts, cs...)
		}
		if len(h.Matches) > 0 {
			out = append(out, h)
		}
	}
	for _, t := range r.TextHits {
		if t.Decision == Pass {
			continue
		}
		out = append(out, Hit{Role: "free_text", Field: t.Field, Name: t.Span, Query: lexscreen.Query{Name: t.Span},
			Decision: t.Decision, Reason: t.Reason, Matches: []lexscreen.Match{t.Match}, Conflicts: t.Conflicts, Line: t.Line})
	}
	for i := range out {
		if out[i].Conflicts == nil {
			out[i].Conflicts = []lexscreen.Conflict{}
		}
	}
	return out
}

// PartyQuery is the query a party is screened with: its name, its
// address country and the BIC's, its BIC (also as the head office's 8
// characters) and LEI as identifiers, its date of birth.
func PartyQuery(p Party) lexscreen.Query { return partyQuery(p) }

// conflictsOf returns the conflicts of one listed entity.
func conflictsOf(cs []lexscreen.Conflict, entityID string) []lexscreen.Conflict {
	var out []lexscreen.Conflict
	for _, c := range cs {
		if c.EntityID == entityID {
			out = append(out, c)
		}
	}
	return out
}
