package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/screening"
)

// RelatedResponse is the answer of GET /v1/entities/{id}/related.
type RelatedResponse struct {
	Entity string `json:"entity"`
	// Query is what was matched: the entity's caption, type, first date of
	// birth, countries and identifier numbers.
	Query   lexscreen.Query         `json:"query"`
	Related []RelatedEntity         `json:"related" doc:"entities of the other lists (and other entries of its own) the matcher links to it, best first"`
	Lists   []lexscreen.ListVersion `json:"lists"`
}

// RelatedEntity is an entity the matcher finds for another's names and
// details, with why, and the identifiers both carry.
type RelatedEntity struct {
	Entity       lexscreen.EntityRef     `json:"entity"`
	Score        float64                 `json:"score"`
	Summary      string                  `json:"summary" doc:"the matcher's one-sentence reason"`
	SameList     bool                    `json:"same_list" doc:"another entry of the entity's own list"`
	Identifiers  []string                `json:"shared_identifiers,omitempty" doc:"identifier numbers both entities carry"`
	Designations []lexscreen.Designation `json:"designations"`
}

func (s *Server) relatedRoute() route {
	return route{Method: "GET", Path: "/v1/entities/{id}/related", Role: audit.RoleAnalyst, Summary: "The same person or thing on the other lists",
		Description: "Matches the entity's caption with its type, first date of birth, countries and identifier numbers as evidence against the lists in use, and answers the matches other than itself, best first, each with the matcher's reason and the identifiers both carry. A cross-reference of the lists, not a screening of a customer: it is not recorded in the audit trail.",
		Params:      []param{{Name: "id", In: "path", Required: true, Description: "entity id", Example: "us-ofac-sdn:306"}},
		Response:    RelatedResponse{}, handler: s.handleRelated}
}

func (s *Server) handleRelated(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if _, ok := snapshotOf(ix, id); !ok {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in use for %s (see /v1/lists)", sourceOf(id), id))
		return
	}
	e, err := s.fullEntity(r.Context(), ix, id)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	q := lexscreen.Query{Name: e.Caption(), Schema: e.Schema}
	if len(e.BirthDates) > 0 && !e.BirthDates[0].From.IsZero() {
		q.BirthDate = e.BirthDates[0].From.String()
	}
	for _, cs := range [][]lexscreen.Country{e.Nationalities, e.Citizenships} {
		for _, c := range cs {
			if c.Code != "" && !slices.Contains(q.Countries, c.Code) {
				q.Countries = append(q.Countries, c.Code)
			}
		}
	}
	mine := map[string]bool{}
	for _, idf := range e.Identifiers {
		n := normalID(idf.Number)
		if n != "" && !mine[n] {
			mine[n] = true
			q.Identifiers = append(q.Identifiers, idf.Number)
		}
	}
	res, err := ix.Screener.Screen(q, screening.Options{Limit: 25, OmitListWarnings: true})
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := RelatedResponse{Entity: id, Query: q, Related: []RelatedEntity{}, Lists: nonNil(res.Lists)}
	for _, m := range res.Matches {
		if m.Entity.ID == id {
			continue
		}
		rel := RelatedEntity{Entity: m.Entity, Score: m.Score, Summary: m.Explanation.Summary, SameList: m.Entity.Source == e.Source,
			Designations: nonNil(m.Designations)}
		if len(mine) > 0 {
			if other, err := s.fullEntity(r.Context(), ix, m.Entity.ID); err == nil {
				for _, idf := range other.Identifiers {
					if n := normalID(idf.Number); mine[n] && !slices.Contains(rel.Identifiers, idf.Number) {
						rel.Identifiers = append(rel.Identifiers, idf.Number)
					}
				}
			}
		}
		out.Related = append(out.Related, rel)
	}
	writeJSON(w, http.StatusOK, out)
}

// normalID is an identifier number compared loosely: letters and digits,
// upper case ("AB 123-456" = "ab123456").
func normalID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, s)
}
