package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/workspace"
)

// client is a plain HTTP client (no JavaScript) signed in as a user, with
// the session's CSRF token.
type client struct {
	t    testing.TB
	e    *uiEnv
	c    *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// httpLogin signs in through the sign-in form, as a browser without
// JavaScript does.
func (e *uiEnv) httpLogin(t testing.TB, user string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &client{t: t, e: e, c: &http.Client{Jar: jar}}
	_, body := cl.post("/ui/login", url.Values{"name": {user}, "password": {testPassword}})
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("signed in as %s, the page has no CSRF token: %.500s", user, body)
	}
	cl.csrf = m[1]
	return cl
}

func (cl *client) do(req *http.Request) (int, string) {
	cl.t.Helper()
	res, err := cl.c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (cl *client) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", cl.e.url+path, nil)
	return cl.do(req)
}

func (cl *client) post(path string, form url.Values) (int, string) {
	if cl.csrf != "" && form.Get("csrf_token") == "" {
		form.Set("csrf_token", cl.csrf)
	}
	req, _ := http.NewRequest("POST", cl.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return cl.do(req)
}

// TestPagesWithoutJavaScript walks the analyst's flow with plain forms
// and links (no htmx): screen, open an alert, find it in the queue,
// decide, approve as another user.
func TestPagesWithoutJavaScript(t *testing.T) {
	e := theEnv(t)
	ana := e.httpLogin(t, "ana")
	status, body := ana.post("/ui/screen", url.Values{"name": {"Cubanatur"}, "type": {"organization"}, "operator": {"eu-subsidiary-of-us-bank"}, "alert": {"1"}})
	ids := regexp.MustCompile(`href="/ui/alerts/(\d+)"`).FindStringSubmatch(body)
	if status != 200 || ids == nil {
		t.Fatalf("screen and open an alert without JavaScript: %d, no alert link: %.1500s", status, body)
	}
	alert := "/ui/alerts/" + ids[1]
	if _, body = ana.get("/ui/alerts?filtered=1&status=open&operator=eu-subsidiary-of-us-bank"); !strings.Contains(body, `href="`+alert+`"`) {
		t.Errorf("the queue filtered by operator lacks %s", alert)
	}
	if status, body = ana.post(alert+"/decision", url.Values{"outcome": {"false_positive"}, "reason": {""}}); status != http.StatusBadRequest || !strings.Contains(body, "reason") {
		t.Errorf("a decision without a reason: %d, want 400 saying the reason is required", status)
	}
	if status, _ = ana.post(alert+"/decision", url.Values{"outcome": {"true_match"}, "reason": {"the Cuban state travel agency"}}); status != 200 {
		t.Errorf("decide: %d", status)
	}
	if status, body = ana.post(alert+"/approve", url.Values{"approve": {"1"}}); status != http.StatusForbidden {
		t.Errorf("an analyst approving: %d, want 403: %.300s", status, body)
	}
	bob := e.httpLogin(t, "bob")
	if status, body = bob.post(alert+"/approve", url.Values{"approve": {"0"}}); status != http.StatusBadRequest || !strings.Contains(body, "note") {
		t.Errorf("rejecting without a note: %d, want 400 asking for the note", status)
	}
	if status, body = bob.post(alert+"/approve", url.Values{"approve": {"1"}, "note": {"seen the licence file"}}); status != 200 || !strings.Contains(body, "True match") {
		t.Errorf("approve as another user: %d: %.500s", status, body)
	}
}

// TestAlertChanges renders what changed since an earlier alert on the same
// pair (a re-alert after the listing gained an alias and a date of birth).
func TestAlertChanges(t *testing.T) {
	e := theEnv(t)
	a := workspace.Alert{ID: 7, Status: workspace.StatusOpen, SubjectID: "C-0042", EntityID: "us-ofac-sdn:306", EntityName: "BANCO NACIONAL DE CUBA",
		Subject:  lexscreen.Subject{ID: "C-0042", Query: lexscreen.Query{Name: "Banco Nacional de Cuba"}, Operator: "eu-bank"},
		Previous: 3, Opened: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		Changes: &workspace.Changes{PreviousStatus: workspace.StatusFalsePositive, Summary: "the listing changed; listing names added NATIONAL BANK OF CUBA",
			Listing: &workspace.FingerprintChange{Old: "a1", New: "b2"},
			Fields:  []workspace.FieldChange{{Side: "listing", Field: "names", Added: []string{"NATIONAL BANK OF CUBA"}, Removed: []string{"BNC"}}}}}
	var sb strings.Builder
	if err := e.ui.pages["alert.html"].ExecuteTemplate(&sb, "base", page{Title: "Alert 7", Data: &alertData{Alert: a}}); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{"What changed since alert 3", "<ins>NATIONAL BANK OF CUBA</ins>", "<del>BNC</del>", "False positive"} {
		if !strings.Contains(out, want) {
			t.Errorf("the re-alert's page lacks %q", want)
		}
	}
}

// TestPageServerTime measures the server time of the pages (the UI's own
// record, what Server-Timing says): p95 under 200 ms is the goal; the
// test fails only past 2 s, as the test machine may be loaded.
func TestPageServerTime(t *testing.T) {
	e := theEnv(t)
	ana := e.httpLogin(t, "ana")
	paths := []string{"/ui/screen", "/ui/alerts", "/ui/batch", "/ui/alerts?filtered=1&status=true_match"}
	before := time.Now()
	for i := 0; i < 20; i++ {
		for _, p := range paths {
			if status, _ := ana.get(p); status != 200 {
				t.Fatalf("%s: %d", p, status)
			}
		}
		ana.post("/ui/screen", url.Values{"name": {fmt.Sprintf("Havanatur %d", i)}, "operator": {"us-bank"}})
	}
	p50, p95, n := e.ui.PageTimes()
	t.Logf("page server time over the last %d pages (of %d served, %s): p50 %s, p95 %s", min(n, 1024), n, time.Since(before).Round(time.Millisecond), p50, p95)
	if p95 > 2*time.Second {
		t.Errorf("p95 page server time %s", p95)
	}
}

// TestStatic: the vendored htmx and the style sheet are served, no
// directory is listed, and pages carry the security headers.
func TestStatic(t *testing.T) {
	e := theEnv(t)
	for path, want := range map[string]int{"/ui/static/vendor/htmx.min.js": 200, "/ui/static/style.css": 200,
		"/ui/static/vendor/": 404, "/ui/static/": 404, "/ui/static/vendor/VERSIONS": 200} {
		res, err := http.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
	res, err := http.Get(e.url + "/ui/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the sign-in page's headers: CSP %q, X-Frame-Options %q", csp, res.Header.Get("X-Frame-Options"))
	}
}
