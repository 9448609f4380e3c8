package server

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Compatibility with the OpenRefine reconciliation API: POST or GET
// /reconcile with queries (or extend, see reconcile_services.go). Its
// request bodies accept unknown fields, as OpenRefine's services do; the
// /v1 API refuses them.

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
	queries, extend, err := readReconcile(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if queries == nil && extend == nil {
		writeJSON(w, http.StatusOK, reconcileManifestFor(r))
		return
	}
	if extend == nil {
		if len(queries) == 0 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: want at least one query"))
			return
		}
		if len(queries) > s.cfg.MaxBatch {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: at most %d in one request", s.cfg.MaxBatch))
			return
		}
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if extend != nil {
		s.reconcileExtend(w, r, ix, extend)
		return
	}
	keys := slices.Sorted(maps.Keys(queries))
	var preps []Prepared
	for _, k := range keys {
		if err := r.Context().Err(); err != nil {
			writeErr(w, r, err)
			return
		}
		prep, err := prepareReconcile(k, queries[k], "query "+k)
		if err != nil {
			writeErr(w, r, err)
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

// readReconcile reads the queries or the extend query of a /reconcile
// request: from the URL (GET), a JSON body or a form. Both nil is a GET
// without either: the client asks for the service manifest. queries is
// non-nil (perhaps empty) when the request has queries and no extend.
func readReconcile(r *http.Request) (queries map[string]reconcileQuery, extend *reconcileExtendQuery, err error) {
	var raw, rawExtend string
	switch {
	case r.Method == http.MethodGet:
		raw, rawExtend = r.URL.Query().Get("queries"), r.URL.Query().Get("extend")
		if raw == "" && rawExtend == "" {
			return nil, nil, nil
		}
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		var body reconcileBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return nil, nil, jsonError(err)
		}
		return orEmpty(body.Queries), nil, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, jsonErrorOrTooLarge(err)
		}
		raw, rawExtend = r.PostForm.Get("queries"), r.PostForm.Get("extend")
		if raw == "" && rawExtend == "" {
			return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "queries (or extend): required (form field or JSON body)")
		}
	}
	if rawExtend != "" {
		extend = &reconcileExtendQuery{}
		if err := json.Unmarshal([]byte(rawExtend), extend); err != nil {
			return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "extend: %v", jsonError(err).(*lexscreen.Error).Message)
		}
		return nil, extend, nil
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &queries); err != nil {
			return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "queries: %v", jsonError(err).(*lexscreen.Error).Message)
		}
	}
	return orEmpty(queries), nil, nil
}

// orEmpty returns m, or an empty map for nil.
func orEmpty(m map[string]reconcileQuery) map[string]reconcileQuery {
	if m == nil {
		return map[string]reconcileQuery{}
	}
	return m
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
