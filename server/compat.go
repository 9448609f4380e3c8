package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
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
		if err := r.Context().Err(); err != nil {
			writeErr(w, r, err)
			return
		}
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
