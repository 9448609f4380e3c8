package server

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/lexscreen/lexscreen"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// newYenteEnv is a server with three lists: OFAC (2025-02-27, then
// 2025-12-24), the ICC warrants and Russia's cases against ICC officials.
func newYenteEnv(t *testing.T) *env {
	t.Helper()
	e := newEnvSync(t, Config{RateLimit: -1, MaxListAge: -1}, "normal")
	importDir(t, e.db, "../bundled/icc")
	importDir(t, e.db, testdata+"2025-12-24")
	if _, err := e.srv.Reload(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	return e
}

// yenteMatch posts one query and returns the ids of its results.
func (e *env) yenteMatch(t *testing.T, params, query string) ([]string, yenteResponse, resp) {
	t.Helper()
	r := e.post("/match/default?"+params, "screener", `{"queries": {"q": `+query+`}}`)
	var ym yenteMatchResponse
	if r.status == 200 {
		r.json(t, &ym)
	}
	var ids []string
	for _, x := range ym.Responses["q"].Results {
		ids = append(ids, x.ID)
	}
	return ids, ym.Responses["q"], r
}

func person(name string) string {
	return fmt.Sprintf(`{"schema": "Person", "properties": {"name": [%q]}}`, name)
}

const (
	khanOFAC    = "us-ofac-sdn:52965"
	khanRU      = "ru-icc-cases:khan-karim"
	putinICC    = "icc-warrants:putin-vladimir-vladimirovich"
	cimex       = "us-ofac-sdn:535"
	cimexIberia = "us-ofac-sdn:536"
)

// expect checks that a filtered answer holds the wanted ids and lacks the others.
func expect(t *testing.T, what string, got []string, r resp, has, lacks []string) {
	t.Helper()
	if r.status != 200 {
		t.Errorf("%s: %d %s", what, r.status, r.body)
		return
	}
	for _, id := range has {
		if !slices.Contains(got, id) {
			t.Errorf("%s: %s missing from %v", what, id, got)
		}
	}
	for _, id := range lacks {
		if slices.Contains(got, id) {
			t.Errorf("%s: %s should be filtered out of %v", what, id, got)
		}
	}
}

func TestYenteExcludeEntityIDs(t *testing.T) {
	e := newYenteEnv(t)
	q := person("Karim Khan")
	ids, _, r := e.yenteMatch(t, "", q)
	expect(t, "no filter", ids, r, []string{khanOFAC, khanRU}, nil)
	ids, _, r = e.yenteMatch(t, "exclude_entity_ids="+khanRU, q)
	expect(t, "query parameter", ids, r, []string{khanOFAC}, []string{khanRU})
	ids, _, r = e.yenteMatch(t, "exclude_entity_ids="+khanRU+"&exclude_entity_ids="+khanOFAC, q)
	expect(t, "repeated parameter", ids, r, nil, []string{khanRU, khanOFAC})
	ids, _, r = e.yenteMatch(t, "", `{"schema": "Person", "properties": {"name": ["Karim Khan"]}, "exclude_entity_ids": ["`+khanOFAC+`"]}`)
	expect(t, "per query", ids, r, []string{khanRU}, []string{khanOFAC})
	// In the body's params, as motiva takes them (and Marble sends them).
	r = e.post("/match/default", "screener", `{"queries": {"q": `+q+`}, "params": {"exclude_entity_ids": ["`+khanRU+`"], "include_datasets": ["us-ofac-sdn", "ru-icc-cases"]}}`)
	if r.status != 200 || strings.Contains(string(r.body), khanRU) || !strings.Contains(string(r.body), khanOFAC) {
		t.Errorf("body params: %d %.500s", r.status, r.body)
	}
	// Exclusions are applied before the limit: the next best takes the place.
	ids, _, r = e.yenteMatch(t, "limit=1", `{"schema": "Organization", "properties": {"name": ["CIMEX"]}}`)
	expect(t, "limit 1", ids, r, []string{cimex}, nil)
	ids, _, r = e.yenteMatch(t, "limit=1&exclude_entity_ids="+cimex, `{"schema": "Organization", "properties": {"name": ["CIMEX"]}}`)
	if r.status != 200 || len(ids) != 1 || ids[0] == cimex {
		t.Errorf("limit 1 after excluding the best: %v (the next best should take its place)", ids)
	}
}

func TestYenteDatasetFilters(t *testing.T) {
	e := newYenteEnv(t)
	q := person("Karim Khan")
	ids, _, r := e.yenteMatch(t, "include_dataset=us-ofac-sdn", q)
	expect(t, "include_dataset", ids, r, []string{khanOFAC}, []string{khanRU})
	ids, _, r = e.yenteMatch(t, "exclude_dataset=us-ofac-sdn", q)
	expect(t, "exclude_dataset", ids, r, []string{khanRU}, []string{khanOFAC})
	ids, _, r = e.yenteMatch(t, "include_dataset=default&exclude_dataset=ru-icc-cases", q)
	expect(t, "include default, exclude one", ids, r, []string{khanOFAC}, []string{khanRU})
	r = e.post("/match/ru-icc-cases?include_dataset=us-ofac-sdn", "screener", `{"queries": {"q": `+q+`}}`)
	if r.status != 400 || !strings.Contains(string(r.body), "leave no list") {
		t.Errorf("a dataset and an include_dataset that share no list: %d %s", r.status, r.body)
	}
	// search takes them too, and datasets.
	for _, p := range []string{"include_dataset=ru-icc-cases", "datasets=ru-icc-cases", "exclude_dataset=us-ofac-sdn"} {
		r := e.get("/search/default?q=Karim+Khan&"+p, "screener")
		if r.status != 200 || !strings.Contains(string(r.body), khanRU) || strings.Contains(string(r.body), khanOFAC) {
			t.Errorf("search %s: %d %.400s", p, r.status, r.body)
		}
	}
}

func TestYenteSchemaFilter(t *testing.T) {
	e := newYenteEnv(t)
	q := `{"schema": "Thing", "properties": {"name": ["CIMEX"]}}`
	ids, _, r := e.yenteMatch(t, "", q)
	expect(t, "no filter", ids, r, []string{cimex}, nil)
	ids, _, r = e.yenteMatch(t, "exclude_schema=Person", q)
	expect(t, "exclude Person", ids, r, []string{cimex}, nil)
	ids, _, r = e.yenteMatch(t, "exclude_schema=Organization", q)
	expect(t, "exclude Organization", ids, r, nil, []string{cimex, cimexIberia})
	r = e.get("/search/default?q=CIMEX&exclude_schema=Organization", "screener")
	if r.status != 200 || strings.Contains(string(r.body), cimex) {
		t.Errorf("search exclude_schema: %d %.300s", r.status, r.body)
	}
}

func TestYenteTopics(t *testing.T) {
	e := newYenteEnv(t)
	q := person("Karim Khan")
	ids, res, r := e.yenteMatch(t, "topics=sanction", q)
	expect(t, "sanction", ids, r, []string{khanOFAC}, []string{khanRU})
	if len(res.Results) > 0 && !slices.Equal(res.Results[0].Properties["topics"], []any{"sanction"}) {
		t.Errorf("topics of %s: %v", res.Results[0].ID, res.Results[0].Properties["topics"])
	}
	ids, _, r = e.yenteMatch(t, "topics=sanction.counter", q)
	expect(t, "sanction.counter (a hostile listing)", ids, r, []string{khanRU}, []string{khanOFAC})
	ids, _, r = e.yenteMatch(t, "topics=sanction&topics=sanction.counter", q)
	expect(t, "either topic", ids, r, []string{khanOFAC, khanRU}, nil)
	ids, _, r = e.yenteMatch(t, "topics=wanted", person("Vladimir Putin"))
	expect(t, "wanted (ICC warrant)", ids, r, []string{putinICC}, nil)
	ids, _, r = e.yenteMatch(t, "topics=sanction", person("Vladimir Putin"))
	expect(t, "an ICC warrant is no sanction", ids, r, nil, []string{putinICC})
	r = e.get("/search/default?q=Karim+Khan&topics=sanction&topics=wanted&filter_op=AND", "screener")
	if r.status != 200 || strings.Contains(string(r.body), khanOFAC) {
		t.Errorf("search, both topics: %d %.300s", r.status, r.body)
	}
}

func TestYenteChangedSince(t *testing.T) {
	e := newYenteEnv(t)
	// us-ofac-sdn:52965 first appears in the OFAC list of 2025-12-24; the
	// Russian case list is of 2025-12-12; the other OFAC entities were
	// there on 2025-02-27 and did not change.
	q := person("Karim Khan")
	ids, _, r := e.yenteMatch(t, "changed_since=2025-12-01", q)
	expect(t, "2025-12-01", ids, r, []string{khanOFAC, khanRU}, nil)
	ids, _, r = e.yenteMatch(t, "changed_since=2025-12-20", q)
	expect(t, "2025-12-20", ids, r, []string{khanOFAC}, []string{khanRU})
	ids, _, r = e.yenteMatch(t, "changed_since=2025-12-24T10:00:00", q)
	expect(t, "the day itself", ids, r, []string{khanOFAC}, []string{khanRU})
	ids, _, r = e.yenteMatch(t, "changed_since=2025-12-25", q)
	expect(t, "after every change", ids, r, nil, []string{khanOFAC, khanRU})
	org := `{"schema": "Organization", "properties": {"name": ["CIMEX"]}}`
	ids, _, r = e.yenteMatch(t, "changed_since=2025-03-01", org)
	expect(t, "unchanged since 2025-02-27", ids, r, nil, []string{cimex})
	ids, _, r = e.yenteMatch(t, "changed_since=2025-02-27", org)
	expect(t, "on the day of the first snapshot", ids, r, []string{cimex}, nil)
}

// A parameter lexscreen does not support, or a value it can't read, is
// refused with yente's detail, never ignored; nothing is recorded.
func TestYenteRefusals(t *testing.T) {
	e := newYenteEnv(t)
	before := e.records()
	q := url.QueryEscape
	bad := []struct{ path, body, want string }{
		{"/match/default?foo=1", "", "unsupported parameter foo"},
		{"/match/default?changed_since=yesterday", "", "changed_since"},
		{"/match/default?changed_since=2025-02-30", "", "no such day"},
		{"/match/default?include_dataset=us_ofac_sdnx", "", "no such dataset"},
		{"/match/default?algorithm=best-ever", "", "unknown"},
		{"/match/default?exclude_dataset=nosuch", "", "no such dataset"},
		{"/match/default?exclude_schema=Company", "", "Organization"},
		{"/match/default?exclude_schema=Planet", "", "exclude_schema"},
		{"/match/default?topics=role.pep", "", "politically exposed"},
		{"/match/default?topics=" + q("sanction ") + "", "", "topics"},
		{"/match/default", `{"queries": {"q": ` + person("Karim Khan") + `}, "weights": {"name_literal": 0.8}}`, "weights"},
		{"/match/default", `{"queries": {"q": ` + person("Karim Khan") + `}, "params": {"include_datsets": ["x"]}}`, "params.include_datsets"},
		{"/match/default", `{"queries": {"q": ` + person("Karim Khan") + `}, "exclude_entity_ids": ["x"]}`, "unsupported field"},
		{"/match/default", `{"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}, "filters": {"topics": [["sanction"]]}}}}`, "per-query filters"},
		{"/search/default?q=x&facets=banana", "", "facets=\"banana\": want countries"},
		{"/search/default?q=x&filter=" + q("birthDate:1970"), "", "unsupported parameter filter"},
		{"/search/default?q=x&fuzzy=maybe", "", "fuzzy"},
		{"/search/default?q=x&filter_op=XOR", "", "filter_op"},
	}
	for _, b := range bad {
		var r resp
		if strings.HasPrefix(b.path, "/search") {
			r = e.get(b.path, "screener")
		} else {
			body := b.body
			if body == "" {
				body = `{"queries": {"q": ` + person("Karim Khan") + `}}`
			}
			r = e.post(b.path, "screener", body)
		}
		var eb yenteErrorBody
		json.Unmarshal(r.body, &eb)
		if r.status != 400 || eb.Error.Code != "invalid" || !strings.Contains(eb.Detail, b.want) {
			t.Errorf("%s %.80s: %d %s, want 400 with detail about %q", b.path, b.body, r.status, r.body, b.want)
		}
	}
	if n := e.records(); n != before {
		t.Errorf("refused requests left %d audit records", n-before)
	}
}

// One unreadable birthDate costs that date, not the request; a number is a year.
func TestYenteBirthDates(t *testing.T) {
	e := newYenteEnv(t)
	r := e.post("/match/default", "screener", `{"queries": {
		"bad": {"schema": "Person", "properties": {"name": ["Karim Khan"], "birthDate": ["31/31/1960"]}},
		"num": {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": [1952], "address": ["Moscow"]}},
		"ok": {"schema": "Person", "properties": {"name": ["Nazhat Shameem Khan"], "birthDate": ["1960"]}}}}`)
	var ym yenteMatchResponse
	r.json(t, &ym)
	if r.status != 200 || len(ym.Responses) != 3 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	bad := ym.Responses["bad"]
	if len(bad.Results) == 0 || len(bad.Warnings) != 1 || bad.Warnings[0].Field != "dob" || bad.Warnings[0].Value != "31/31/1960" {
		t.Errorf("bad birthDate: screened without it with a warning? %+v", bad)
	}
	num := ym.Responses["num"]
	if len(num.Results) == 0 || num.Results[0].ID != putinICC || slices.ContainsFunc(num.Warnings, func(w lexscreen.Warning) bool { return w.Field == "dob" }) {
		t.Errorf("numeric birthDate: %+v", num)
	}
	if !slices.ContainsFunc(num.Warnings, func(w lexscreen.Warning) bool { return w.Field == "properties" && w.Value == "address" }) {
		t.Errorf("an unused property is not reported: %+v", num.Warnings)
	}
	if len(ym.Responses["ok"].Warnings) != 0 {
		t.Errorf("warnings on a clean query: %+v", ym.Responses["ok"].Warnings)
	}
	// The same in /v1/screen: a warning, not a refusal.
	r = e.post("/v1/screen", "screener", `{"name": "Karim Khan", "dob": "31/02/1960"}`)
	if r.status != 200 || !strings.Contains(string(r.body), `"warnings":[{"field":"dob"`) {
		t.Errorf("/v1/screen with an unreadable dob: %d %.300s", r.status, r.body)
	}
}
