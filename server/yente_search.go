package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/source"
)

// yente's GET /search/{dataset}: name search with yente's filters, facets
// and paging.

var searchParams = []string{"q", "schema", "limit", "offset", "countries", "topics", "datasets", "include_dataset", "exclude_dataset",
	"exclude_schema", "changed_since", "exclude_entity_ids", "filter_op", "fuzzy", "simple", "facets"}

// searchFacetNames are the facets /search can count; the first three are
// given when the facets parameter is absent, as in yente.
var searchFacetNames = []string{"countries", "datasets", "topics", "schema"}

// checkBools refuses boolean parameters that are not true or false.
func checkBools(q url.Values, names ...string) error {
	for _, b := range names {
		if v := q.Get(b); v != "" {
			if _, err := strconv.ParseBool(v); err != nil {
				return invalid("%s=%q: want true or false", b, v)
			}
		}
	}
	return nil
}

// countryFilter keeps the entities linked to the given countries: any of
// them, or all with filter_op=AND. Empty keeps every entity.
type countryFilter struct {
	codes []string // ISO codes, upper case
	all   bool
}

func readCountries(q url.Values) (countryFilter, error) {
	f := countryFilter{all: strings.EqualFold(q.Get("filter_op"), "AND")}
	for _, c := range q["countries"] {
		code := source.CountryCode(c)
		if code == "" {
			return f, invalid("countries=%q: not a country; give ISO 3166-1 codes (ru, ir) or country names", c)
		}
		if !slices.Contains(f.codes, code) {
			f.codes = append(f.codes, code)
		}
	}
	return f, nil
}

func (f countryFilter) keep(has []string) bool {
	if len(f.codes) == 0 {
		return true
	}
	n := 0
	for _, c := range f.codes {
		if slices.Contains(has, c) {
			n++
		}
	}
	return n > 0 && (!f.all || n == len(f.codes))
}

func (s *Server) handleYenteSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkParams(q, searchParams...); err != nil {
		yenteErr(w, r, err)
		return
	}
	if err := checkBools(q, "fuzzy", "simple"); err != nil {
		yenteErr(w, r, err)
		return
	}
	// limit=0 asks for the total and the facets only, as in yente.
	limit, err := queryInt(r, "limit", 10)
	if err != nil || limit > 500 {
		yenteErr(w, r, invalid("limit: want 0 to 500"))
		return
	}
	offset, err := queryInt(r, "offset", 0)
	if err != nil || offset > 500 || offset+limit > 500 {
		yenteErr(w, r, invalid("offset: want 0 or more, with offset+limit at most 500"))
		return
	}
	facets := q["facets"]
	for _, f := range facets {
		if !slices.Contains(searchFacetNames, f) {
			yenteErr(w, r, invalid("facets=%q: want %s", f, strings.Join(searchFacetNames, ", ")))
			return
		}
	}
	if len(facets) == 0 {
		facets = searchFacetNames[:3]
	}
	typ, err := ftmSchema(q.Get("schema"))
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	countries, err := readCountries(q)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	ix, err := s.current()
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	// An unknown dataset is a 404 before anything else, as in yente.
	if _, err := dataset(ix, r.PathValue("dataset")); err != nil {
		yenteErr(w, r, err)
		return
	}
	if strings.TrimSpace(q.Get("q")) == "" {
		yenteErr(w, r, invalid("q: required: lexscreen's search screens a name and does not list a whole dataset (use /v1/export or GET /v1/lists for that)"))
		return
	}
	var fp filterParams
	fp.fromQuery(q)
	filters, err := readFilters(r.Context(), ix, r.PathValue("dataset"), fp)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	narrowed := len(countries.codes) > 0
	want := candidateLimit(max(offset+limit, 1), filters, narrowed)
	prep, err := Prepare(ScreenRequest{Name: q.Get("q"), Type: typ, Country: q["countries"], Threshold: searchThreshold, Limit: want})
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	done, err := s.screen(r.Context(), r, "search", ix, []Prepared{prep}, false)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	mix := ix.Screener.Matcher().Index()
	out := yenteSearchResponse{Limit: limit, Offset: offset, Results: []yenteEntity{}}
	ms, cut := merge(done, filters, nil, offset+limit)
	if narrowed {
		kept := ms[:0]
		for _, m := range ms {
			if countries.keep(mix.Countries(m.Entity.ID)) {
				kept = append(kept, m)
			}
		}
		ms = kept
	}
	if page := ms[min(offset, len(ms)):min(offset+limit, len(ms))]; len(page) > 0 {
		out.Results, _ = s.yenteResults(r.Context(), ix, page, match.DefaultThreshold, filters.facts)
	}
	out.Facets = searchFacets(ms, filters.facts, mix.Countries, facets)
	out.Total = yenteTotal{Value: len(ms), Relation: "eq"}
	if cut || len(done[0].result.Matches) >= prep.Opts.Limit {
		out.Total.Relation = "gte"
	}
	writeJSON(w, http.StatusOK, out)
}

// dropReferents leaves out the matches whose entity has one of the
// excluded ids among its referents (the source ids OpenSanctions merged
// into it), so that an id excluded as a client knew it (ofac-45937) leaves
// out the merged entity (NK-...). An entity whose record can't be read
// is kept: a match is never dropped on a guess.
func (s *Server) dropReferents(ctx context.Context, ix *Index, ms []lexscreen.Match, excluded ...map[string]bool) []lexscreen.Match {
	n := 0
	for _, e := range excluded {
		n += len(e)
	}
	if n == 0 {
		return ms
	}
	out := ms[:0:0]
	for _, m := range ms {
		full, err := s.fullEntity(ctx, ix, m.Entity.ID)
		drop := false
		if err == nil {
			for _, ref := range full.Attributes["referents"] {
				for _, e := range excluded {
					drop = drop || e[ref]
				}
			}
		}
		if !drop {
			out = append(out, m)
		}
	}
	return out
}
