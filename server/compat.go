package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
)

// Compatibility with yente (OpenSanctions' matching API) and the OpenRefine
// reconciliation API. Their request bodies accept unknown fields, as the
// originals do; the /v1 API refuses them.

// stringList is a FollowTheMoney property value list; a single string is accepted too.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings")
	}
	*l = many
	return nil
}

type yenteQuery struct {
	ID         string                `json:"id,omitempty"`
	Schema     string                `json:"schema" doc:"Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing"`
	Properties map[string]stringList `json:"properties" doc:"name, birthDate, nationality, country, citizenship, idNumber, passportNumber, registrationNumber, imoNumber ..."`
}

type yenteMatchRequest struct {
	Queries map[string]yenteQuery `json:"queries"`
	Weights map[string]float64    `json:"weights,omitempty" doc:"accepted and ignored"`
	Config  map[string]any        `json:"config,omitempty" doc:"accepted and ignored"`
}

type yenteExplanation struct {
	Score     float64 `json:"score"`
	Detail    string  `json:"detail"`
	Query     string  `json:"query,omitempty"`
	Candidate string  `json:"candidate,omitempty"`
}

type yenteEntity struct {
	ID           string                      `json:"id"`
	Caption      string                      `json:"caption"`
	Schema       string                      `json:"schema"`
	Properties   map[string][]string         `json:"properties"`
	Datasets     []string                    `json:"datasets"`
	Referents    []string                    `json:"referents"`
	Target       bool                        `json:"target"`
	Score        float64                     `json:"score"`
	Match        bool                        `json:"match"`
	Features     map[string]float64          `json:"features"`
	Explanations map[string]yenteExplanation `json:"explanations"`
}

type yenteTotal struct {
	Value    int    `json:"value"`
	Relation string `json:"relation"`
}

type yenteResponse struct {
	Status  int           `json:"status"`
	Results []yenteEntity `json:"results"`
	Total   yenteTotal    `json:"total"`
	Query   yenteQuery    `json:"query"`
}

type yenteMatchResponse struct {
	Responses map[string]yenteResponse `json:"responses"`
	Limit     int                      `json:"limit"`
}

type yenteSearchResponse struct {
	Results []yenteEntity `json:"results"`
	Total   yenteTotal    `json:"total"`
	Limit   int           `json:"limit"`
	Offset  int           `json:"offset"`
	Facets  struct{}      `json:"facets"`
}

// ftmSchema maps FollowTheMoney schemata to lexscreen's types ("" for any).
func ftmSchema(s string) (string, error) {
	switch strings.ToLower(s) {
	case "", "thing", "legalentity":
		return "", nil
	case "person":
		return "person", nil
	case "organization", "company", "publicbody":
		return "organization", nil
	case "vessel":
		return "vessel", nil
	case "airplane":
		return "aircraft", nil
	}
	return "", lexscreen.Errorf(lexscreen.EINVALID, "schema %q cannot be matched: want Person, Organization, Company, LegalEntity, Vessel, Airplane or Thing", s)
}

func toFtm(s lexscreen.Schema) string {
	switch s {
	case lexscreen.SchemaPerson:
		return "Person"
	case lexscreen.SchemaOrganization:
		return "Organization"
	case lexscreen.SchemaVessel:
		return "Vessel"
	case lexscreen.SchemaAircraft:
		return "Airplane"
	}
	return "LegalEntity"
}

func yenteResult(m lexscreen.Match, threshold float64) yenteEntity {
	var programs []string
	for _, d := range m.Designations {
		if d.Program != "" && !slices.Contains(programs, d.Program) {
			programs = append(programs, d.Program)
		}
	}
	props := map[string][]string{"name": nonNil(m.Entity.Names), "topics": {"sanction"}}
	if len(programs) > 0 {
		props["program"] = programs
	}
	e := yenteEntity{ID: m.Entity.ID, Caption: m.Entity.Name, Schema: toFtm(m.Entity.Schema), Properties: props,
		Datasets: []string{m.Entity.Source}, Referents: []string{}, Target: true, Score: m.Score, Match: m.Score >= threshold,
		Features: map[string]float64{"name_match": m.Explanation.NameScore},
		Explanations: map[string]yenteExplanation{"name_match": {Score: m.Explanation.NameScore, Detail: m.Explanation.Summary,
			Candidate: m.Explanation.MatchedName}}}
	for _, ev := range m.Explanation.Evidence {
		e.Features[ev.Kind] = ev.Effect
		e.Explanations[ev.Kind] = yenteExplanation{Score: ev.Effect, Detail: ev.Detail}
	}
	return e
}

