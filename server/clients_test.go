package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// newClientsEnv is the yente environment plus an FtM export (OpenSanctions'
// zala fixture: 91 linked entities, sanctions of some 20 authorities).
func newClientsEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	cfg.RateLimit, cfg.MaxListAge = -1, -1
	e := newEnvSync(t, cfg, "normal")
	importDir(t, e.db, "testdata/ftm/zala")
	importDir(t, e.db, "../bundled/icc")
	importDir(t, e.db, testdata+"2025-12-24")
	if _, err := e.srv.Reload(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) raw(method, path string, hdr map[string]string, body string) resp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b.Bytes()}
}

const zalaPerson = "NK-2Tbri3s6GgNtAwsSXh4qpL" // Maria Aleksandrovna Osetrova, born 1988-01-07

// The key as Marble (?api_key, Basic), nomenklatura (ApiKey) and curl
// (Bearer) send it; a key in the URL never reaches a handler or the log.
func TestClientAuthForms(t *testing.T) {
	e := newClientsEnv(t, Config{})
	var logs bytes.Buffer
	e.srv.log = slog.New(slog.NewJSONHandler(&logs, nil))
	key := e.keys["screener"]
	body := `{"queries": {"q": {"schema": "Person", "properties": {"name": ["Maria Osetrova"]}}}}`
	for _, c := range []struct {
		name, path string
		hdr        map[string]string
		want       int
	}{
		{"bearer", "/match/default", map[string]string{"Authorization": "Bearer " + key}, 200},
		{"apikey", "/match/default", map[string]string{"Authorization": "ApiKey " + key}, 200},
		{"basic", "/match/default", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("marble:"+key))}, 200},
		{"query", "/match/default?api_key=" + key + "&algorithm=logic-v1", nil, 200},
		{"query wrong", "/match/default?api_key=nope", nil, 401},
		{"basic no colon", "/match/default", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(key))}, 401},
		{"unknown scheme", "/match/default?api_key=" + key, map[string]string{"Authorization": "Digest x"}, 401},
		{"none", "/match/default", nil, 401},
	} {
		c.hdr = mergeHdr(c.hdr, map[string]string{"Content-Type": "application/json"})
		if r := e.raw("POST", c.path, c.hdr, body); r.status != c.want {
			t.Errorf("%s: %d, want %d: %.200s", c.name, r.status, c.want, r.body)
		}
	}
	if strings.Contains(logs.String(), key) || strings.Contains(logs.String(), "api_key") {
		t.Errorf("the log holds the key: %s", logs.String())
	}
}

func mergeHdr(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// Browsers' preflights need no key; discovery opens only with the setting.
func TestClientCORSAndDiscovery(t *testing.T) {
	e := newClientsEnv(t, Config{})
	r := e.raw("OPTIONS", "/match/default", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}, "")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	if r := e.get("/catalog", "screener"); r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("catalog without CORS headers")
	}
	if r := e.get("/catalog", ""); r.status != 401 {
		t.Errorf("catalog without key, discovery closed: %d", r.status)
	}
	open := newClientsEnv(t, Config{OpenDiscovery: true})
	for _, p := range []string{"/catalog", "/algorithms", "/reconcile"} {
		if r := open.get(p, ""); r.status != 200 {
			t.Errorf("%s without key, discovery open: %d %s", p, r.status, r.body)
		}
	}
	for _, p := range []string{"/reconcile?queries=" + url.QueryEscape(`{"q":{"query":"Karim Khan"}}`), "/entities/" + zalaPerson, "/search/default?q=Khan"} {
		if r := open.get(p, ""); r.status != 401 {
			t.Errorf("%s without key, discovery open: %d", p, r.status)
		}
	}
}

