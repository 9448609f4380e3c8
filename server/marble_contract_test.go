package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Marble's screening client (github.com/checkmarble/marble-backend,
// repositories/screening and repositories/httpmodels, commit b1b2f942,
// Elastic License 2.0) decodes lexscreen's answers into the structs
// below, copied field by field from its httpmodels as test fixtures (the
// adapters that use them are left out). Tests decode our answers into
// them and require every field they declare to be present and of its type.

// HTTPOpenSanctionsResult: httpmodels/http_opensanctions_result.go.
type marbleMatchResult struct {
	Responses map[string]struct {
		Status int `json:"status"`
		Total  struct {
			Value int `json:"value"`
		} `json:"total"`
		Results []json.RawMessage `json:"results"`
	} `json:"responses"`
	Limit int `json:"limit"`
}

// HTTPOpenSanctionResultResult: httpmodels/http_opensanctions_result.go.
type marbleMatch struct {
	Id         string   `json:"id"`
	Referents  []string `json:"referents"`
	Match      bool     `json:"match"`
	Schema     string   `json:"schema"`
	Datasets   []string `json:"datasets"`
	Score      float64  `json:"score"`
	Properties struct {
		Name []string `json:"name"`
	} `json:"properties"`
}

// HTTPOpenSanctionCatalogResponse and HTTPOpenSanctionCatalogDataset:
// httpmodels/http_opensanctions_dataset.go.
type marbleCatalog struct {
	Datasets []marbleCatalogDataset `json:"datasets"`
	Current  []string               `json:"current"`
	Outdated []string               `json:"outdated"`
}

type marbleCatalogDataset struct {
	Name         string         `json:"name"`
	Title        string         `json:"title"`
	Load         bool           `json:"load"`
	IndexVersion *string        `json:"index_version"`
	IndexCurrent bool           `json:"index_current"`
	Children     []string       `json:"children"`
	Tags         []string       `json:"tags"`
	DeltaUrl     *string        `json:"delta_url"`
	Version      string         `json:"version"`
	Metadata     map[string]any `json:"metadata"`
}

// HTTPOpenSanctionsLocalDatasets: httpmodels/http_opensanctions_dataset_freshness.go.
type marbleLocalDatasets struct {
	Datasets []struct {
		Name         string  `json:"name"`
		IndexVersion *string `json:"index_version"`
	} `json:"datasets"`
}