// dataset checks a yente dataset name: default (all lists) or a source id.
func dataset(ix *Index, name string) (string, error) {
	switch name {
	case "default", "sanctions", "all", "":
		return "", nil
	}
	for _, s := range ix.Snapshots {
		if s.Source == name {
			return name, nil
		}
	}
	return "", lexscreen.Errorf(lexscreen.ENOTFOUND, "no dataset %q: use default or a list source id", name)
}

// merge keeps the best match per entity over several screenings, best first.
func merge(done []screened, source string, limit int) []lexscreen.Match {
	best := map[string]lexscreen.Match{}
	for _, d := range done {
		for _, m := range d.result.Matches {
			if source != "" && m.Entity.Source != source {
				continue
			}
			if b, ok := best[m.Entity.ID]; !ok || m.Score > b.Score {
				best[m.Entity.ID] = m
			}
		}
	}
	out := make([]lexscreen.Match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Score > out[j].Score || out[i].Score == out[j].Score && out[i].Entity.ID < out[j].Entity.ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func (s *Server) handleYenteMatch(w http.ResponseWriter, r *http.Request) {
	var req yenteMatchRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeErr(w, r, jsonError(err))
		return
	}
	limit, err := queryInt(r, "limit", 5)
	if err != nil || limit < 1 || limit > 500 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "limit: want 1 to 500"))
		return
	}
	threshold := match.DefaultThreshold
	if v := r.URL.Query().Get("threshold"); v != "" {
		if threshold, err = strconv.ParseFloat(v, 64); err != nil || threshold <= 0 || threshold > 1 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "threshold=%q: want a number above 0 and at most 1", v))
			return
		}
	}
	if len(req.Queries) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: want at least one query"))
		return
	}
	if len(req.Queries) > s.cfg.MaxBatch {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: at most %d in one request", s.cfg.MaxBatch))
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	src, err := dataset(ix, r.PathValue("dataset"))
	if err != nil {
		writeErr(w, r, err)
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
	for _, k := range keys {
		q := req.Queries[k]
		typ, err := ftmSchema(q.Schema)
		if err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: %s", k, err.(*lexscreen.Error).Message))
			return
		}
		p := q.Properties
		names := append(append([]string{}, p["name"]...), p["alias"]...)
		if len(names) == 0 {
			if n := strings.TrimSpace(strings.Join(append(append(append([]string{}, p["firstName"]...), p["middleName"]...), p["lastName"]...), " ")); n != "" {
				names = []string{n}
			}
		}
		if len(names) == 0 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: properties.name: required", k))
			return
		}
		var countries, ids []string
		for _, prop := range []string{"nationality", "country", "citizenship", "jurisdiction"} {
			countries = append(countries, p[prop]...)
		}
		for _, prop := range []string{"idNumber", "passportNumber", "registrationNumber", "imoNumber", "taxNumber", "innCode", "ogrnCode", "leiCode", "swiftBic"} {
			ids = append(ids, p[prop]...)
		}
		dob := ""
		if len(p["birthDate"]) > 0 {
			dob = p["birthDate"][0]
		}
		for _, n := range names {
			prep, err := Prepare(ScreenRequest{ID: k, Name: n, Type: typ, DOB: dob, Country: countries, Identifiers: ids,
				Threshold: threshold, Limit: limit * 5})
			if err != nil {
				writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: %s", k, errMessage(err)))
				return
			}
			preps = append(preps, prep)
			owner = append(owner, k)
		}
	}
	done, err := s.screen(r.Context(), r, "match", ix, preps, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := yenteMatchResponse{Responses: map[string]yenteResponse{}, Limit: limit}
	byKey := map[string][]screened{}
	for i, d := range done {
		byKey[owner[i]] = append(byKey[owner[i]], d)
	}
	for _, k := range keys {
		resp := yenteResponse{Status: 200, Results: []yenteEntity{}, Query: req.Queries[k]}
		for _, m := range merge(byKey[k], src, limit) {
			resp.Results = append(resp.Results, yenteResult(m, threshold))
		}
		resp.Total = yenteTotal{Value: len(resp.Results), Relation: "eq"}
		out.Responses[k] = resp
	}
	w.Header().Set("X-Batch-Size", strconv.Itoa(len(keys)))
	writeJSON(w, http.StatusOK, out)
}

func errMessage(err error) string {
	if le, ok := err.(*lexscreen.Error); ok {
		return le.Message
	}
	return err.Error()
}

// searchThreshold is the lowest score GET /search reports: a search shows
// candidates, not only matches.
const searchThreshold = 0.5

