package server

import (
	"encoding/json"
	"html"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// reconcileProps are the properties the suggest, propose and extend services
// offer: the FtM properties of the entities lexscreen holds.
var reconcileProps = []reconcileType{
	{"name", "Name"}, {"alias", "Alias"}, {"birthDate", "Date of birth"}, {"nationality", "Nationality"},
	{"citizenship", "Citizenship"}, {"country", "Country"}, {"idNumber", "ID number"}, {"passportNumber", "Passport number"},
	{"registrationNumber", "Registration number"}, {"imoNumber", "IMO number"}, {"address", "Address"},
	{"program", "Sanctions program"}, {"topics", "Topics"}, {"datasets", "Datasets (lists)"}, {"position", "Position"},
	{"gender", "Gender"},
}

// reconcileExtendQuery is a data extension query (extend=...).
type reconcileExtendQuery struct {
	IDs        []string `json:"ids"`
	Properties []struct {
		ID       string         `json:"id"`
		Settings map[string]any `json:"settings,omitempty"`
	} `json:"properties"`
}

type reconcileExtendMeta struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// reconcileExtendResponse is a data extension answer: per entity id, per
// property, the values ({"str": ...}).
type reconcileExtendResponse struct {
	Meta []reconcileExtendMeta                     `json:"meta"`
	Rows map[string]map[string][]map[string]string `json:"rows"`
}

// reconcileExtend answers a data extension query from the entities as
// stored. An id not in the lists in use gets empty values; a property
// lexscreen does not offer is refused.
func (s *Server) reconcileExtend(w http.ResponseWriter, r *http.Request, ix *Index, q *reconcileExtendQuery) {
	if len(q.IDs) > s.cfg.MaxBatch {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "extend: at most %d ids in one request", s.cfg.MaxBatch))
		return
	}
	out := reconcileExtendResponse{Meta: []reconcileExtendMeta{}, Rows: map[string]map[string][]map[string]string{}}
	for _, p := range q.Properties {
		name := ""
		for _, rp := range reconcileProps {
			if rp.ID == p.ID {
				name = rp.Name
			}
		}
		if name == "" {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "extend: property %q: not offered (see /reconcile/extend/propose)", p.ID))
			return
		}
		out.Meta = append(out.Meta, reconcileExtendMeta{ID: p.ID, Name: name})
	}
	for _, id := range q.IDs {
		if err := r.Context().Err(); err != nil {
			writeErr(w, r, err)
			return
		}
		row := map[string][]map[string]string{}
		for _, p := range q.Properties {
			row[p.ID] = []map[string]string{}
		}
		if iids := internalIDs(ix, id); len(iids) > 0 {
			e, err := s.fullEntity(r.Context(), ix, iids[0])
			if err != nil {
				writeErr(w, r, err)
				return
			}
			x := exportEntity(e, ix)
			for _, p := range q.Properties {
				var vs []any
				if p.ID == "datasets" {
					for _, d := range x.Datasets {
						vs = append(vs, d)
					}
				} else {
					vs = x.Properties[p.ID]
				}
				for _, v := range vs {
					if str, ok := v.(string); ok {
						row[p.ID] = append(row[p.ID], map[string]string{"str": str})
					}
				}
			}
		}
		out.Rows[id] = row
	}
	writeJSON(w, http.StatusOK, out)
}

// reconcilePropose answers the propose-properties service.
type reconcileProposeResponse struct {
	Type       string          `json:"type"`
	Properties []reconcileType `json:"properties"`
	Limit      int             `json:"limit,omitempty"`
}

func (s *Server) handleReconcilePropose(w http.ResponseWriter, r *http.Request) {
	typ := r.URL.Query().Get("type")
	writeJSON(w, http.StatusOK, reconcileProposeResponse{Type: typ, Properties: reconcileProps})
}

// reconcileSuggestResponse is a suggest answer.
type reconcileSuggestResponse struct {
	Result []reconcileSuggestion `json:"result"`
}

type reconcileSuggestion struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Notable     []reconcileType `json:"notable,omitempty"`
}

// suggestPrefix reads the prefix of a suggest request.
func suggestPrefix(r *http.Request) (string, error) {
	p := strings.TrimSpace(r.URL.Query().Get("prefix"))
	if p == "" {
		return "", lexscreen.Errorf(lexscreen.EINVALID, "prefix: required")
	}
	return p, nil
}

