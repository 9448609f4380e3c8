package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// newContractEnv is the clients' environment (OFAC excerpts, the ICC
// list, OpenSanctions' zala FtM fixture) with a workspace and a second
// approver: every endpoint has something to answer.
func newContractEnv(t *testing.T) *env {
	t.Helper()
	e := newClientsEnv(t, Config{})
	ws, err := workspace.Open(context.Background(), filepath.Join(e.dir, "workspace.db"), workspace.Options{Audit: e.adb, Listings: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.srv.cfg.Workspace = ws
	_, tok, err := e.adb.CreateKey(context.Background(), audit.RoleApprover, "second approver")
	if err != nil {
		t.Fatal(err)
	}
	e.keys["approver2"] = tok
	if _, err := ws.CreateUser(context.Background(), workspace.System("test"), "ana", audit.RoleAnalyst, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return e
}

// contractCase is one request of the contract test. Its path may hold
// {name} placeholders filled from what earlier answers saved.
type contractCase struct {
	method, path, role, ctype, body string
	status                          int
	// want is text the answer must hold: the structure the case is for.
	want string
	// save takes values from the answer for later cases.
	save func(t *testing.T, body []byte, vars map[string]string)
	// stream: read the headers only (an endless answer).
	stream bool
	// badLines: the body holds lines meant to be refused one by one.
	badLines bool
}

// contractCases exercise every route of the route table: native, yente,
// reconciliation, workspace, audit, admin and operations, with some of
// their error answers.
// paymentFixture is a payment message of the payments package's tests.
func paymentFixture(name string) string {
	b, err := os.ReadFile("../payments/testdata/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func contractCases() []contractCase {
	form := "application/x-www-form-urlencoded"
	saveJSON := func(key, field string) func(*testing.T, []byte, map[string]string) {
		return func(t *testing.T, b []byte, vars map[string]string) {
			m := regexp.MustCompile(`"` + field + `":\s*"?([^",}]+)`).FindSubmatch(b)
			if m == nil {
				t.Fatalf("no %s in %.300s", field, b)
			}
			vars[key] = string(m[1])
		}
	}
	recon := url.QueryEscape(`{"q0": {"query": "Maria Osetrova", "type": "Person", "properties": [{"pid": "birthDate", "v": "1988"}]}}`)
	return []contractCase{
		// Operations.
		{method: "GET", path: "/healthz"},
		{method: "GET", path: "/readyz"},
		{method: "GET", path: "/metrics"},
		{method: "GET", path: "/openapi.json"},
		{method: "GET", path: "/docs"},
		// Native screening: structured conflicts, obligations, dates.
		{method: "POST", path: "/v1/screen", role: "screener", body: `{"name": "Banco Nacional de Cuba", "type": "organization", "operator": "eu-bank"}`},
		{method: "POST", path: "/v1/screen", role: "screener", body: `{"name": "Banco Nacional de Cuba", "operator": "eu-subsidiary-of-us-bank"}`, want: `"conflicts":[{"entity_id"`},
		{method: "POST", path: "/v1/screen", role: "screener", body: `{"name": "Karim Asad Ahmad Khan", "dob": "1970", "operator": "eu-subsidiary-of-us-bank", "date": "2025-12-30", "current_lists": true}`},
		{method: "POST", path: "/v1/screen", role: "screener", body: `{"name": "Maria Osetrova", "dob": "1988-01", "type": "person", "operator": "uk-firm"}`, want: `"dob":"1988-01"`},
		{method: "POST", path: "/v1/screen", role: "screener", body: `{"name": ""}`, status: 400},
		{method: "POST", path: "/v1/screen", body: `{"name": "x"}`, status: 401},
		{method: "POST", path: "/v1/screen/batch", role: "screener", ctype: "application/x-ndjson",
			body: `{"id": "c1", "name": "Banco Nacional de Cuba", "operator": "us-bank"}` + "\n" + `not json` + "\n" + `{"id": "c3", "name": "Maria Osetrova", "dob": "07/01/1988"}` + "\n", badLines: true},
		{method: "POST", path: "/v1/screen/batch", role: "screener", ctype: "application/x-ndjson",
			body: `{"id": "c1", "name": "Banco Nacional de Cuba", "operator": "eu-subsidiary-of-us-bank"}` + "\n" + `{"id": "c2", "name": "Maria Osetrova", "dob": "1988"}` + "\n"},
		{method: "GET", path: "/v1/entities/us-ofac-sdn:306", role: "analyst"},
		{method: "GET", path: "/v1/entities/us-ofac-sdn:999999999", role: "analyst", status: 404},
		{method: "GET", path: "/v1/entities/us-ofac-sdn:306/history", role: "analyst"},
		{method: "GET", path: "/v1/lists", role: "analyst"},
		{method: "GET", path: "/v1/lists/us-ofac-sdn/diff", role: "analyst"},
		{method: "GET", path: "/v1/obligations?operator=eu-bank&date=2026-01-15", role: "analyst"},
		{method: "GET", path: "/v1/obligations?operator=eu-subsidiary-of-us-bank", role: "analyst", want: `"in_conflict":[{`},
		{method: "GET", path: "/v1/regimes", role: "analyst"},
		// Research pages (issue 14): exposure with an overlay and its exports, ICC cooperation, list timelines.
		{method: "POST", path: "/v1/obligations", role: "analyst", body: `{"operator": "eu-subsidiary-of-us-bank", "date": "2027-03-01", "current_lists": true, "compare": true, "regimes": "blocking_statutes:\n  - id: EU-2271-96\n    annex_add:\n      - {program: ICC-EO14203, effective_from: 2027-01-01}\n"}`, want: `"changes":[{`},
		{method: "POST", path: "/v1/obligations", role: "analyst", body: `{"operator": "eu-bank"}`, want: `"programs":[`},
		{method: "POST", path: "/v1/obligations", role: "analyst", body: `{"operator": "eu-bank", "compare": true}`, status: 400},
		{method: "POST", path: "/v1/obligations/export", role: "analyst", body: `{"operator": "eu-bank", "date": "2026-01-15", "format": "xlsx"}`},
		{method: "POST", path: "/v1/obligations/export", role: "analyst", body: `{"operator": "eu-subsidiary-of-us-bank", "format": "pdf", "regimes": "# EU annexes EO 14203\nblocking_statutes:\n  - id: EU-2271-96\n    annex_add:\n      - {program: ICC-EO14203, effective_from: 2025-03-01}\n"}`, want: "%PDF-"},
		{method: "POST", path: "/v1/obligations/export", role: "analyst", body: `{"operator": "eu-bank", "format": "docx"}`, status: 400},
		{method: "GET", path: "/v1/icc/cooperation?date=2025-10-20", role: "analyst", want: `"id":"putin-tajikistan-2025"`},
		{method: "GET", path: "/v1/icc/cooperation?date=someday", role: "analyst", status: 400},
		{method: "GET", path: "/v1/lists/us-ofac-sdn/timeline", role: "analyst", want: `"first":true`},
		{method: "GET", path: "/v1/lists/us-ofac-sdn/timeline?program=CUBA", role: "analyst", want: `"designations":[{`},
		{method: "GET", path: "/v1/lists/us-ofac-sdn/timeline?program=ICC-EO14203", role: "analyst", want: `"recorded":[{"entity_id":"us-ofac-sdn:52965"`},
		{method: "GET", path: "/v1/lists/no-such-list/timeline", role: "analyst", status: 404},
		{method: "GET", path: "/v1/entities/us-ofac-sdn:306/related", role: "analyst", want: `"related":[`},
		{method: "GET", path: "/v1/entities/no-such-list:1/related", role: "analyst", status: 404},
		{method: "GET", path: "/v1/overlays", role: "screener", want: `"id":"eu-blocks-icc-2027"`},
		// Payments: ISO 20022 and SWIFT MT.
		{method: "POST", path: "/v1/payments/screen?operator=us-bank", role: "screener", ctype: "application/xml", body: paymentFixture("pacs008.xml")},
		{method: "POST", path: "/v1/payments/screen?operator=eu-subsidiary-of-us-bank&alert=1", role: "screener", ctype: "text/plain", body: paymentFixture("mt103.txt")},
		{method: "POST", path: "/v1/payments/screen", role: "screener", ctype: "text/plain", body: "not a payment", status: 422},
		// yente.
		{method: "POST", path: "/match/default?limit=3&threshold=0.6", role: "screener", body: `{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Maria Osetrova"], "birthDate": [1988]}}, "q2": {"schema": "Company", "properties": {"name": ["Banco Nacional de Cuba"]}}}}`},
		{method: "POST", path: "/match/default", role: "screener", body: `{"queries": {"q1": {"properties": {"name": ["x"]}}}}`, status: 422},
		{method: "POST", path: "/match/default?algorithm=nonesuch", role: "screener", body: `{"queries": {"q1": {"schema": "Person", "properties": {"name": ["x"]}}}}`, status: 400},
		{method: "GET", path: "/search/default?q=Osetrova&limit=2&offset=1&countries=ru", role: "screener"},
		{method: "GET", path: "/search/zala?q=alexander+zakharov&limit=0&facets=countries&facets=schema&countries=ru&countries=ua&filter_op=AND", role: "screener"},
		{method: "GET", path: "/search/banana?q=x", role: "screener", status: 404},
		{method: "POST", path: "/match/zala?fuzzy=false&exclude_entity_ids=ofac-45937", role: "screener", body: `{"queries": {"q": {"schema": "Person", "properties": {"name": ["Alexander Zakharov"], "country": "Russia"}}}}`, want: `"country":["ru"]`},
		{method: "GET", path: "/catalog", role: "screener"},
		{method: "GET", path: "/algorithms", role: "screener"},
		{method: "GET", path: "/entities/" + zalaPerson, role: "screener"},
		{method: "GET", path: "/entities/us-ofac-sdn:306", role: "screener"},
		{method: "GET", path: "/entities/NK-nonesuch", role: "screener", status: 404},
		// Reconciliation.
		{method: "GET", path: "/reconcile", role: "screener"},
		{method: "GET", path: "/reconcile?queries=" + recon, role: "screener"},
		{method: "POST", path: "/reconcile", role: "screener", ctype: form, body: "queries=" + recon},
		{method: "POST", path: "/reconcile", role: "screener", body: `{"queries": {"q0": {"query": "Banco Nacional de Cuba", "type": ["Organization", "Company"], "limit": 3}}}`},
		{method: "GET", path: "/reconcile?extend=" + url.QueryEscape(`{"ids": ["`+zalaPerson+`"], "properties": [{"id": "birthDate"}, {"id": "program"}]}`), role: "screener", want: `"rows"`},
		{method: "POST", path: "/reconcile", role: "screener", ctype: form, body: "extend=" + url.QueryEscape(`{"ids": ["us-ofac-sdn:306"], "properties": [{"id": "alias"}]}`), want: `"rows"`},
		{method: "GET", path: "/reconcile/suggest/entity?prefix=Osetro", role: "screener"},
		{method: "GET", path: "/reconcile/suggest/type?prefix=Per", role: "screener"},
		{method: "GET", path: "/reconcile/suggest/property?prefix=birth", role: "screener"},
		{method: "GET", path: "/reconcile/flyout/entity?id=" + zalaPerson, role: "screener"},
		{method: "GET", path: "/reconcile/preview?id=" + zalaPerson, role: "screener"},
		{method: "GET", path: "/reconcile/view/" + zalaPerson, role: "screener"},
		{method: "GET", path: "/reconcile/extend/propose?type=Person", role: "screener"},
		{method: "POST", path: "/reconcile/match", role: "screener", body: `{"queries": [{"type": "Person", "conditions": [{"matchType": "name", "propertyValue": "Maria Osetrova"}, {"matchType": "property", "propertyId": "birthDate", "propertyValue": "1988"}]}]}`},
		{method: "GET", path: "/v1/export?source=us_ofac_sdn", role: "analyst"},
		// Workspace.
		{method: "GET", path: "/v1/events", role: "analyst", stream: true},
		{method: "POST", path: "/v1/subjects/import?name=book.csv&operator=us-bank", role: "analyst", ctype: "text/csv", body: bookCSV},
		{method: "POST", path: "/v1/subjects", role: "analyst", body: `{"id": "C-0005", "name": "Maria Osetrova", "type": "person", "dob": "1988-01-07", "operator": "eu-bank"}`},
		{method: "GET", path: "/v1/subjects?limit=2", role: "auditor"},
		{method: "GET", path: "/v1/subjects/B-001", role: "auditor"},
		{method: "GET", path: "/v1/subjects/nonesuch", role: "auditor", status: 404},
		{method: "GET", path: "/v1/alerts?queue=true", role: "auditor", save: saveJSON("alert", "id")},
		{method: "POST", path: "/v1/screen/alert", role: "screener", body: `{"name": "Banco Nacional de Cuba", "type": "organization"}`},
		{method: "POST", path: "/v1/alerts/{alert}/assign", role: "analyst", body: `{"assignee": "user:ana", "due": "2027-02-01"}`},
		{method: "POST", path: "/v1/alerts/{alert}/comments", role: "analyst", body: `{"text": "asked the branch for the articles of association"}`},
		{method: "POST", path: "/v1/alerts/{alert}/decision", role: "approver", body: `{"outcome": "true_match", "reason": "same bank", "attachments": [{"name": "note.txt", "type": "text/plain", "content": "c2VlbiBpdA=="}]}`,
			save: saveJSON("attachment", `attachments":\s*\[\{"id`)},
		{method: "POST", path: "/v1/alerts/{alert}/approve", role: "approver", body: `{}`, status: 409},
		{method: "POST", path: "/v1/alerts/{alert}/approve", role: "approver2", body: `{"approve": true, "note": "seen"}`},
		{method: "GET", path: "/v1/alerts/{alert}", role: "auditor"},
		{method: "GET", path: "/v1/attachments/{attachment}", role: "auditor"},
		{method: "GET", path: "/v1/alerts/export?format=csv", role: "auditor"},
		{method: "GET", path: "/v1/alerts/export?format=json&what=decisions", role: "auditor"},
		{method: "GET", path: "/v1/alerts/export?format=xlsx", role: "auditor"},
		{method: "DELETE", path: "/v1/subjects/B-002", role: "analyst"},
		// Registered last: no event follows it, so nothing is delivered.
		{method: "POST", path: "/v1/webhooks", role: "admin", body: `{"url": "https://hooks.example.com/lexscreen", "events": ["alert.rejected"]}`},
		{method: "GET", path: "/v1/webhooks", role: "admin"},
		// Audit and admin.
		{method: "GET", path: "/v1/audit/records?limit=3", role: "auditor"},
		{method: "GET", path: "/v1/audit/records/1", role: "auditor"},
		{method: "POST", path: "/v1/audit/records/2/replay", role: "auditor"}, // 1 is the user newContractEnv made, 2 the first screening
		{method: "POST", path: "/v1/audit/verify", role: "auditor", status: 202, save: saveJSON("job", "id")},
		{method: "GET", path: "/v1/audit/verify/{job}", role: "auditor"},
		{method: "GET", path: "/v1/audit/records/1", role: "screener", status: 403},
		{method: "POST", path: "/v1/admin/reload", role: "admin"},
		// Sessions of users (role "session": the cookie of the last sign-in).
		{method: "POST", path: "/v1/session", body: `{"name": "ana", "password": "wrong password!"}`, status: 401},
		{method: "POST", path: "/v1/session", ctype: form, body: "name=ana&password=correct+horse+battery", want: `"csrf_token"`},
		{method: "POST", path: "/v1/session", body: `{"name": "ana", "password": "correct horse battery"}`, want: `"role":"analyst"`},
		{method: "GET", path: "/v1/session", role: "session", want: `"user":"ana"`},
		{method: "GET", path: "/v1/session", role: "analyst", status: 401},
		{method: "DELETE", path: "/v1/session", role: "session", want: `"signed_out":"ana"`},
		{method: "GET", path: "/v1/session", role: "session", status: 401},
	}
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// TestOpenAPIContract drives the real server with a request to every
// route and validates each answer (status, content type, body) against
// the served /openapi.json with kin-openapi.
func TestOpenAPIContract(t *testing.T) {
	e := newContractEnv(t)
	ctx := context.Background()
	docJSON := e.get("/openapi.json", "").body
	if _, err := openapi3.NewLoader().LoadFromData(docJSON); err != nil {
		t.Fatalf("load /openapi.json: %v", err)
	}
	// Strict: an answer with a field the document does not declare fails.
	doc, err := openapi3.NewLoader().LoadFromData(closeObjects(t, docJSON))
	if err != nil {
		t.Fatalf("load /openapi.json: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("/openapi.json is not a valid OpenAPI document: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: e.ts.URL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	registerStreamDecoders()

	vars := map[string]string{}
	exercised := map[string]bool{}
	for _, c := range contractCases() {
		path := placeholder.ReplaceAllStringFunc(c.path, func(m string) string {
			v, ok := vars[m[1:len(m)-1]]
			if !ok {
				return m // a path parameter of the route table (none in the cases)
			}
			return v
		})
		name := c.method + " " + path
		want := c.status
		if want == 0 {
			want = http.StatusOK
		}
		req, status, header, body := e.send(t, c, path)
		if status != want {
			t.Errorf("%s: status %d, want %d: %.300s", name, status, want, body)
			continue
		}
		if !strings.Contains(string(body), c.want) {
			t.Errorf("%s: the answer lacks %s: %.300s", name, c.want, body)
		}
		route, pathParams, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s: not in /openapi.json: %v", name, err)
			continue
		}
		exercised[strings.ToUpper(route.Method)+" "+route.Path] = true
		// The request as the document declares it (parameters, body), for
		// the cases meant to succeed.
		if want < 400 && !c.badLines {
			req.Body = io.NopCloser(strings.NewReader(c.body))
			rin := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
			if err := openapi3filter.ValidateRequest(ctx, rin); err != nil {
				t.Errorf("%s: the request does not match /openapi.json:\n%v", name, err)
			}
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route},
			Status:                 status, Header: header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		in.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
			t.Errorf("%s: the answer does not match /openapi.json:\n%v\nbody: %.600s", name, err, body)
		}
		if os.Getenv("CONTRACT_DUMP") != "" {
			t.Logf("%s: %s", name, body)
		}
		if c.save != nil {
			c.save(t, body, vars)
		}
	}
	for _, rt := range e.srv.routes {
		if !exercised[rt.Method+" "+rt.Path] {
			t.Errorf("route %s %s has no case in contractCases", rt.Method, rt.Path)
		}
	}
}

// send makes a contract case's request and returns it with the answer.
func (e *env) send(t *testing.T, c contractCase, path string) (*http.Request, int, http.Header, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, e.ts.URL+path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	switch c.role {
	case "":
	case "session":
		req.Header.Set("Cookie", SessionCookie+"="+e.keys["session"])
		req.Header.Set(CSRFHeader, e.keys["csrf"])
	default:
		req.Header.Set("Authorization", "Bearer "+e.keys[c.role])
	}
	ctype := c.ctype
	if ctype == "" && c.body != "" {
		ctype = "application/json"
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, path, err)
	}
	defer res.Body.Close()
	var body []byte
	if c.stream {
		// The first line (or nothing) is enough: the stream does not end.
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		body = []byte(line)
	} else {
		body, _ = io.ReadAll(res.Body)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == SessionCookie && ck.Value != "" { // a sign-in: later "session" cases use it
			var sr SessionResponse
			json.Unmarshal(body, &sr)
			e.keys["session"], e.keys["csrf"] = ck.Value, sr.CSRFToken
		}
	}
	// The request as the router sees it (its body was sent).
	vreq, _ := http.NewRequest(c.method, e.ts.URL+path, nil)
	vreq.Header = req.Header
	return vreq, res.StatusCode, res.Header, body
}

// registerStreamDecoders teaches openapi3filter the answers it does not
// read by itself: JSON lines are validated line by line against the
// declared schema, HTML, event streams and spreadsheets as text.
func registerStreamDecoders() {
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", ndjsonDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/xml", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
}

// ndjsonDecoder checks every line but the first against the schema and
// returns the first for openapi3filter to check.
func ndjsonDecoder(body io.Reader, _ http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 16<<20)
	var first any
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		n++
		if n == 1 {
			first = v
			continue
		}
		if err := schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
	}
	return first, sc.Err()
}

// closeObjects is an OpenAPI document in which every object schema that
// lists its properties and says nothing of others allows no others.
func closeObjects(t *testing.T, doc []byte) []byte {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["properties"].(map[string]any); ok && v["additionalProperties"] == nil {
				v["additionalProperties"] = false
			}
			for k, c := range v {
				if k != "example" && k != "examples" {
					walk(c)
				}
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(v)
	b, _ := json.Marshal(v)
	return b
}

// Every type of a body that encodes or decodes itself is described by
// customSchemas: reflection alone would describe its Go fields, not its JSON.
func TestOpenAPISchemasDescribed(t *testing.T) {
	s := New(Config{})
	g := newSchemaGen()
	doc := s.openAPIWith(g)
	if len(g.undescribed) > 0 {
		t.Errorf("types with their own JSON form missing from customSchemas: %v", g.undescribed)
	}
	b, _ := json.Marshal(doc)
	for _, want := range []string{`"PartialDate":{"description"`, `"pattern":"^([0-9]{4}`, `"contentEncoding":"base64"`, `"name":"countries"`, `"name":"offset"`, `"name":"cutoff"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the document lacks %s", want)
		}
	}
}