func (s *Server) handleYenteSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 10)
	if err != nil || limit < 1 || limit > 500 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "limit: want 1 to 500"))
		return
	}
	typ, err := ftmSchema(q.Get("schema"))
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if strings.TrimSpace(q.Get("q")) == "" {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "q: required"))
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	src, err := dataset(ix, r.PathValue("dataset"))
	if err != nil {
		writeErr(w, r, err)
		return
	}
	prep, err := Prepare(ScreenRequest{Name: q.Get("q"), Type: typ, Country: q["countries"], Threshold: searchThreshold, Limit: min(500, limit*5)})
	if err != nil {
		writeErr(w, r, err)
		return
	}
	done, err := s.screen(r.Context(), r, "search", ix, []Prepared{prep}, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := yenteSearchResponse{Results: []yenteEntity{}, Limit: limit}
	for _, m := range merge(done, src, limit) {
		out.Results = append(out.Results, yenteResult(m, match.DefaultThreshold))
	}
	out.Total = yenteTotal{Value: len(out.Results), Relation: "eq"}
	writeJSON(w, http.StatusOK, out)
}

// OpenRefine reconciliation.

type reconcileType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type reconcileManifest struct {
	Versions        []string        `json:"versions"`
	Name            string          `json:"name"`
	IdentifierSpace string          `json:"identifierSpace"`
	SchemaSpace     string          `json:"schemaSpace"`
	DefaultTypes    []reconcileType `json:"defaultTypes"`
	View            struct {
		URL string `json:"url"`
	} `json:"view"`
}

type reconcileProperty struct {
	PID string `json:"pid" doc:"dob (or birthDate), country (or nationality), identifier"`
	V   any    `json:"v"`
}

type reconcileQuery struct {
	Query      string              `json:"query"`
	Type       any                 `json:"type,omitempty" doc:"person, organization, vessel, aircraft (or FtM Person ...)"`
	Limit      int                 `json:"limit,omitempty"`
	Properties []reconcileProperty `json:"properties,omitempty"`
	TypeStrict string              `json:"type_strict,omitempty"`
}

type reconcileBody struct {
	Queries map[string]reconcileQuery `json:"queries"`
}

type reconcileCandidate struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Type        []reconcileType `json:"type"`
	Score       float64         `json:"score" doc:"0..100"`
	Match       bool            `json:"match"`
	Description string          `json:"description,omitempty"`
}

type reconcileResults struct {
	Result []reconcileCandidate `json:"result"`
}

var reconcileTypes = []reconcileType{{"person", "Person"}, {"organization", "Organization"}, {"vessel", "Vessel"}, {"aircraft", "Aircraft"}}

func (s *Server) handleReconcile(w http.ResponseWriter, r *http.Request) {
	var raw string
	var queries map[string]reconcileQuery
	switch {
	case r.Method == http.MethodGet:
		raw = r.URL.Query().Get("queries")
		if raw == "" {
			m := reconcileManifest{Versions: []string{"0.1", "0.2"}, Name: "lexscreen sanctions screening",
				IdentifierSpace: "https://lexscreen.invalid/entity/", SchemaSpace: "https://lexscreen.invalid/schema/",
				DefaultTypes: reconcileTypes}
			m.View.URL = "/v1/entities/{{id}}"
			writeJSON(w, http.StatusOK, m)
			return
		}
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		var body reconcileBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeErr(w, r, jsonError(err))
			return
		}
		queries = body.Queries
	default:
		if err := r.ParseForm(); err != nil {
			writeErr(w, r, jsonErrorOrTooLarge(err))
			return
		}
		raw = r.PostForm.Get("queries")
		if raw == "" {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: required (form field or JSON body)"))
			return
		}
	}
	if queries == nil && raw != "" {
		if err := json.Unmarshal([]byte(raw), &queries); err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: %v", jsonError(err).(*lexscreen.Error).Message))
			return
		}
	}
	if len(queries) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: want at least one query"))
		return
	}
	if len(queries) > s.cfg.MaxBatch {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: at most %d in one request", s.cfg.MaxBatch))
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	keys := make([]string, 0, len(queries))
	for k := range queries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var preps []Prepared
	limits := map[string]int{}
	for _, k := range keys {
		q := queries[k]
		typ := ""
		switch t := q.Type.(type) {
		case string:
			if typ, err = ftmSchema(t); err != nil {
				if typ = strings.ToLower(t); lexscreen.ParseSchema(typ) == lexscreen.SchemaUnknown {
					writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: type %q: want person, organization, vessel or aircraft", k, t))
					return
				}
			}
		case nil:
		default:
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: type: want a string", k))
			return
		}
		req := ScreenRequest{ID: k, Name: q.Query, Type: typ, Limit: 3}
		if q.Limit > 0 {
			req.Limit = min(q.Limit, 100)
		}
		for _, p := range q.Properties {
			v := fmt.Sprint(p.V)
			if m, ok := p.V.(map[string]any); ok {
				v = fmt.Sprint(m["id"])
			}
			switch strings.ToLower(p.PID) {
			case "dob", "birthdate", "date_of_birth":
				req.DOB = v
			case "country", "nationality", "citizenship":
				req.Country = append(req.Country, v)
			case "identifier", "idnumber", "passportnumber", "registrationnumber", "imonumber":
				req.Identifiers = append(req.Identifiers, v)
			default:
				writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: property %q: want dob, country or identifier", k, p.PID))
				return
			}
		}
		prep, err := Prepare(req)
		if err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: %s", k, errMessage(err)))
			return
		}
		preps = append(preps, prep)
		limits[k] = req.Limit
	}
	done, err := s.screen(r.Context(), r, "reconcile", ix, preps, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := map[string]reconcileResults{}
	for i, k := range keys {
		res := reconcileResults{Result: []reconcileCandidate{}}
		for _, m := range done[i].result.Matches {
			var progs []string
			for _, d := range m.Designations {
				if d.Program != "" && !slices.Contains(progs, d.Program) {
					progs = append(progs, d.Program)
				}
			}
			res.Result = append(res.Result, reconcileCandidate{ID: m.Entity.ID, Name: m.Entity.Name,
				Type:  []reconcileType{{string(m.Entity.Schema), toTitle(string(m.Entity.Schema))}},
				Score: float64(int(m.Score*1000+0.5)) / 10, Match: m.Score >= done[i].result.Engine.Threshold,
				Description: m.Entity.Source + " " + strings.Join(progs, ", ")})
		}
		out[k] = res
	}
	writeJSON(w, http.StatusOK, out)
}

