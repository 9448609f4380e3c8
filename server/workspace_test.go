package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// newWorkspaceEnv is newEnv with a workspace, and a second approver key.
func newWorkspaceEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, Config{})
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
	return e
}

// A book with a listed bank (OFAC SDN 306, Banco Nacional de Cuba, as
// the bundled test excerpt lists it) and customers that match nothing.
const bookCSV = `Customer ID,Company Name,Customer Type,Country
B-001,Banco Nacional de Cuba,organization,CU
B-002,Nordic Timber AS,organization,NO
B-003,Hamburg Süd Logistik GmbH,organization,DE
,No Id Trading Ltd,organization,GB
`

func TestWorkspaceHTTP(t *testing.T) {
	e := newWorkspaceEnv(t)
	var imp ImportResponse
	e.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank", "analyst", "text/csv", strings.NewReader(bookCSV)).json(t, &imp)
	if imp.Created != 3 || imp.Failed != 1 || imp.Alerts == nil || len(imp.Alerts.Opened) == 0 || len(imp.Unscreened) != 0 {
		t.Fatalf("import: %+v alerts %+v", imp.ImportReport, imp.Alerts)
	}
	var page workspace.AlertPage
	e.get("/v1/alerts?queue=true", "auditor").json(t, &page)
	if page.Total == 0 || page.Alerts[0].SubjectID != "B-001" || !strings.HasPrefix(page.Alerts[0].Result.Engine.Version, "test") || len(page.Alerts[0].Result.Lists) == 0 {
		t.Fatalf("queue: %+v %+v", page, page.Alerts[0].Result.Engine)
	}
	id := page.Alerts[0].ID
	if page.Alerts[0].EntityFingerprint == "" || page.Alerts[0].Entity == nil {
		t.Fatalf("alert without the listing frozen: %+v", page.Alerts[0])
	}
	if r := e.get("/v1/alerts", "screener"); r.status != http.StatusForbidden {
		t.Fatalf("a screener read alerts: %d", r.status)
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/decision", id), "auditor", `{"outcome":"true_match","reason":"x"}`); r.status != http.StatusForbidden {
		t.Fatalf("an auditor decided: %d", r.status)
	}
	// The event stream sees the decision.
	events := e.stream(t, "/v1/events", "analyst")
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/decision", id), "approver", `{"outcome":"false_positive"}`); r.status != http.StatusBadRequest {
		t.Fatalf("decision without a reason: %d %s", r.status, r.body)
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/decision", id), "approver", `{"outcome":"true_match","reason":"our customer is this bank's branch"}`); r.status != 200 {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	select {
	case ev := <-events:
		if !strings.Contains(ev, "alert.decided") {
			t.Fatalf("event %q", ev)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no event")
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/approve", id), "approver", `{}`); r.status != http.StatusConflict || !strings.Contains(string(r.body), "four eyes") {
		t.Fatalf("self-approval: %d %s", r.status, r.body)
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/approve", id), "analyst", `{}`); r.status != http.StatusForbidden {
		t.Fatalf("analyst approval: %d", r.status)
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/approve", id), "approver2", `{"note":"seen"}`); r.status != 200 {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if r := e.post(fmt.Sprintf("/v1/alerts/%d/comments", id), "analyst", `{"text":"blocked, reported to OFAC within 10 business days"}`); r.status != 200 {
		t.Fatalf("comment: %d %s", r.status, r.body)
	}
	var a workspace.Alert
	e.get(fmt.Sprintf("/v1/alerts/%d", id), "auditor").json(t, &a)
	if a.Status != workspace.StatusTrueMatch || len(a.Decisions) != 1 || len(a.Comments) != 1 || len(a.History) < 3 {
		t.Fatalf("alert: %+v", a)
	}
	// The same book again: nothing new.
	before := page.Total
	imp = ImportResponse{}
	e.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank", "analyst", "text/csv", strings.NewReader(bookCSV)).json(t, &imp)
	if imp.Unchanged != 3 || imp.Alerts != nil {
		t.Fatalf("re-import: %+v %+v", imp.ImportReport, imp.Alerts)
	}
	e.get("/v1/alerts", "auditor").json(t, &page)
	if page.Total != before {
		t.Fatalf("re-import opened alerts: %d, was %d", page.Total, before)
	}
	// Ad-hoc screening with alerts.
	r := e.post("/v1/screen?alert=1", "screener", `{"name":"Banco Nacional de Cuba","type":"organization"}`)
	if r.status != 200 || r.header.Get("X-Alerts-Opened") == "" {
		t.Fatalf("ad-hoc alert: %d %q", r.status, r.header.Get("X-Alerts-Opened"))
	}
	// An alert asked for in a form not understood is refused, not screened
	// as if no alert had been asked for.
	if r := e.post("/v1/screen?alert=yes", "screener", `{"name":"Banco Nacional de Cuba"}`); r.status != http.StatusBadRequest {
		t.Fatalf("alert=yes: %d %s", r.status, r.body)
	}
	// Export for an examiner.
	x := e.get("/v1/alerts/export?format=csv&status=true_match", "auditor")
	rows, err := csv.NewReader(strings.NewReader(string(x.body))).ReadAll()
	if x.status != 200 || err != nil || len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "our customer is this bank's branch") {
		t.Fatalf("export: %d %v %q", x.status, err, x.body)
	}
	if r := e.get("/v1/alerts/export?format=pdf", "auditor"); r.status != http.StatusBadRequest {
		t.Fatalf("export pdf: %d", r.status)
	}
	// Subjects CRUD.
	var sr SubjectResponse
	e.post("/v1/subjects", "analyst", `{"id":"B-002","name":"Nordic Timber ASA","type":"organization","country":["NO"]}`).json(t, &sr)
	if sr.Change != "updated" || sr.Alerts == nil {
		t.Fatalf("put: %+v", sr)
	}
	if r := e.do("DELETE", "/v1/subjects/B-003", "analyst", "", nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	var sp workspace.SubjectPage
	e.get("/v1/subjects?limit=1", "auditor").json(t, &sp)
	if sp.Total != 2 || sp.Next != "B-001" {
		t.Fatalf("subjects: %+v", sp)
	}
	if r := e.get("/v1/subjects/B-003", "analyst"); r.status != http.StatusNotFound {
		t.Fatalf("deleted subject: %d", r.status)
	}
}