// HTTPOpenSanctionsAlgorithms: httpmodels/http_opensanctions_algorithm.go.
type marbleAlgorithms struct {
	Algorithms []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"algorithms"`
	Best    string `json:"best"`
	Default string `json:"default"`
}

// openSanctionsRequest, motivaRequestParams, openSanctionsRequestQuery:
// repositories/screening/screening_repository.go (the body Marble sends).
type marbleRequest struct {
	Queries map[string]marbleRequestQuery `json:"queries"`
	Params  *marbleParams                 `json:"params,omitempty"`
	Weights map[string]float64            `json:"weights,omitempty"`
}

type marbleParams struct {
	IncludeDatasets  []string `json:"include_datasets"`
	ExcludeDatasets  []string `json:"exclude_datasets"`
	ExcludeEntityIds []string `json:"exclude_entity_ids"`
}

type marbleRequestQuery struct {
	Schema     string                `json:"schema"`
	Properties map[string][]string   `json:"properties"`
	Filters    map[string][][]string `json:"filters"`
	Params     *marbleParams         `json:"params"`
}

// decodeAsMarble decodes an answer into v as Marble does, and requires
// every field v's type declares to be in the answer (null only for a
// pointer, slice or map: what Go leaves nil).
func decodeAsMarble(t *testing.T, what string, body []byte, v any) {
	t.Helper()
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		t.Fatalf("%s: Marble can't decode it: %v\n%.400s", what, err, body)
	}
	var raw any
	json.Unmarshal(body, &raw)
	for _, miss := range missingFields(reflect.TypeOf(v).Elem(), raw, what) {
		t.Errorf("%s", miss)
	}
}

// missingFields lists the fields of t absent from (or null in) the JSON value v.
func missingFields(t reflect.Type, v any, at string) []string {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return nil
		}
		t = t.Elem()
	}
	var out []string
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: not an object", at)}
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fv, present := obj[name]
			if !present {
				out = append(out, fmt.Sprintf("%s.%s: missing (Marble's %s %s)", at, name, f.Name, f.Type))
				continue
			}
			if fv == nil && f.Type.Kind() != reflect.Pointer && f.Type.Kind() != reflect.Map && f.Type.Kind() != reflect.Slice && f.Type.Kind() != reflect.Interface {
				out = append(out, fmt.Sprintf("%s.%s: null (Marble's %s %s)", at, name, f.Name, f.Type))
				continue
			}
			out = append(out, missingFields(f.Type, fv, at+"."+name)...)
		}
	case reflect.Slice:
		list, _ := v.([]any)
		for i, e := range list {
			out = append(out, missingFields(t.Elem(), e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for k, e := range obj {
			out = append(out, missingFields(t.Elem(), e, at+"."+k)...)
		}
	}
	return out
}

// marbleMatchURL is the URL Marble's BuildQueryString makes: the key in
// api_key (SaaS auth), its default algorithm, threshold and cutoff from
// a 0..100 setting, a limit, and without motiva's body params the
// datasets and whitelisted ids as query parameters.
func marbleMatchURL(key, scope string, threshold, limit int, datasets, whitelist []string) string {
	qs := url.Values{}
	qs.Set("api_key", key)
	if len(datasets) > 0 {
		qs["include_dataset"] = datasets
	}
	qs.Set("algorithm", "logic-v1")
	qs.Set("threshold", fmt.Sprintf("%.2f", float64(threshold)/100))
	qs.Set("cutoff", fmt.Sprintf("%.2f", float64(threshold)/100))
	qs.Set("limit", fmt.Sprintf("%d", limit))
	if len(whitelist) > 0 {
		qs["exclude_entity_ids"] = whitelist
	}
	return fmt.Sprintf("/match/%s?%s", scope, qs.Encode())
}

// Marble's requests, replayed as its client builds them, and lexscreen's
// answers decoded into Marble's structs: /match (query parameters and
// motiva's body params; whitelist and dataset scoping honoured),
// /entities/{id} (enrichment), /catalog (sections and freshness),
// /algorithms.
func TestMarbleContract(t *testing.T) {
	e := newClientsEnv(t, Config{})
	key := e.keys["screener"]
	// Query ids are uuids; a query has filters and params, both null.
	body := func(params *marbleParams, queries ...marbleRequestQuery) string {
		r := marbleRequest{Queries: map[string]marbleRequestQuery{}, Params: params}
		for i, q := range queries {
			r.Queries[fmt.Sprintf("0194c1c2-7d0e-7a4b-9b1e-00000000000%d", i)] = q
		}
		b, _ := json.Marshal(r)
		return string(b)
	}
	person := marbleRequestQuery{Schema: "Person", Properties: map[string][]string{"name": {"Maria Osetrova"}, "birthDate": {"1988-01-07"}}}
	company := marbleRequestQuery{Schema: "Company", Properties: map[string][]string{"name": {"Banco Nacional de Cuba"}}}
	jsonCT := map[string]string{"Content-Type": "application/json"}

	// One request, two queries, as Marble sends a screening with name variants.
	r := e.raw("POST", marbleMatchURL(key, "default", 70, 10, nil, nil), jsonCT, body(nil, person, company))
	if r.status != 200 {
		t.Fatalf("match: %d %s", r.status, r.body)
	}
	var res marbleMatchResult
	decodeAsMarble(t, "POST /match", r.body, &res)
	if len(res.Responses) != 2 || res.Limit != 10 {
		t.Fatalf("match: %d responses, limit %d", len(res.Responses), res.Limit)
	}
	matched := map[string]marbleMatch{}
	for qid, resp := range res.Responses {
		if resp.Status != 200 {
			t.Errorf("%s: status %d", qid, resp.Status)
		}
		n := 0
		for i, raw := range resp.Results {
			var m marbleMatch
			decodeAsMarble(t, fmt.Sprintf("%s result %d", qid, i), raw, &m)
			if m.Match {
				n++
				matched[m.Id] = m
			}
			if m.Score < 0.70-1e-9 {
				t.Errorf("%s: %s scored %.2f under the cutoff", qid, m.Id, m.Score)
			}
		}
		// Marble flags the screening partial when total > the matches shown.
		if resp.Total.Value < n {
			t.Errorf("%s: total %d under the %d matches shown", qid, resp.Total.Value, n)
		}
	}
	if _, ok := matched[zalaPerson]; !ok {
		t.Fatalf("the zala person is not a match under its FtM id: %v", matched)
	}
	if m := matched[zalaPerson]; len(m.Datasets) == 0 || len(m.Properties.Name) == 0 || m.Schema != "Person" {
		t.Errorf("zala match as Marble stores it: %+v", m)
	}

	// Whitelisting: Marble sends the whitelisted ids (query parameter, or
	// motiva's body params); they must not come back.
	for _, c := range []struct {
		name, path, body string
	}{
		{"query parameters", marbleMatchURL(key, "default", 70, 10, nil, []string{zalaPerson}), body(nil, person)},
		{"body params", marbleMatchURL(key, "default", 70, 10, nil, nil), body(&marbleParams{ExcludeEntityIds: []string{zalaPerson}}, person)},
	} {
		r := e.raw("POST", c.path, jsonCT, c.body)
		if r.status != 200 || strings.Contains(string(r.body), `"id":"`+zalaPerson+`"`) {
			t.Errorf("whitelist by %s: %d, the whitelisted entity came back: %.300s", c.name, r.status, r.body)
		}
	}
	// What lexscreen can't do as Marble asks is refused, never ignored:
	// continuous screening's object-type filter, motiva's custom weights.
	typed := person
	typed.Filters = map[string][][]string{"properties.programId": {{"prog-1"}}}
	weighted := marbleRequest{Queries: map[string]marbleRequestQuery{"q": person}, Weights: map[string]float64{"name_literal_match": 0.4}}
	wb, _ := json.Marshal(weighted)
	for name, b := range map[string]string{"filters": body(nil, typed), "weights": string(wb)} {
		r := e.raw("POST", marbleMatchURL(key, "default", 70, 10, nil, nil), jsonCT, b)
		if r.status != 400 || !strings.Contains(string(r.body), `"detail"`) {
			t.Errorf("%s: %d %.200s, want 400 with yente's detail", name, r.status, r.body)
		}
	}
	// Dataset scoping: only the OFAC list, by FtM dataset name.
	for _, c := range []struct {
		name, path, body string
	}{
		{"query parameters", marbleMatchURL(key, "default", 50, 10, []string{"us_ofac_sdn"}, nil), body(nil, person, company)},
		{"body params", marbleMatchURL(key, "default", 50, 10, nil, nil), body(&marbleParams{IncludeDatasets: []string{"us_ofac_sdn"}}, person, company)},
	} {
		r := e.raw("POST", c.path, jsonCT, c.body)
		var res marbleMatchResult
		if r.status != 200 {
			t.Errorf("datasets by %s: %d %s", c.name, r.status, r.body)
			continue
		}
		decodeAsMarble(t, "scoped match", r.body, &res)
		for _, resp := range res.Responses {
			for _, raw := range resp.Results {
				var m marbleMatch
				decodeAsMarble(t, "scoped result", raw, &m)
				if !strings.Contains(strings.Join(m.Datasets, ","), "us_ofac_sdn") {
					t.Errorf("datasets by %s: %s of %v came back", c.name, m.Id, m.Datasets)
				}
			}
		}
	}

	// Enrichment: GET /entities/{id}, the answer kept as a JSON object merged into the match's payload.
	for id := range matched {
		// EnrichMatch calls BuildQueryString(ctx, nil, nil): api_key and algorithm.
		r := e.raw("GET", "/entities/"+url.PathEscape(id)+"?api_key="+url.QueryEscape(key)+"&algorithm=logic-v1", nil, "")
		if r.status != 200 {
			t.Errorf("entity %s: %d %s", id, r.status, r.body)
			continue
		}
		var payload map[string]any
		decodeAsMarble(t, "GET /entities/"+id, r.body, &payload)
		// The merge (mergePayloads: maps.Copy) replaces the match's keys
		// with the entity's: those it shares with a match result must be
		// there and of their type; match and score stay the match's.
		var ent struct {
			Id         string   `json:"id"`
			Referents  []string `json:"referents"`
			Schema     string   `json:"schema"`
			Datasets   []string `json:"datasets"`
			Properties struct {
				Name []string `json:"name"`
			} `json:"properties"`
		}
		decodeAsMarble(t, "GET /entities/"+id, r.body, &ent)
		if ent.Id != id || ent.Schema != matched[id].Schema {
			t.Errorf("entity %s answered as %s %s (match: %s)", id, ent.Id, ent.Schema, matched[id].Schema)
		}
		if _, clobbered := payload["score"]; clobbered {
			t.Errorf("entity %s carries a score: it would replace the match's", id)
		}
	}
	if r := e.raw("GET", "/entities/NK-nonesuch?api_key="+key, nil, ""); r.status != 404 {
		t.Errorf("unknown entity: %d, Marble reads 404 as not found", r.status)
	}

	// The catalog: sections (by dataset name) and freshness (the default
	// dataset's index_version, YYYYMMDDHHMMSS-xxx).
	r = e.raw("GET", "/catalog?api_key="+key, nil, "")
	var cat marbleCatalog
	decodeAsMarble(t, "GET /catalog", r.body, &cat)
	var local marbleLocalDatasets
	decodeAsMarble(t, "GET /catalog (freshness)", r.body, &local)
	var version string
	for _, d := range local.Datasets {
		if d.Name == "default" && d.IndexVersion != nil {
			version = *d.IndexVersion
		}
	}
	stamp, _, _ := strings.Cut(version, "-")
	if _, err := time.ParseInLocation("20060102150405", stamp, time.UTC); err != nil {
		t.Errorf("default index_version %q: Marble can't read its freshness: %v", version, err)
	}
	loaded := 0
	for _, d := range cat.Datasets {
		if d.Load && len(d.Children) == 0 {
			loaded++
		}
	}
	if loaded == 0 {
		t.Errorf("no loaded leaf dataset: Marble shows no section: %+v", cat.Datasets)
	}

	r = e.raw("GET", "/algorithms?api_key="+key, nil, "")
	var algos marbleAlgorithms
	decodeAsMarble(t, "GET /algorithms", r.body, &algos)
	if algos.Default == "" || len(algos.Algorithms) == 0 {
		t.Errorf("algorithms: %+v", algos)
	}
	found := false
	for _, a := range algos.Algorithms {
		found = found || a.Name == "logic-v1"
	}
	if !found {
		t.Errorf("Marble's default algorithm logic-v1 is not listed: %+v", algos)
	}
}

// missingFields catches what Marble would miss.
func TestMarbleMissingFields(t *testing.T) {
	var v any
	json.Unmarshal([]byte(`{"responses": {"q": {"status": 200, "results": []}}, "limit": null}`), &v)
	got := missingFields(reflect.TypeOf(marbleMatchResult{}), v, "answer")
	want := []string{"answer.responses.q.total: missing (Marble's Total struct { Value int \"json:\\\"value\\\"\" })", "answer.limit: null (Marble's Limit int)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("missingFields = %q, want %q", got, want)
	}
}
