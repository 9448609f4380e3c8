package server

import (
	"net/url"
	"strings"
	"testing"
)

// OpenRefine's shapes: the manifest declares the key and absolute URLs;
// queries with a type list, a property-only name and value lists; suggest,
// preview, extension and the 1.0-draft match answer.
func TestClientReconcile(t *testing.T) {
	e := newClientsEnv(t, Config{})
	var m reconcileManifest
	e.get("/reconcile", "screener").json(t, &m)
	if m.Authentication.Name != "api_key" || m.Authentication.In != "query" || !strings.HasPrefix(m.View.URL, "http://") || !strings.Contains(m.View.URL, "{{id}}") {
		t.Errorf("manifest: %+v", m)
	}
	q := `{"a": {"query": "Karim Khan", "type": ["Thing", "Person"]}, "b": {"properties": [{"pid": "name", "v": ["Karim Khan"]}, {"pid": "nationality", "v": {"id": "gb"}}]}}`
	var out map[string]reconcileResults
	r := e.get("/reconcile?queries="+url.QueryEscape(q), "screener")
	r.json(t, &out)
	if r.status != 200 || len(out["a"].Result) == 0 || len(out["b"].Result) == 0 {
		t.Fatalf("queries: %d %s", r.status, r.body)
	}
	id := out["a"].Result[0].ID
	if r := e.get("/reconcile/preview?id="+url.QueryEscape(id), "screener"); r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("preview: %d %s", r.status, r.body)
	}
	if r := e.get(strings.TrimPrefix(strings.ReplaceAll(m.View.URL, "{{id}}", url.PathEscape(id)), e.ts.URL), "screener"); r.status != 200 || !strings.Contains(string(r.body), "<html>") {
		t.Errorf("view: %d", r.status)
	}
	for _, p := range []string{"/reconcile/suggest/entity?prefix=Karim", "/reconcile/suggest/type?prefix=pers", "/reconcile/suggest/property?prefix=birth"} {
		var sr reconcileSuggestResponse
		if r := e.get(p, "screener"); r.status != 200 {
			t.Errorf("%s: %d", p, r.status)
		} else if r.json(t, &sr); len(sr.Result) == 0 {
			t.Errorf("%s: nothing suggested", p)
		}
	}
	var ext reconcileExtendResponse
	r = e.get("/reconcile?extend="+url.QueryEscape(`{"ids": ["`+id+`", "NK-nope"], "properties": [{"id": "birthDate"}, {"id": "datasets"}]}`), "screener")
	r.json(t, &ext)
	if r.status != 200 || len(ext.Meta) != 2 || len(ext.Rows[id]["datasets"]) == 0 || len(ext.Rows["NK-nope"]["birthDate"]) != 0 {
		t.Errorf("extend: %d %s", r.status, r.body)
	}
	var mr reconcileMatchResponse
	r = e.post("/reconcile/match", "screener", `{"queries": [{"type": "Person", "conditions": [{"matchType": "name", "propertyValue": "Karim Khan"}, {"matchType": "property", "propertyId": "birthDate", "propertyValue": "1970"}]}]}`)
	r.json(t, &mr)
	if r.status != 200 || len(mr.Results) != 1 || len(mr.Results[0].Candidates) == 0 || len(mr.Results[0].Candidates[0].Features) == 0 {
		t.Errorf("1.0 match: %d %s", r.status, r.body)
	}
}