// handleSuggestEntity suggests entities for a name being typed: a screening
// of the prefix (recorded in the audit trail as kind suggest).
func (s *Server) handleSuggestEntity(w http.ResponseWriter, r *http.Request) {
	prefix, err := suggestPrefix(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	prep, err := Prepare(ScreenRequest{Name: prefix, Threshold: searchThreshold, Limit: 10})
	if err != nil {
		writeErr(w, r, err)
		return
	}
	done, err := s.screen(r.Context(), r, "suggest", ix, []Prepared{prep}, false)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := reconcileSuggestResponse{Result: []reconcileSuggestion{}}
	for _, c := range reconcileCandidates(done[0].result) {
		out.Result = append(out.Result, reconcileSuggestion{ID: c.ID, Name: c.Name, Description: c.Description, Notable: c.Type})
	}
	writeJSON(w, http.StatusOK, out)
}

// suggestFrom suggests the items whose id or name starts with (or holds) the prefix.
func suggestFrom(w http.ResponseWriter, r *http.Request, items []reconcileType) {
	prefix, err := suggestPrefix(r)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	p := strings.ToLower(prefix)
	out := reconcileSuggestResponse{Result: []reconcileSuggestion{}}
	for _, it := range items {
		if strings.Contains(strings.ToLower(it.ID), p) || strings.Contains(strings.ToLower(it.Name), p) {
			out.Result = append(out.Result, reconcileSuggestion{ID: it.ID, Name: it.Name})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSuggestType(w http.ResponseWriter, r *http.Request) {
	suggestFrom(w, r, reconcileTypes)
}
func (s *Server) handleSuggestProperty(w http.ResponseWriter, r *http.Request) {
	suggestFrom(w, r, reconcileProps)
}

// entityHTML renders an entity as a small HTML page (preview, flyout, view).
func (s *Server) entityHTML(r *http.Request, id string, page bool) (string, int) {
	ix, err := s.current()
	if err != nil {
		return "<p>" + html.EscapeString(errMessage(err)) + "</p>", http.StatusServiceUnavailable
	}
	iids := internalIDs(ix, id)
	if len(iids) == 0 {
		return "<p>No entity " + html.EscapeString(id) + " in the lists in use.</p>", http.StatusNotFound
	}
	e, err := s.fullEntity(r.Context(), ix, iids[0])
	if err != nil {
		_, d := errorOf(err)
		return "<p>" + html.EscapeString(d.Message) + "</p>", http.StatusInternalServerError
	}
	x := exportEntity(e, ix)
	var b strings.Builder
	if page {
		b.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(x.Caption) + "</title></head><body>")
	}
	b.WriteString("<div style=\"font-family:sans-serif;font-size:13px\"><h3 style=\"margin:0\">" + html.EscapeString(x.Caption) + "</h3>")
	b.WriteString("<p style=\"margin:2px 0;color:#555\">" + html.EscapeString(x.Schema+" · "+strings.Join(x.Datasets, ", ")+" · "+x.ID) + "</p><dl style=\"margin:0\">")
	keys := make([]string, 0, len(x.Properties))
	for k := range x.Properties {
		if k != "sanctions" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		var vs []string
		for _, v := range x.Properties[k] {
			if s, ok := v.(string); ok {
				vs = append(vs, s)
			}
		}
		if len(vs) > 8 && !page {
			vs = append(vs[:8], "…")
		}
		b.WriteString("<dt><b>" + html.EscapeString(k) + "</b></dt><dd>" + html.EscapeString(strings.Join(vs, "; ")) + "</dd>")
	}
	for _, d := range e.Designations {
		b.WriteString("<dt><b>sanction</b></dt><dd>" + html.EscapeString(strings.TrimSpace(d.Authority+" "+d.Program+" "+d.ListedOn.String())) + "</dd>")
	}
	b.WriteString("</dl></div>")
	if page {
		b.WriteString("</body></html>")
	}
	return b.String(), http.StatusOK
}

func writeHTML(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// handleReconcilePreview answers the preview service: an HTML fragment.
func (s *Server) handleReconcilePreview(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "id: required"))
		return
	}
	body, status := s.entityHTML(r, id, false)
	writeHTML(w, status, body)
}

// handleReconcileView is the manifest's view page: a whole HTML page.
func (s *Server) handleReconcileView(w http.ResponseWriter, r *http.Request) {
	body, status := s.entityHTML(r, r.PathValue("id"), true)
	writeHTML(w, status, body)
}

// handleReconcileFlyout answers the suggest flyout: {"id", "html"}.
func (s *Server) handleReconcileFlyout(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	body, status := s.entityHTML(r, id, false)
	writeJSON(w, status, reconcileFlyout{ID: id, HTML: body})
}

// reconcileFlyout is the answer of the suggest flyout.
type reconcileFlyout struct {
	ID   string `json:"id"`
	HTML string `json:"html" doc:"an HTML fragment showing the entity"`
}

// 1.0-draft matching (POST /reconcile/match).

type reconcileCondition struct {
	MatchType     string `json:"matchType"`
	PropertyID    string `json:"propertyId,omitempty"`
	PropertyValue any    `json:"propertyValue"`
	Required      bool   `json:"required,omitempty"`
}

type reconcileMatchQuery struct {
	Type       any                  `json:"type,omitempty"`
	Limit      int                  `json:"limit,omitempty"`
	Conditions []reconcileCondition `json:"conditions"`
}

type reconcileMatchBody struct {
	Queries []reconcileMatchQuery `json:"queries"`
}

type reconcileFeature struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

type reconcileMatchCandidate struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Score       float64            `json:"score"`
	Match       bool               `json:"match"`
	Type        []reconcileType    `json:"type"`
	Features    []reconcileFeature `json:"features"`
}

