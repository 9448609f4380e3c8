package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/postgres"
	"github.com/lexscreen/lexscreen/store/storetest"
	"github.com/lexscreen/lexscreen/workspace"
)

// wsReplica is one server of several sharing a PostgreSQL database (lists
// and workspace); its audit log is its own file.
type wsReplica struct {
	t  *testing.T
	ts *httptest.Server
	ws *workspace.Store
}

func startWSReplica(t *testing.T, dsn string) *wsReplica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	adb, err := audit.Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.OpenPostgres(ctx, dsn, workspace.Options{Audit: adb, Listings: db})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Store: db, Audit: adb, Workspace: ws, EngineVersion: "test", PollInterval: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv.Start(ctx)
	r := &wsReplica{t: t, ts: httptest.NewServer(srv.Handler()), ws: ws}
	t.Cleanup(func() { r.ts.Close(); cancel(); ws.Close(); adb.Close(); db.Close() })
	for deadline := time.Now().Add(30 * time.Second); srv.Index() == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("index not loaded")
		}
	}
	return r
}

// userSession is a user signed in on one wsReplica.
type userSession struct {
	r            *wsReplica
	cookie, csrf string
}

func (r *wsReplica) signIn(name, password string) *userSession {
	r.t.Helper()
	res, err := http.Post(r.ts.URL+"/v1/session", "application/json", strings.NewReader(fmt.Sprintf(`{"name":%q,"password":%q}`, name, password)))
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	var sr SessionResponse
	if err := json.NewDecoder(res.Body).Decode(&sr); err != nil || res.StatusCode != 200 {
		r.t.Fatalf("sign in %s: %d %v", name, res.StatusCode, err)
	}
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie {
			return &userSession{r: r, cookie: c.Value, csrf: sr.CSRFToken}
		}
	}
	r.t.Fatal("no session cookie")
	return nil
}

func (u *userSession) do(method, path, ctype, body string) resp {
	u.r.t.Helper()
	req, err := http.NewRequest(method, u.r.ts.URL+path, strings.NewReader(body))
	if err != nil {
		u.r.t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: u.cookie})
	req.Header.Set(CSRFHeader, u.csrf)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		u.r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// Two servers on one PostgreSQL database: a book imported through one opens
// alerts the other lists; an alert decided through one is approved through
// the other; its maker is refused (four eyes) whichever server they use.
func TestTwoReplicasOnePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	lists, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := formats.Detect([]string{testdata + "2025-02-27"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if _, err := ingest.Job(ctx, lists, j, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	lists.Close()
	a, b := startWSReplica(t, dsn), startWSReplica(t, dsn)
	admin := workspace.Actor{ID: "system:test", Role: "admin"}
	for _, u := range [][2]string{{"ana", "analyst"}, {"bob", "approver"}, {"cleo", "approver"}} {
		if _, err := a.ws.CreateUser(ctx, admin, u[0], u[1], "correct horse "+u[0]); err != nil {
			t.Fatal(err)
		}
	}
	anaA, bobA, bobB, cleoB := a.signIn("ana", "correct horse ana"), a.signIn("bob", "correct horse bob"),
		b.signIn("bob", "correct horse bob"), b.signIn("cleo", "correct horse cleo")

	var imp ImportResponse
	anaA.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank", "text/csv", bookCSV).json(t, &imp)
	if imp.Created != 3 || imp.Alerts == nil || len(imp.Alerts.Opened) == 0 {
		t.Fatalf("import through a: %+v alerts %+v", imp.ImportReport, imp.Alerts)
	}
	var page workspace.AlertPage
	cleoB.do("GET", "/v1/alerts?queue=true", "", "").json(t, &page)
	if page.Total != len(imp.Alerts.Opened) || page.Alerts[0].SubjectID != "B-001" {
		t.Fatalf("b's queue: %d alerts, a opened %d: %+v", page.Total, len(imp.Alerts.Opened), page.Alerts)
	}
	id := page.Alerts[0].ID

	// Bob decides through a; he may not approve through b; Cleo does.
	if r := bobA.do("POST", fmt.Sprintf("/v1/alerts/%d/decision", id), "application/json", `{"outcome":"false_positive","reason":"our customer is a different bank"}`); r.status != 200 {
		t.Fatalf("decide through a: %d %s", r.status, r.body)
	}
	if r := bobB.do("POST", fmt.Sprintf("/v1/alerts/%d/approve", id), "application/json", `{}`); r.status != http.StatusConflict || !strings.Contains(string(r.body), "four eyes") {
		t.Fatalf("the maker approved through the other server: %d %s", r.status, r.body)
	}
	if r := cleoB.do("POST", fmt.Sprintf("/v1/alerts/%d/approve", id), "application/json", `{"note":"checked the registry"}`); r.status != 200 {
		t.Fatalf("approve through b: %d %s", r.status, r.body)
	}
	var al workspace.Alert
	anaA.do("GET", fmt.Sprintf("/v1/alerts/%d", id), "", "").json(t, &al)
	if al.Status != workspace.StatusFalsePositive || len(al.Decisions) != 1 || al.Decisions[0].Maker != "user:bob" || al.Decisions[0].Checker != "user:cleo" {
		t.Fatalf("a sees %s, decisions %+v", al.Status, al.Decisions)
	}
	// The same book through b: nothing changed, nothing opened.
	var again ImportResponse
	cleoB.do("POST", "/v1/subjects/import?name=book.csv&operator=us-bank", "text/csv", bookCSV).json(t, &again)
	if again.Unchanged != 3 || again.Alerts != nil && len(again.Alerts.Opened) != 0 {
		t.Fatalf("re-import through b: %+v, alerts %+v", again.ImportReport, again.Alerts)
	}
}