func toTitle(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func jsonErrorOrTooLarge(err error) error {
	if strings.Contains(err.Error(), "too large") {
		return &http.MaxBytesError{}
	}
	return lexscreen.Errorf(lexscreen.EINVALID, "request body: %v", err)
}

// yenteDataset is a dataset of yente's GET /catalog: "default" (all lists)
// and one per list source.
type yenteDataset struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Type         string   `json:"type" doc:"collection (default) or source (one list)"`
	Version      string   `json:"version"`
	UpdatedAt    string   `json:"updated_at,omitempty" doc:"the publisher's date (YYYY-MM-DD)"`
	EntityCount  int      `json:"entity_count"`
	Load         bool     `json:"load"`
	IndexCurrent bool     `json:"index_current"`
	Children     []string `json:"children,omitempty"`
}

// yenteCatalog is the answer of GET /catalog, in yente's shape.
type yenteCatalog struct {
	Datasets   []yenteDataset `json:"datasets"`
	Current    []string       `json:"current"`
	Outdated   []string       `json:"outdated"`
	IndexStale bool           `json:"index_stale"`
}

// handleYenteCatalog answers yente's GET /catalog: the datasets a client
// may name in /match/{dataset} and /search/{dataset}, from the lists in use.
func (s *Server) handleYenteCatalog(w http.ResponseWriter, r *http.Request) {
	cur, err := s.cfg.Store.Current(r.Context())
	if err != nil {
		writeErr(w, r, err)
		return
	}
	def := yenteDataset{Name: "default", Title: "All lists in use", Type: "collection", Load: true, IndexCurrent: true}
	var lists []yenteDataset
	var versions []string
	for _, sn := range cur {
		row := listRow(sn, true, time.Now())
		lists = append(lists, yenteDataset{Name: sn.Source, Title: row.Title, Type: "source", Version: sn.Version,
			UpdatedAt: row.Published, EntityCount: sn.Entities, Load: true, IndexCurrent: true})
		def.Children = append(def.Children, sn.Source)
		def.EntityCount += sn.Entities
		versions = append(versions, sn.Source+"@"+sn.Version)
		if row.Published > def.UpdatedAt {
			def.UpdatedAt = row.Published
		}
	}
	sort.Slice(lists, func(i, j int) bool { return lists[i].Name < lists[j].Name })
	sort.Strings(def.Children)
	sort.Strings(versions)
	def.Version = strings.Join(versions, ",")
	out := yenteCatalog{Datasets: append([]yenteDataset{def}, lists...), Current: []string{"default"}, Outdated: []string{}}
	out.Current = append(out.Current, def.Children...)
	writeJSON(w, http.StatusOK, out)
}