// stream reads server-sent events from path, one event a string.
func (e *env) stream(t *testing.T, path, role string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stream: %v %v", resp, err)
	}
	out := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev strings.Builder
		for sc.Scan() {
			line := sc.Text()
			if line == "" && ev.Len() > 0 {
				out <- ev.String()
				ev.Reset()
			} else if !strings.HasPrefix(line, ":") && line != "" {
				ev.WriteString(line + "\n")
			}
		}
	}()
	return out
}

func TestWorkspaceAbsent(t *testing.T) {
	e := newEnv(t, Config{})
	if r := e.get("/v1/alerts", "analyst"); r.status != http.StatusServiceUnavailable {
		t.Fatalf("no workspace: %d %s", r.status, r.body)
	}
}

// Subjects imported with screen=false wait for the monitor; a screened
// import leaves none waiting.
func TestWorkspaceImportUnscreened(t *testing.T) {
	e := newWorkspaceEnv(t)
	ws := e.srv.cfg.Workspace
	waiting := func() int {
		t.Helper()
		_, n, err := ws.UnscreenedMark(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	var imp ImportResponse
	e.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank&screen=false", "analyst", "text/csv", strings.NewReader(bookCSV)).json(t, &imp)
	if imp.Created != 3 || imp.Alerts != nil || waiting() != 3 {
		t.Fatalf("import without screening: %+v, %d waiting", imp.ImportReport, waiting())
	}
	changed := strings.Replace(bookCSV, "Nordic Timber AS", "Nordic Timber ASA", 1)
	e.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank", "analyst", "text/csv", strings.NewReader(changed)).json(t, &imp)
	if imp.Updated != 1 || imp.Alerts == nil || waiting() != 2 {
		t.Fatalf("import screening the changed subject: %+v, %d waiting (want the 2 unchanged, never screened)", imp.ImportReport, waiting())
	}
}
