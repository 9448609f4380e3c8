package web

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen/server"
)

// TestBatchFlow uploads a semicolon-separated customer file in a browser,
// follows the progress to the end, checks the hits and the row that
// could not be screened, downloads the results in the three formats and
// opens alerts for the hits.
func TestBatchFlow(t *testing.T) {
	e := theEnv(t)
	tb := e.login("ana")
	tb.open("/ui/batch")
	tb.axeCheck("the batch upload form")
	file, _ := filepath.Abs("testdata/customers.csv")
	tb.run(chromedp.SetUploadFiles(chromedp.CSS("#b-file"), []string{file}),
		chromedp.SetValue(chromedp.CSS("#b-operator"), "us-bank"),
		chromedp.Click(chromedp.CSS("#b-start")),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="format=csv"]`))) // shown once done (htmx polled till then)
	body := tb.text("#content")
	for _, want := range []string{"6 of 6 rows", "2 hits", "1 row not screened", "HAVANATUR", "EMPRESA CUBANA DE AVIACION"} {
		if !strings.Contains(body, want) {
			t.Errorf("the finished batch lacks %q: %.1500s", want, body)
		}
	}
	tb.axeCheck("a finished batch")
	tb.screenshot("batch")
	jobPath := tb.location()

	// The downloads, with ana's cookie.
	sess := e.sessionCookie(t, "ana") // the tab's cookie is HttpOnly: a session of ana's own

	fetch := func(format string) []byte {
		req, _ := http.NewRequest("GET", e.url+jobPath+"/results?format="+format, nil)
		req.AddCookie(sess)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("results as %s: %d %.300s", format, res.StatusCode, b)
		}
		return b
	}
	recs, err := csv.NewReader(bytes.NewReader(fetch("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	for _, r := range recs[1:] {
		statuses[r[4]]++
	}
	if statuses["error"] != 1 || statuses["no match"] != 3 || statuses["match"] < 2 {
		t.Errorf("CSV results by status %v: want 1 error, 3 without a match, 2 or more matches", statuses)
	}
	x, err := excelize.OpenReader(bytes.NewReader(fetch("xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := x.GetRows(x.GetSheetName(0))
	if len(xrows) != len(recs) {
		t.Errorf("XLSX has %d rows, the CSV %d", len(xrows), len(recs))
	}
	if lines := bytes.Count(fetch("jsonl"), []byte("\n")); lines != 6 {
		t.Errorf("JSON lines: %d lines, want 6 (one per record)", lines)
	}

	tb.submit("#b-alerts", ".flash")
	if n := get(tb, chromedp.Evaluate[int](`document.querySelectorAll('#content a[href^="/ui/alerts/"]').length`)); n < 2 {
		t.Errorf("%d alerts opened for the 2 hits", n)
	}
}

// sessionCookie signs a user in over HTTP and returns the session cookie.
func (e *uiEnv) sessionCookie(t *testing.T, user string) *http.Cookie {
	t.Helper()
	res, err := http.Post(e.url+"/v1/session", "application/json", strings.NewReader(`{"name": "`+user+`", "password": "`+testPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == server.SessionCookie {
			return c
		}
	}
	t.Fatalf("sign-in of %s: %d, no cookie", user, res.StatusCode)
	return nil
}

// TestBatchOnlyOwner: another user can't see or download someone's batch.
func TestBatchOnlyOwner(t *testing.T) {
	e := theEnv(t)
	j := &batchJob{Owner: "ana", File: "x.csv", Started: time.Now(), finished: time.Now()}
	e.ui.jobs.add(j)
	req, _ := http.NewRequest("GET", e.url+"/ui/batch/"+j.ID+"/results?format=csv", nil)
	req.AddCookie(e.sessionCookie(t, "bob"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("bob downloading ana's batch: %d, want 404", res.StatusCode)
	}
}
