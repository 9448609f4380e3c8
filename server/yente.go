package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// yente's POST /match/{dataset} and GET /search/{dataset}, with yente's
// result filters. What lexscreen can't do as asked is refused with a 400
// (yente's {"detail": ...} and lexscreen's {"error": ...}), never ignored.

// stringList is a FollowTheMoney property value list; a single value is
// accepted too, and numbers are read as their text ([1965] is "1965").
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var items []json.RawMessage
	if len(b) > 0 && b[0] == '[' {
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
	} else {
		items = []json.RawMessage{b}
	}
	out := []string{}
	for _, it := range items {
		it = bytes.TrimSpace(it)
		switch {
		case len(it) == 0 || string(it) == "null":
		case it[0] == '"':
			var s string
			if err := json.Unmarshal(it, &s); err != nil {
				return err
			}
			out = append(out, s)
		case it[0] == '-' || it[0] >= '0' && it[0] <= '9':
			var n json.Number
			if err := json.Unmarshal(it, &n); err != nil {
				return err
			}
			out = append(out, n.String())
		default:
			return fmt.Errorf("property value %.40s: want a string, a number or a list of them", it)
		}
	}
	*l = out
	return nil
}

type yenteQuery struct {
	ID         string                `json:"id,omitempty"`
	Schema     string                `json:"schema" doc:"Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing"`
	Properties map[string]stringList `json:"properties" doc:"name, alias, birthDate, nationality, country, citizenship, idNumber, passportNumber, registrationNumber, imoNumber ..."`
	// ExcludeEntityIDs are entity ids left out of this query's results
	// (lexscreen's per-query form of the exclude_entity_ids parameter).
	ExcludeEntityIDs []string `json:"exclude_entity_ids,omitempty" doc:"entity ids left out of this query's results (lexscreen extension)"`
	// Filters (a per-query filter form some clients send) is refused.
	Filters json.RawMessage `json:"filters,omitempty" doc:"refused: use the filter parameters"`
}

type yenteMatchRequest struct {
	Queries map[string]yenteQuery `json:"queries"`
	Weights map[string]float64    `json:"weights,omitempty" doc:"refused unless empty: lexscreen scores with its own engine"`
	Config  map[string]any        `json:"config,omitempty" doc:"refused unless empty: lexscreen scores with its own engine"`
	Params  map[string]any        `json:"params,omitempty" doc:"the filter parameters in the body: include_datasets, exclude_datasets, exclude_entity_ids (as motiva takes them) or any query parameter name of the filters"`
}

type yenteResponse struct {
	Status  int           `json:"status"`
	Results []yenteEntity `json:"results"`
	Total   yenteTotal    `json:"total"`
	Query   yenteQuery    `json:"query"`
	// Warnings say what of the query lexscreen could not use (a date of
	// birth it can't read, properties it does not match on) or could not
	// make sure of; the query was screened on the rest. (Not in yente.)
	Warnings []lexscreen.Warning `json:"warnings,omitempty"`
}

// yenteErrorBody is an error answer of the yente endpoints: yente's
// detail and lexscreen's error.
type yenteErrorBody struct {
	Detail string      `json:"detail"`
	Error  errorDetail `json:"error"`
}

func yenteErr(w http.ResponseWriter, r *http.Request, err error) {
	status, d := errorOf(err)
	writeJSON(w, status, yenteErrorBody{Detail: d.Message, Error: d})
}

func invalid(format string, args ...any) error {
	return lexscreen.Errorf(lexscreen.EINVALID, format, args...)
}

