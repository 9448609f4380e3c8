package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// fuzzServe sends one request to the handler in-process and fails on a
// 5xx answer or one that is not JSON. A panic is a 500 (wrap recovers it).
func fuzzServe(t *testing.T, e *env, method, target, rawQuery string, body []byte) {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.URL.RawQuery = rawQuery
	req.Header.Set("Authorization", "Bearer "+e.keys["screener"])
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s?%s %q: %d %s", method, target, rawQuery, body, rec.Code, rec.Body.Bytes())
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s %s?%s %q: %d, not JSON: %q", method, target, rawQuery, body, rec.Code, rec.Body.Bytes())
	}
}

// FuzzScreenRequest: no body of POST /v1/screen makes the server panic or
// answer 5xx.
func FuzzScreenRequest(f *testing.F) {
	e := newEnvSync(f, secConfig(f, secLimits{MaxBatch: 50}), "normal")
	for _, s := range []string{
		`{"name": "Karim Khan"}`,
		screenExample,
		`{"name": "x", "operator": "secret.yaml "}`,
		`{"name": "x", "operator": "border:hu", "date": "2025-01-01"}`,
		`{"name": "x", "operator_profile": {"name": "a", "role": "bank", "incorporation": "FR", "parent": {"country": "US"}}}`,
		`{"name": "x", "operator_profile": {"role": "border", "state": "ZZ"}}`,
		`{"name": "x", "operator": "eu-bank", "regimes": "blocking_statutes: [[["}`,
		`{"name": "x", "threshold": 1e-320, "limit": 500}`,
		`{"name": "x", "threshold": 1e999}`,
		`{"name": "\u0000\ud800", "dob": "31/02/1970", "country": ["zz", ""], "identifiers": [""]}`,
		`{"name": "x", "type": "vessel", "dob": "1970-1960"}`,
		`[]`, `null`, `{"name": null}`, `{"name": "x"} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzServe(t, e, "POST", "/v1/screen", "", body)
	})
}

// FuzzYenteMatch: no body or query string of POST /match/default makes the
// server panic or answer 5xx.
func FuzzYenteMatch(f *testing.F) {
	e := newEnvSync(f, secConfig(f, secLimits{MaxBatch: 50}), "normal")
	q := `{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Karim Khan"], "birthDate": ["1970"], "nationality": ["gb"]}}}}`
	for _, s := range []struct{ body, query string }{
		{q, ""},
		{q, "threshold=NaN"},
		{q, "cutoff=-Inf&threshold=0.7"},
		{q, "limit=0"},
		{q, "limit=500&topics=sanction&changed_since=2025-01-01T10"},
		{q, "include_dataset=nosuch&exclude_schema=Company"},
		{`{"queries": {"q": {"schema": "Thing", "properties": {"name": 5, "birthDate": [1970, null, "x"]}}}}`, ""},
		{`{"queries": {"q": {"schema": "Person", "properties": {"firstName": ["a"], "lastName": ["b"], "birthDate": ["1","2","3","4","5","6","7","8"]}}}}`, ""},
		{`{"queries": {"q": {"schema": "Person", "properties": {"name": ["a"]}, "filters": {"x": 1}}}, "params": {"exclude_entity_ids": ["a", 1]}}`, ""},
		{`{"queries": {}, "weights": {"a": 1}}`, ""},
		{`{"queries": {"q": {"properties": {"name": [{"a": 1}]}}}}`, ""},
		{`{"queries": null}`, "%zz"},
	} {
		f.Add([]byte(s.body), s.query)
	}
	f.Fuzz(func(t *testing.T, body []byte, query string) {
		fuzzServe(t, e, "POST", "/match/default", query, body)
	})
}