// yente's shapes: FtM ids kept, entity look-up, catalog, algorithms,
// total before the limit, 422 for a missing schema.
func TestClientYenteShapes(t *testing.T) {
	e := newClientsEnv(t, Config{})
	ids, res, r := e.yenteMatch(t, "limit=1", `{"schema": "Person", "properties": {"name": ["Maria Aleksandrovna Osetrova"], "birthDate": [1988]}}`)
	if r.status != 200 || len(ids) != 1 || ids[0] != zalaPerson {
		t.Fatalf("match: %d %v %.300s", r.status, ids, r.body)
	}
	x := res.Results[0]
	for _, p := range []string{"birthDate", "nationality", "idNumber", "alias", "address", "topics"} {
		if len(x.Properties[p]) == 0 {
			t.Errorf("result lacks FtM property %s: %v", p, x.Properties)
		}
	}
	if len(x.Referents) == 0 || x.FirstSeen == "" || x.LastChange == "" {
		t.Errorf("result lacks referents or dates: %+v", x)
	}
	if res.Total.Value < len(res.Results) {
		t.Errorf("total %d below results %d", res.Total.Value, len(res.Results))
	}
	ids, _, _ = e.yenteMatch(t, "exclude_entity_ids="+zalaPerson, `{"schema": "Person", "properties": {"name": ["Maria Aleksandrovna Osetrova"]}}`)
	for _, id := range ids {
		if id == zalaPerson {
			t.Errorf("exclude_entity_ids with the FtM id left it in")
		}
	}
	var ent struct {
		ID, Schema          string
		FirstSeen           string `json:"first_seen"`
		LastSeen            string `json:"last_seen"`
		LastChange          string `json:"last_change"`
		Properties          map[string][]any
		Referents, Datasets []string
		Target              bool
	}
	r = e.get("/entities/"+zalaPerson, "screener")
	r.json(t, &ent)
	if r.status != 200 || ent.ID != zalaPerson || ent.Schema != "Person" || !ent.Target || len(ent.Referents) == 0 || ent.FirstSeen == "" || ent.LastSeen == "" {
		t.Errorf("entity: %d %.400s", r.status, r.body)
	}
	r = e.get("/entities/"+khanOFAC, "screener")
	r.json(t, &ent)
	if r.status != 200 || len(ent.Properties["sanctions"]) == 0 || len(ent.Properties["birthDate"]) == 0 || ent.FirstSeen == "" || ent.LastChange == "" {
		t.Errorf("entity of a list lexscreen reads itself: %d %.400s", r.status, r.body)
	}
	if r := e.get("/entities/NK-nope", "screener"); r.status != 404 || !strings.Contains(string(r.body), `"detail"`) {
		t.Errorf("unknown entity: %d %s", r.status, r.body)
	}
	var cat yenteCatalog
	e.get("/catalog", "screener").json(t, &cat)
	if v := cat.Datasets[0].IndexVersion; v == nil || !regexp.MustCompile(`^\d{14}-[a-z0-9]{3}$`).MatchString(*v) {
		t.Errorf("index_version %v", v)
	}
	names := strings.Join(cat.Datasets[0].Children, ",")
	if !strings.Contains(names, "us_ofac_sdn") || strings.Contains(names, "-") {
		t.Errorf("catalog dataset names: %s", names)
	}
	if _, _, r := e.yenteMatch(t, "include_dataset=us_ofac_sdn", person("Karim Khan")); r.status != 200 {
		t.Errorf("FtM dataset name refused: %s", r.body)
	}
	var algos yenteAlgorithms
	e.get("/algorithms", "screener").json(t, &algos)
	if algos.Default == "" || len(algos.Algorithms) < 2 {
		t.Errorf("algorithms: %+v", algos)
	}
	r = e.post("/match/default", "screener", `{"queries": {"a": {"properties": {"name": ["x"]}}}}`)
	if r.status != 422 || !strings.Contains(string(r.body), `"loc":["body","queries","a","schema"]`) {
		t.Errorf("missing schema: %d %s", r.status, r.body)
	}
	var sr yenteSearchResponse
	e.get("/search/default?q=Karim+Khan&limit=1&offset=1", "screener").json(t, &sr)
	if sr.Offset != 1 || len(sr.Results) != 1 || sr.Total.Value < 2 || len(sr.Facets["datasets"].Values) == 0 {
		t.Errorf("search: %+v", sr)
	}
}

// The Prometheus metrics pass promlint and carry the per-list ages.
func TestClientMetricsLint(t *testing.T) {
	e := newClientsEnv(t, Config{})
	e.post("/match/default", "screener", `{"queries": {"q": `+person("Karim Khan")+`}}`)
	problems, err := testutil.GatherAndLint(e.srv.metrics.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "lexscreen_") {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
	body := string(e.get("/metrics", "").body)
	for _, want := range []string{`lexscreen_list_age_seconds{source="us-ofac-sdn"}`, `lexscreen_screening_duration_seconds_count{kind="match"} 1`,
		"lexscreen_index_reload_duration_seconds_count", "lexscreen_index_last_reload_success_timestamp_seconds"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