// checkParams refuses query parameters an endpoint does not take.
func checkParams(q url.Values, allowed ...string) error {
	var unknown []string
	for k := range q {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	if slices.Contains(unknown, "api_key") {
		return invalid("api_key: not taken in the URL; send the key as Authorization: Bearer KEY")
	}
	return invalid("unsupported parameter %s: this endpoint takes %s", strings.Join(unknown, ", "), strings.Join(allowed, ", "))
}

// filterParams are yente's filter parameters as given (query string and body).
type filterParams struct {
	includeDataset, excludeDataset, datasets, excludeSchema, topics, excludeIDs []string
	changedSince, filterOp                                                      string
}

func (p *filterParams) fromQuery(q url.Values) {
	p.includeDataset = append(p.includeDataset, q["include_dataset"]...)
	p.excludeDataset = append(p.excludeDataset, q["exclude_dataset"]...)
	p.datasets = append(p.datasets, q["datasets"]...)
	p.excludeSchema = append(p.excludeSchema, q["exclude_schema"]...)
	p.topics = append(p.topics, q["topics"]...)
	p.excludeIDs = append(p.excludeIDs, q["exclude_entity_ids"]...)
	p.changedSince = q.Get("changed_since")
	p.filterOp = q.Get("filter_op")
}

// fromBody adds the filter parameters of a match body's params object.
func (p *filterParams) fromBody(params map[string]any) error {
	for k, v := range params {
		var list []string
		switch x := v.(type) {
		case nil:
		case string:
			list = []string{x}
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return invalid("params.%s: want a list of strings", k)
				}
				list = append(list, s)
			}
		default:
			return invalid("params.%s: want a string or a list of strings", k)
		}
		switch k {
		case "include_datasets", "include_dataset":
			p.includeDataset = append(p.includeDataset, list...)
		case "exclude_datasets", "exclude_dataset":
			p.excludeDataset = append(p.excludeDataset, list...)
		case "exclude_entity_ids":
			p.excludeIDs = append(p.excludeIDs, list...)
		case "exclude_schema":
			p.excludeSchema = append(p.excludeSchema, list...)
		case "topics":
			p.topics = append(p.topics, list...)
		case "changed_since":
			if len(list) > 1 || p.changedSince != "" && len(list) == 1 && list[0] != p.changedSince {
				return invalid("changed_since: given more than once")
			}
			if len(list) == 1 {
				p.changedSince = list[0]
			}
		default:
			return invalid("params.%s: unsupported; params takes include_datasets, exclude_datasets, exclude_entity_ids, exclude_schema, topics, changed_since", k)
		}
	}
	return nil
}

// yenteFilters decide which matched entities a yente answer may report.
type yenteFilters struct {
	sources       map[string]bool // nil: every list of the index
	excludeSchema map[string]bool // FtM schema names
	topics        []string
	topicsAll     bool   // filter_op=AND: every topic, else any
	changedSince  string // YYYY-MM-DD; "" none
	excludeIDs    map[string]bool
	facts         *entityFacts
	changes       *changeDates
}

// narrows reports whether the filters may leave out a match.
func (f *yenteFilters) narrows() bool {
	return f.sources != nil || len(f.excludeSchema) > 0 || len(f.topics) > 0 || f.changedSince != "" || len(f.excludeIDs) > 0
}

// keep reports whether a match passes the filters and the query's own exclusions.
func (f *yenteFilters) keep(m lexscreen.Match, exclude map[string]bool) bool {
	id := m.Entity.ID
	ext := ftm.ExternalID(id)
	if f.sources != nil && !f.sources[m.Entity.Source] || f.excludeSchema[toFtm(m.Entity.Schema)] || f.excludeIDs[id] || exclude[id] ||
		f.excludeIDs[ext] || exclude[ext] {
		return false
	}
	if len(f.topics) > 0 {
		has := f.facts.topics[id]
		n := 0
		for _, t := range f.topics {
			if slices.Contains(has, t) {
				n++
			}
		}
		if n == 0 || f.topicsAll && n < len(f.topics) {
			return false
		}
	}
	if f.changedSince != "" && f.changes.lastChange(id) < f.changedSince {
		return false
	}
	return true
}

// ftmSchemasReported are the FollowTheMoney schemata lexscreen's results carry.
var ftmSchemasReported = []string{"Person", "Organization", "Vessel", "Airplane", "LegalEntity"}

