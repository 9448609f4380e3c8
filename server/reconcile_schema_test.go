package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const reconSchemaBase = "https://reconciliation-api.github.io/specs/"

// reconSchemas compiles the reconciliation API's JSON Schemas from
// testdata/reconciliation (Draft 7, as the specs write them), the Swagger
// 2.0 schema the manifests $ref included: any other URL is refused, so
// nothing is fetched.
func reconSchemas(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	files := map[string]string{"http://swagger.io/v2/schema.json": "testdata/reconciliation/swagger-2.0-schema.json"}
	for _, dir := range []string{"0.2", "1.0-draft"} {
		names, err := filepath.Glob(filepath.Join("testdata/reconciliation", dir, "*.json"))
		if err != nil || len(names) == 0 {
			t.Fatalf("no schemas in testdata/reconciliation/%s: %v", dir, err)
		}
		for _, n := range names {
			var doc map[string]any
			b, err := os.ReadFile(n)
			if err != nil || json.Unmarshal(b, &doc) != nil {
				t.Fatalf("%s: %v", n, err)
			}
			// $id as the file says (0.2's property proposal says draft/),
			// and its spec folder's URL, which the tests name.
			id, _ := doc["$id"].(string)
			files[id] = n
			files[reconSchemaBase+strings.Replace(dir, "1.0-draft", "draft", 1)+"/schemas/"+filepath.Base(n)] = n
		}
	}
	c.UseLoader(localLoader(files))
	return c
}

// localLoader serves schemas from files by URL; the generic "$schema"
// the specs declare is read as Draft 7 (Swagger's own schema: Draft 4).
type localLoader map[string]string

func (l localLoader) Load(u string) (any, error) {
	path, ok := l[strings.TrimSuffix(u, "#")]
	if !ok {
		return nil, fmt.Errorf("%s: not in testdata/reconciliation (no network in tests)", u)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	if m, ok := doc.(map[string]any); ok {
		m["$schema"] = "http://json-schema.org/draft-07/schema#"
		if strings.Contains(u, "swagger.io") {
			m["$schema"] = "http://json-schema.org/draft-04/schema#"
			m["$id"] = "http://swagger.io/v2/schema.json#"
		}
	}
	return doc, nil
}

// Every answer of the reconciliation endpoints validates against the
// specification's schema for it: the 0.2 schemas (what the manifest
// declares, what OpenRefine speaks) and the 1.0-draft result batch for
// POST /reconcile/match.
func TestReconcileSchemas(t *testing.T) {
	e := newClientsEnv(t, Config{})
	c := reconSchemas(t)
	q := url.QueryEscape(`{"q0": {"query": "Maria Osetrova", "type": "Person", "properties": [{"pid": "birthDate", "v": "1988"}]}, "q1": {"query": "Banco Nacional de Cuba", "type": ["Organization", "Company"], "limit": 2}, "q2": {"query": "Nobody Atall Hereabouts"}}`)
	ext := url.QueryEscape(`{"ids": ["` + zalaPerson + `", "us-ofac-sdn:306"], "properties": [{"id": "birthDate"}, {"id": "nationality"}, {"id": "program"}]}`)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		schema, method, path, ctype, body string
		// batch: a 0.2 result batch, {query id: {result}}, one per query
		// (the schema would pass an empty object).
		batch bool
	}{
		{schema: "0.2/schemas/manifest.json", method: "GET", path: "/reconcile"},
		{schema: "0.2/schemas/reconciliation-result-batch.json", method: "GET", path: "/reconcile?queries=" + q, batch: true},
		{schema: "0.2/schemas/reconciliation-result-batch.json", method: "POST", path: "/reconcile", ctype: form, body: "queries=" + q, batch: true},
		{schema: "0.2/schemas/reconciliation-result-batch.json", method: "POST", path: "/reconcile", ctype: "application/json", body: `{"queries": {"q0": {"query": "Osetrova", "properties": [{"pid": "nationality", "v": ["ru"]}]}, "q1": {"properties": [{"pid": "name", "v": {"id": "x", "name": "Banco Nacional de Cuba"}}]}}}`, batch: true},
		{schema: "0.2/schemas/suggest-entities-response.json", method: "GET", path: "/reconcile/suggest/entity?prefix=Osetro"},
		{schema: "0.2/schemas/suggest-types-response.json", method: "GET", path: "/reconcile/suggest/type?prefix=Per"},
		{schema: "0.2/schemas/suggest-properties-response.json", method: "GET", path: "/reconcile/suggest/property?prefix=birth"},
		{schema: "0.2/schemas/data-extension-property-proposal.json", method: "GET", path: "/reconcile/extend/propose?type=Person"},
		{schema: "0.2/schemas/data-extension-response.json", method: "POST", path: "/reconcile", ctype: form, body: "extend=" + ext},
		{schema: "0.2/schemas/data-extension-response.json", method: "GET", path: "/reconcile?extend=" + ext},
		{schema: "draft/schemas/reconciliation-result-batch.json", method: "POST", path: "/reconcile/match", ctype: "application/json",
			body: `{"queries": [{"type": "Person", "conditions": [{"matchType": "name", "propertyValue": "Maria Osetrova"}, {"matchType": "property", "propertyId": "birthDate", "propertyValue": "1988"}]}, {"conditions": [{"matchType": "name", "propertyValue": "Banco Nacional de Cuba"}]}]}`},
	}
	// The validator bites: a manifest without its required fields fails.
	if m, err := c.Compile(reconSchemaBase + "0.2/schemas/manifest.json"); err != nil || m.Validate(map[string]any{"versions": []any{"0.2"}}) == nil {
		t.Fatalf("an incomplete manifest passed the 0.2 schema (compile: %v)", err)
	}
	for _, tc := range cases {
		sch, err := c.Compile(reconSchemaBase + tc.schema)
		if err != nil {
			t.Fatalf("compile %s: %v", tc.schema, err)
		}
		r := e.raw(tc.method, tc.path, map[string]string{"Authorization": "Bearer " + e.keys["screener"], "Content-Type": tc.ctype}, tc.body)
		if r.status != 200 {
			t.Errorf("%s %.80s: %d %s", tc.method, tc.path, r.status, r.body)
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(r.body)))
		if err != nil {
			t.Fatalf("%s %.80s: %v", tc.method, tc.path, err)
		}
		if tc.batch {
			m, _ := doc.(map[string]any)
			if len(m) < 2 {
				t.Errorf("%s %.80s: no results: %s", tc.method, tc.path, r.body)
			}
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s %.80s does not match %s:\n%v\n%.500s", tc.method, tc.path, tc.schema, err, r.body)
		}
	}
}