type reconcileMatchResult struct {
	Candidates []reconcileMatchCandidate `json:"candidates"`
}

type reconcileMatchResponse struct {
	Results []reconcileMatchResult `json:"results"`
}

// handleReconcileMatch answers the 1.0-draft matching endpoint: queries as a
// list of conditions (name, property), results in the same order.
func (s *Server) handleReconcileMatch(w http.ResponseWriter, r *http.Request) {
	var body reconcileMatchBody
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeErr(w, r, jsonError(err))
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			writeErr(w, r, jsonErrorOrTooLarge(err))
			return
		}
		if err := json.Unmarshal([]byte(r.PostForm.Get("queries")), &body.Queries); err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: want a JSON list of queries"))
			return
		}
	}
	if len(body.Queries) == 0 || len(body.Queries) > s.cfg.MaxBatch {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "queries: want 1 to %d queries", s.cfg.MaxBatch))
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var preps []Prepared
	for i, q := range body.Queries {
		k := "q" + itoa(i)
		rq := reconcileQuery{Type: q.Type, Limit: q.Limit}
		for _, c := range q.Conditions {
			switch c.MatchType {
			case "name", "":
				rq.Properties = append(rq.Properties, reconcileProperty{PID: "name", V: c.PropertyValue})
			case "property":
				rq.Properties = append(rq.Properties, reconcileProperty{PID: c.PropertyID, V: c.PropertyValue})
			default:
				writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "query %d: matchType %q: want name or property (lexscreen matches on names, not ids)", i, c.MatchType))
				return
			}
		}
		prep, err := prepareReconcile(k, rq, "query "+strconv.Itoa(i))
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
	out := reconcileMatchResponse{Results: []reconcileMatchResult{}}
	for _, d := range done {
		res := reconcileMatchResult{Candidates: []reconcileMatchCandidate{}}
		for i, c := range reconcileCandidates(d.result) {
			m := d.result.Matches[i]
			feats := []reconcileFeature{{ID: "name_match", Name: "Name score", Value: m.Explanation.NameScore}}
			for _, ev := range m.Explanation.Evidence {
				feats = append(feats, reconcileFeature{ID: ev.Kind, Name: ev.Kind, Value: ev.Effect})
			}
			res.Candidates = append(res.Candidates, reconcileMatchCandidate{ID: c.ID, Name: c.Name, Description: c.Description,
				Score: c.Score, Match: c.Match, Type: c.Type, Features: feats})
		}
		out.Results = append(out.Results, res)
	}
	writeJSON(w, http.StatusOK, out)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