// tsPattern is yente's changed_since pattern.
var tsPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$`)

// readFilters checks filter parameters against an index.
func readFilters(ctx context.Context, ix *Index, pathDataset string, p filterParams) (*yenteFilters, error) {
	f := &yenteFilters{facts: ix.factsOf()}
	scope, err := dataset(ix, pathDataset)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, s := range ix.Snapshots {
		all = append(all, s.Source)
	}
	resolve := func(param, name string) ([]string, error) {
		switch name {
		case "default", "sanctions", "all":
			return all, nil
		}
		if i := slices.IndexFunc(all, func(src string) bool { return ftm.NamesSource(name, src) }); i >= 0 {
			return []string{all[i]}, nil
		}
		names := make([]string, len(all))
		for i, a := range all {
			names[i] = ftm.DatasetName(a)
		}
		return nil, invalid("%s=%q: no such dataset; the datasets are default and %s (see /catalog)", param, name, strings.Join(names, ", "))
	}
	in := map[string]bool{}
	for _, s := range all {
		in[s] = scope == "" || s == scope
	}
	op := strings.ToUpper(p.filterOp)
	switch op {
	case "", "OR", "AND":
	default:
		return nil, invalid("filter_op=%q: want OR or AND", p.filterOp)
	}
	f.topicsAll = op == "AND"
	if op == "AND" && len(p.datasets) > 1 {
		return nil, invalid("datasets with filter_op=AND: an entity is on one list only, so several datasets match nothing")
	}
	for _, group := range []struct {
		param string
		names []string
	}{{"include_dataset", p.includeDataset}, {"datasets", p.datasets}} {
		if len(group.names) == 0 {
			continue
		}
		keep := map[string]bool{}
		for _, n := range group.names {
			srcs, err := resolve(group.param, n)
			if err != nil {
				return nil, err
			}
			for _, s := range srcs {
				keep[s] = true
			}
		}
		for s := range in {
			in[s] = in[s] && keep[s]
		}
	}
	for _, n := range p.excludeDataset {
		srcs, err := resolve("exclude_dataset", n)
		if err != nil {
			return nil, err
		}
		for _, s := range srcs {
			in[s] = false
		}
	}
	n := 0
	for _, ok := range in {
		if ok {
			n++
		}
	}
	if n == 0 {
		return nil, invalid("the dataset filters (dataset %s, include_dataset %v, exclude_dataset %v) leave no list to screen against", pathDataset, p.includeDataset, p.excludeDataset)
	}
	if n < len(all) {
		f.sources = in
	}
	for _, name := range p.excludeSchema {
		i := slices.IndexFunc(ftmSchemasReported, func(s string) bool { return strings.EqualFold(s, name) })
		switch {
		case i >= 0:
			if f.excludeSchema == nil {
				f.excludeSchema = map[string]bool{}
			}
			f.excludeSchema[ftmSchemasReported[i]] = true
		case strings.EqualFold(name, "Company") || strings.EqualFold(name, "PublicBody"):
			return nil, invalid("exclude_schema=%q: lexscreen does not tell companies or public bodies from other organisations; exclude Organization to leave them all out", name)
		default:
			return nil, invalid("exclude_schema=%q: lexscreen's results are %s", name, strings.Join(ftmSchemasReported, ", "))
		}
	}
	for _, t := range p.topics {
		if f.facts.counts[t] == 0 {
			return nil, invalid("topics=%q: no entity of the lists in use has this topic. lexscreen derives the topics %s from the lists' designations (see API.md) and has no data on politically exposed persons, persons of interest or other topics",
				t, strings.Join(DerivedTopics, ", "))
		}
		f.topics = append(f.topics, t)
	}
	for _, id := range p.excludeIDs {
		if id = strings.TrimSpace(id); id != "" {
			if f.excludeIDs == nil {
				f.excludeIDs = map[string]bool{}
			}
			f.excludeIDs[id] = true
		}
	}
	if c := p.changedSince; c != "" {
		if !tsPattern.MatchString(c) {
			return nil, invalid("changed_since=%q: want YYYY-MM-DD, optionally with THH, THH:MM or THH:MM:SS", c)
		}
		if _, err := time.Parse("2006-01-02", c[:10]); err != nil {
			return nil, invalid("changed_since=%q: no such day", c)
		}
		if f.changes, err = ix.changesOf(ctx); err != nil {
			return nil, err
		}
		f.changedSince = c[:10]
	}
	return f, nil
}

// candidateLimit is how many matches to ask the matcher for so that want
// results survive the filters: five times want, or as many as the matcher
// gives when a filter may leave matches out.
func candidateLimit(want int, f *yenteFilters, perQuery bool) int {
	if f.narrows() || perQuery {
		return 500
	}
	return min(500, want*5)
}

// merge keeps the best match per entity over several screenings, best
// first, after the filters. cut reports that a screening returned as many
// matches as it was allowed (so that there may have been more to find)
// while fewer than want passed the filters.
func merge(done []screened, f *yenteFilters, exclude map[string]bool, want int) (out []lexscreen.Match, cut bool) {
	best := map[string]lexscreen.Match{}
	full := false
	for _, d := range done {
		full = full || len(d.result.Matches) >= d.prep.Opts.Limit
		for _, m := range d.result.Matches {
			if !f.keep(m, exclude) {
				continue
			}
			if b, ok := best[m.Entity.ID]; !ok || m.Score > b.Score {
				best[m.Entity.ID] = m
			}
		}
	}
	out = make([]lexscreen.Match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Score > out[j].Score || out[i].Score == out[j].Score && out[i].Entity.ID < out[j].Entity.ID
	})
	return out, full && len(out) < want
}

// yenteResult is a match in yente's shape. full is the entity as stored
// (nil when it could not be read: the result then carries the names,
// program and topics the match itself holds).
func yenteResult(m lexscreen.Match, threshold float64, facts *entityFacts, full *lexscreen.Entity, ix *Index) yenteEntity {
	e := yenteEntity{ID: ftm.ExternalID(m.Entity.ID), Caption: m.Entity.Name, Schema: toFtm(m.Entity.Schema),
		Datasets: []string{ftm.DatasetName(m.Entity.Source)}, Referents: []string{}, Target: true, Score: m.Score, Match: m.Score >= threshold,
		Features: map[string]float64{"name_match": m.Explanation.NameScore},
		Explanations: map[string]yenteExplanation{"name_match": {Score: m.Explanation.NameScore, Detail: m.Explanation.Summary,
			Candidate: m.Explanation.MatchedName}}}
	if full != nil {
		x := exportEntity(full, ix)
		e.Schema, e.Properties, e.Datasets, e.Referents, e.Target = x.Schema, x.Properties, x.Datasets, x.Referents, x.Target
		e.FirstSeen, e.LastSeen, e.LastChange = x.FirstSeen, x.LastSeen, x.LastChange
	} else {
		props := map[string][]any{}
		for _, n := range m.Entity.Names {
			props["name"] = append(props["name"], n)
		}
		for _, t := range facts.topics[m.Entity.ID] {
			props["topics"] = append(props["topics"], t)
		}
		for _, d := range m.Designations {
			if d.Program != "" && !slices.Contains(props["program"], any(d.Program)) {
				props["program"] = append(props["program"], d.Program)
			}
		}
		e.Properties = props
	}
	for _, ev := range m.Explanation.Evidence {
		e.Features[ev.Kind] = ev.Effect
		e.Explanations[ev.Kind] = yenteExplanation{Score: ev.Effect, Detail: ev.Detail}
	}
	return e
}

// yenteResults builds the results of one answer, reading each entity from
// the store; an entity that can't be read is reported from the match alone,
// with a warning.
func (s *Server) yenteResults(ctx context.Context, ix *Index, ms []lexscreen.Match, threshold float64, facts *entityFacts) ([]yenteEntity, []lexscreen.Warning) {
	out := make([]yenteEntity, 0, len(ms))
	var warns []lexscreen.Warning
	for _, m := range ms {
		full, err := s.fullEntity(ctx, ix, m.Entity.ID)
		if err != nil {
			full = nil
			warns = append(warns, lexscreen.Warning{Field: "results", Value: m.Entity.ID,
				Message: "the entity's full record could not be read (" + errMessage(err) + "); the result carries its names, programs and topics only"})
		}
		out = append(out, yenteResult(m, threshold, facts, full, ix))
	}
	return out, warns
}

// yenteNameProps are the query properties read as names; yenteUsedProps
// all the properties lexscreen matches on.
var (
	yenteNameProps = []string{"name", "alias", "previousName", "weakAlias"}
	yenteCountries = []string{"nationality", "country", "citizenship", "jurisdiction"}
	yenteIDs       = []string{"idNumber", "passportNumber", "registrationNumber", "imoNumber", "taxNumber", "innCode", "ogrnCode", "leiCode", "swiftBic"}
	yenteUsedProps = slices.Concat(yenteNameProps, yenteCountries, yenteIDs, []string{"firstName", "middleName", "lastName", "birthDate"})
)

// echoQuery is a query as yente echoes it: country properties as FtM
// country codes ("Russia" is "ru"); a value that names no country stays as sent.
func echoQuery(q yenteQuery) yenteQuery {
	props := make(map[string]stringList, len(q.Properties))
	for k, vs := range q.Properties {
		if slices.Contains(yenteCountries, k) {
			out := make(stringList, len(vs))
			for i, v := range vs {
				out[i] = v
				if c := source.CountryCode(v); c != "" {
					out[i] = strings.ToLower(c)
				}
			}
			vs = out
		}
		props[k] = vs
	}
	q.Properties = props
	return q
}

var matchParams = []string{"limit", "threshold", "cutoff", "algorithm", "fuzzy", "include_dataset", "exclude_dataset", "exclude_schema", "topics", "changed_since", "exclude_entity_ids"}

func (s *Server) handleYenteMatch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkParams(q, matchParams...); err != nil {
		yenteErr(w, r, err)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		yenteErr(w, r, jsonError(err))
		return
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		yenteErr(w, r, jsonError(err))
		return
	}
	for k := range top {
		if !slices.Contains([]string{"queries", "weights", "config", "params"}, k) {
			yenteErr(w, r, invalid("request body: unsupported field %q: want queries, and params for the filters", k))
			return
		}
	}
	var req yenteMatchRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		yenteErr(w, r, jsonError(err))
		return
	}
	if len(req.Weights) > 0 || len(req.Config) > 0 {
		yenteErr(w, r, invalid("weights and config: lexscreen scores with its own engine and can't apply yente's scoring weights or configuration"))
		return
	}
	if err := checkAlgorithm(q.Get("algorithm")); err != nil {
		yenteErr(w, r, err)
		return
	}
	if err := checkBools(q, "fuzzy"); err != nil {
		yenteErr(w, r, err)
		return
	}
	if missing := missingSchemas(req.Queries); len(missing) > 0 {
		yenteValidationErr(w, missing)
		return
	}
	limit, err := queryInt(r, "limit", 5)
	if err != nil || limit < 1 || limit > 500 {
		yenteErr(w, r, invalid("limit: want 1 to 500"))
		return
	}
	threshold, err := queryScore(r, "threshold", match.DefaultThreshold)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	// cutoff (deprecated in yente): results are reported from it, matches from the threshold.
	cutoff, err := queryScore(r, "cutoff", threshold)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	cutoff = min(cutoff, threshold)
	if len(req.Queries) == 0 {
		yenteErr(w, r, invalid("queries: want at least one query"))
		return
	}
	if len(req.Queries) > s.cfg.MaxBatch {
		yenteErr(w, r, invalid("queries: at most %d screenings in one request, and this request has %d queries", s.cfg.MaxBatch, len(req.Queries)))
		return
	}
	var fp filterParams
	fp.fromQuery(q)
	if err := fp.fromBody(req.Params); err != nil {
		yenteErr(w, r, err)
		return
	}
	ix, err := s.current()
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	filters, err := readFilters(r.Context(), ix, r.PathValue("dataset"), fp)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	// Check every query before screening any, so a bad one records nothing.
	keys := make([]string, 0, len(req.Queries))
	for k := range req.Queries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var preps []Prepared
	owner := []string{}
	unused := map[string][]string{}
	for _, k := range keys {
		if err := r.Context().Err(); err != nil {
			yenteErr(w, r, err)
			return
		}
		yq := req.Queries[k]
		if f := bytes.TrimSpace(yq.Filters); len(f) > 0 && string(f) != "null" && string(f) != "{}" {
			yenteErr(w, r, invalid("query %s: filters: per-query filters are not supported; use the topics, include_dataset, exclude_dataset, exclude_schema and changed_since parameters", k))
			return
		}
		typ, err := ftmSchema(yq.Schema)
		if err != nil {
			yenteErr(w, r, invalid("query %s: %s", k, errMessage(err)))
			return
		}
		p := yq.Properties
		var names []string
		for _, prop := range yenteNameProps {
			names = append(names, p[prop]...)
		}
		if len(names) == 0 {
			if n := strings.TrimSpace(strings.Join(slices.Concat(p["firstName"], p["middleName"], p["lastName"]), " ")); n != "" {
				names = []string{n}
			}
		}
		if len(names) == 0 {
			yenteErr(w, r, invalid("query %s: properties.name: required", k))
			return
		}
		var countries, ids []string
		for _, prop := range yenteCountries {
			countries = append(countries, p[prop]...)
		}
		for _, prop := range yenteIDs {
			ids = append(ids, p[prop]...)
		}
		for prop, v := range p {
			if len(v) > 0 && !slices.Contains(yenteUsedProps, prop) {
				unused[k] = append(unused[k], prop)
			}
		}
		// Each date of birth is screened with each name; the best score
		// counts. One lexscreen can't read is dropped as evidence by the
		// screening, which says so in a warning.
		dobs := p["birthDate"]
		if len(dobs) == 0 {
			dobs = []string{""}
		}
		// The limit counts screenings: each name with each date of birth.
		if n := len(preps) + len(names)*len(dobs); n > s.cfg.MaxBatch {
			yenteErr(w, r, invalid("query %s: the queries up to it make %d screenings (each name with each birthDate): at most %d in one request (--max-batch)",
				k, n, s.cfg.MaxBatch))
			return
		}
		want := candidateLimit(limit, filters, len(yq.ExcludeEntityIDs) > 0)
		for _, n := range names {
			for _, dob := range dobs {
				prep, err := Prepare(ScreenRequest{ID: k, Name: n, Type: typ, DOB: dob, Country: countries, Identifiers: ids,
					Threshold: cutoff, Limit: want})
				if err != nil {
					yenteErr(w, r, invalid("query %s: %s", k, errMessage(err)))
					return
				}
				preps = append(preps, prep)
				owner = append(owner, k)
			}
		}
	}
	done, err := s.screen(r.Context(), r, "match", ix, preps, false)
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	out := yenteMatchResponse{Responses: map[string]yenteResponse{}, Limit: limit}
	byKey := map[string][]screened{}
	for i, d := range done {
		byKey[owner[i]] = append(byKey[owner[i]], d)
	}
	for _, k := range keys {
		yq := req.Queries[k]
		resp := yenteResponse{Status: 200, Results: []yenteEntity{}, Query: echoQuery(yq)}
		exclude := map[string]bool{}
		for _, id := range yq.ExcludeEntityIDs {
			exclude[strings.TrimSpace(id)] = true
		}
		ms, cut := merge(byKey[k], filters, exclude, limit)
		ms = s.dropReferents(r.Context(), ix, ms, filters.excludeIDs, exclude)
		results, warns := s.yenteResults(r.Context(), ix, ms[:min(limit, len(ms))], threshold, filters.facts)
		resp.Results = results
		// total counts the matches (at or above the threshold) before the
		// limit: more than len(results) tells a client it saw a part only.
		above := 0
		for _, m := range ms {
			if m.Score >= threshold {
				above++
			}
		}
		resp.Total = yenteTotal{Value: above, Relation: "eq"}
		resp.Warnings = append(resp.Warnings, warns...)
		for _, d := range byKey[k] {
			for _, wn := range d.result.Warnings {
				if !slices.Contains(resp.Warnings, wn) {
					resp.Warnings = append(resp.Warnings, wn)
				}
			}
		}
		if props := unused[k]; len(props) > 0 {
			sort.Strings(props)
			resp.Warnings = append(resp.Warnings, lexscreen.Warning{Field: "properties", Value: strings.Join(props, ", "),
				Message: "lexscreen does not match on these properties; the query was screened on the others"})
		}
		if cut {
			resp.Total.Relation = "gte"
			resp.Warnings = append(resp.Warnings, lexscreen.Warning{Field: "limit", Value: strconv.Itoa(limit),
				Message: "the filters left fewer results than asked for among the best candidates lexscreen examined; more may match"})
		}
		for _, wn := range resp.Warnings {
			s.log.Warn("yente match: query screened without some of it", "query", k, "field", wn.Field, "message", wn.Message, "key", keyOf(r).ID)
		}
		out.Responses[k] = resp
	}
	w.Header().Set("X-Batch-Size", strconv.Itoa(len(keys)))
	writeJSON(w, http.StatusOK, out)
}
