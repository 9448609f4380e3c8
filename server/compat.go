package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// Compatibility with yente (OpenSanctions' matching API) and the OpenRefine
// reconciliation API. Their request bodies accept unknown fields, as the
// originals do; the /v1 API refuses them.

type yenteExplanation struct {
	Score     float64 `json:"score"`
	Detail    string  `json:"detail"`
	Query     string  `json:"query,omitempty"`
	Candidate string  `json:"candidate,omitempty"`
}

type yenteEntity struct {
	ID           string                      `json:"id" doc:"the FtM id of an entity imported from an FtM file, else the lexscreen id"`
	Caption      string                      `json:"caption"`
	Schema       string                      `json:"schema"`
	Properties   map[string][]any            `json:"properties" doc:"FtM properties (strings); sanctions holds nested Sanction entities"`
	Datasets     []string                    `json:"datasets"`
	Referents    []string                    `json:"referents"`
	Target       bool                        `json:"target"`
	FirstSeen    ftm.Timestamp               `json:"first_seen"`
	LastSeen     ftm.Timestamp               `json:"last_seen"`
	LastChange   ftm.Timestamp               `json:"last_change"`
	Score        float64                     `json:"score"`
	Match        bool                        `json:"match"`
	Features     map[string]float64          `json:"features"`
	Explanations map[string]yenteExplanation `json:"explanations"`
}

type yenteTotal struct {
	Value    int    `json:"value"`
	Relation string `json:"relation"`
}

type yenteMatchResponse struct {
	Responses map[string]yenteResponse `json:"responses"`
	Limit     int                      `json:"limit"`
}

type yenteSearchResponse struct {
	Results []yenteEntity         `json:"results"`
	Total   yenteTotal            `json:"total"`
	Limit   int                   `json:"limit"`
	Offset  int                   `json:"offset"`
	Facets  map[string]yenteFacet `json:"facets"`
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

// dataset checks a yente dataset name: default (all lists) or a source id.
func dataset(ix *Index, name string) (string, error) {
	switch name {
	case "default", "sanctions", "all", "":
		return "", nil
	}
	for _, s := range ix.Snapshots {
		if ftm.NamesSource(name, s.Source) {
			return s.Source, nil
		}
	}
	return "", lexscreen.Errorf(lexscreen.ENOTFOUND, "no dataset %q: use default or a dataset of /catalog (us_ofac_sdn ...)", name)
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

// OpenRefine reconciliation.

type reconcileType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
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

// reconcileForm is the form OpenRefine posts to /reconcile: queries or
// extend, each a JSON document in a field.
type reconcileForm struct {
	Queries string `json:"queries,omitempty" doc:"a JSON object of reconciliation queries by id"`
	Extend  string `json:"extend,omitempty" doc:"a JSON data extension query {ids, properties}"`
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
	var raw, rawExtend string
	var queries map[string]reconcileQuery
	var extend *reconcileExtendQuery
	switch {
	case r.Method == http.MethodGet:
		raw, rawExtend = r.URL.Query().Get("queries"), r.URL.Query().Get("extend")
		if raw == "" && rawExtend == "" {
			writeJSON(w, http.StatusOK, reconcileManifestFor(r))
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
		raw, rawExtend = r.PostForm.Get("queries"), r.PostForm.Get("extend")
		if raw == "" && rawExtend == "" {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries (or extend): required (form field or JSON body)"))
			return
		}
	}
	if rawExtend != "" {
		extend = &reconcileExtendQuery{}
		if err := json.Unmarshal([]byte(rawExtend), extend); err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "extend: %v", jsonError(err).(*lexscreen.Error).Message))
			return
		}
		ix, err := s.current()
		if err != nil {
			writeErr(w, r, err)
			return
		}
		s.reconcileExtend(w, r, ix, extend)
		return
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
	for _, k := range keys {
		if err := r.Context().Err(); err != nil {
			writeErr(w, r, err)
			return
		}
		req, err := reconcileRequest(k, queries[k])
		if err != nil {
			writeErr(w, r, err)
			return
		}
		prep, err := Prepare(req)
		if err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %s: %s", k, errMessage(err)))
			return
		}
		preps = append(preps, prep)
	}
	done, err := s.screen(r.Context(), r, "reconcile", ix, preps, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := map[string]reconcileResults{}
	for i, k := range keys {
		out[k] = reconcileResults{Result: reconcileCandidates(done[i].result)}
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
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
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
	IndexVersion *string  `json:"index_version" doc:"YYYYMMDDHHMMSS-xxx: when the index in use was built (yente's freshness); null for a dataset not indexed by itself"`
	IndexCurrent bool     `json:"index_current"`
	Children     []string `json:"children" doc:"the datasets a collection holds ([] for a source)"`
	// Tags, DeltaURL and Metadata are in yente's shape, which clients
	// such as Marble decode: lexscreen has no tags or delta files.
	Tags     []string       `json:"tags"`
	DeltaURL *string        `json:"delta_url" doc:"always null: lexscreen serves no delta files"`
	Metadata map[string]any `json:"metadata"`
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
	ix, err := s.current()
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	cur := ix.Snapshots
	version := indexVersion(ix)
	def := yenteDataset{Name: "default", Title: "All lists in use", Type: "collection", Load: true, IndexCurrent: true,
		IndexVersion: &version, Children: []string{}, Tags: []string{}, Metadata: map[string]any{}}
	var lists []yenteDataset
	var versions []string
	for _, sn := range cur {
		row := listRow(sn, true, time.Now())
		title := row.Title
		if title == "" {
			title = sn.Source
		}
		lists = append(lists, yenteDataset{Name: ftm.DatasetName(sn.Source), Title: title, Type: "source", Version: sn.Version,
			UpdatedAt: row.Published, EntityCount: sn.Entities, Load: true, IndexCurrent: true,
			Children: []string{}, Tags: []string{}, Metadata: map[string]any{}})
		def.Children = append(def.Children, ftm.DatasetName(sn.Source))
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
