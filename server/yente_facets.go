package server

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// yenteFacet is one facet of a GET /search answer, in yente's shape.
type yenteFacet struct {
	Label  string            `json:"label"`
	Values []yenteFacetValue `json:"values"`
}

type yenteFacetValue struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// searchFacets counts the countries, datasets, topics and schemata of
// every result a search found (not only the page shown); which names the
// facets to give.
func searchFacets(ms []lexscreen.Match, facts *entityFacts, countriesOf func(id string) []string, which []string) map[string]yenteFacet {
	datasets, topics, countries, schemata := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, m := range ms {
		datasets[m.Entity.Source]++
		for _, t := range facts.topics[m.Entity.ID] {
			topics[t]++
		}
		for _, c := range countriesOf(m.Entity.ID) {
			countries[strings.ToLower(c)]++
		}
		schemata[toFtm(m.Entity.Schema)]++
	}
	facet := func(label string, counts map[string]int, name, title func(string) string) yenteFacet {
		f := yenteFacet{Label: label, Values: []yenteFacetValue{}}
		for k, n := range counts {
			f.Values = append(f.Values, yenteFacetValue{Name: name(k), Label: title(k), Count: n})
		}
		sort.Slice(f.Values, func(i, j int) bool {
			a, b := f.Values[i], f.Values[j]
			return a.Count > b.Count || a.Count == b.Count && a.Name < b.Name
		})
		return f
	}
	id := func(s string) string { return s }
	all := map[string]yenteFacet{
		"countries": facet("Countries", countries, id, func(c string) string { return cmpOr(source.CountryName(strings.ToUpper(c)), c) }),
		"schema":    facet("Entity types", schemata, id, id),
		"datasets": facet("Data sources", datasets, ftm.DatasetName, func(src string) string {
			if t := source.SourceInfos[src].Title; t != "" {
				return t
			}
			return src
		}),
		"topics": facet("Topics", topics, id, id),
	}
	out := map[string]yenteFacet{}
	for _, k := range which {
		out[k] = all[k]
	}
	return out
}

// missingSchemas are the keys of the match queries without a schema, which
// yente refuses with a 422 validation error.
func missingSchemas(queries map[string]yenteQuery) []string {
	var out []string
	for k, q := range queries {
		if q.Schema == "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// yenteValidation is one item of a 422 answer, in FastAPI's shape (yente's).
type yenteValidation struct {
	Loc  []string `json:"loc"`
	Msg  string   `json:"msg"`
	Type string   `json:"type"`
}

// yenteValidationBody is a 422 answer: FastAPI's detail and lexscreen's error.
type yenteValidationBody struct {
	Detail []yenteValidation `json:"detail"`
	Error  errorDetail       `json:"error"`
}

// yenteValidationErr answers 422 as yente does for queries without a schema:
// detail is FastAPI's list of validation errors; error is lexscreen's.
func yenteValidationErr(w http.ResponseWriter, keys []string) {
	var detail []yenteValidation
	for _, k := range keys {
		detail = append(detail, yenteValidation{Loc: []string{"body", "queries", k, "schema"}, Msg: "Field required", Type: "missing"})
	}
	body, _ := json.Marshal(yenteValidationBody{Detail: detail, Error: errorDetail{Code: lexscreen.EINVALID,
		Message: "queries " + joinKeys(keys) + ": schema is required (Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing)"}})
	writeRaw(w, http.StatusUnprocessableEntity, body)
}

func joinKeys(keys []string) string {
	b, _ := json.Marshal(keys)
	return string(b)
}
