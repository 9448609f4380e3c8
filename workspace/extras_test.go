package workspace

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
)

func TestExport(t *testing.T) { onEachBackend(t, testExport) }

func testExport(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	// A customer name that a spreadsheet would run as a formula.
	id := f.found(t, "r", subject("C-9", "=HYPERLINK(\"x\") Bout", ""), boutEntity()).Opened[0]
	if _, err := f.s.Decide(ctx, analyst, id, DecisionInput{Outcome: OutcomeTrueMatch, Reason: "same passport"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Check(ctx, approver, id, true, ""); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n, err := f.s.Export(ctx, &b, "alerts", FormatCSV, AlertFilter{})
	if err != nil || n != 1 {
		t.Fatalf("csv: %d %v", n, err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows: %v %v", rows, err)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	if col["status"] != "true_match" || col["checker"] != approver.ID || !strings.HasPrefix(col["subject_name"], "'=") ||
		!strings.Contains(col["obligations"], "31 CFR 501.603") || !strings.Contains(col["lists"], "us-ofac-sdn 2026-01-14") {
		t.Fatalf("csv row: %v", col)
	}
	b.Reset()
	if _, err := f.s.Export(ctx, &b, "decisions", FormatXLSX, AlertFilter{}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	xr, _ := x.GetRows("decisions")
	if len(xr) != 2 || xr[1][4] != "true_match" {
		t.Fatalf("xlsx: %v", xr)
	}
	b.Reset()
	if _, err := f.s.Export(ctx, &b, "alerts", FormatJSON, AlertFilter{Status: []string{StatusOpen}}); err != nil {
		t.Fatal(err)
	}
	var j struct{ Alerts []Alert }
	if err := json.Unmarshal(b.Bytes(), &j); err != nil || j.Alerts == nil || len(j.Alerts) != 0 {
		t.Fatalf("json open alerts: %s %v", b.String(), err)
	}
	if _, err := f.s.Export(ctx, &b, "alerts", "pdf", AlertFilter{}); code(err) != lexscreen.EINVALID {
		t.Fatalf("pdf: %v", err)
	}
}

func TestUsers(t *testing.T) { onEachBackend(t, testUsers) }

func testUsers(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.s.CreateUser(ctx, System("cli"), "ana", "analyst", "short"); code(err) != lexscreen.EINVALID {
		t.Fatalf("short password: %v", err)
	}
	if _, err := f.s.CreateUser(ctx, System("cli"), "ana", "boss", ""); code(err) != lexscreen.EINVALID {
		t.Fatalf("unknown role: %v", err)
	}
	u, err := f.s.CreateUser(ctx, System("cli"), "ana", "analyst", "correct horse battery")
	if err != nil || !u.HasPassword {
		t.Fatal(u, err)
	}
	if _, err := f.s.CreateUser(ctx, System("cli"), "ana", "analyst", ""); code(err) != lexscreen.ECONFLICT {
		t.Fatalf("duplicate: %v", err)
	}
	if v, err := f.s.VerifyPassword(ctx, "ana", "correct horse battery"); err != nil || v.Actor().ID != "user:ana" || v.Actor().Role != "analyst" {
		t.Fatal(v, err)
	}
	for _, c := range [][2]string{{"ana", "correct horse batter"}, {"bob", "correct horse battery"}, {"ana", ""}} {
		if _, err := f.s.VerifyPassword(ctx, c[0], c[1]); err == nil {
			t.Errorf("verified %q / %q", c[0], c[1])
		}
	}
	if err := f.s.SetPassword(ctx, System("cli"), "ana", "another long secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.VerifyPassword(ctx, "ana", "correct horse battery"); err == nil {
		t.Error("old password still works")
	}
	var stored string
	f.s.DB().QueryRow(`SELECT password FROM users WHERE name = 'ana'`).Scan(&stored)
	if !strings.HasPrefix(stored, "$argon2id$") || strings.Contains(stored, "another") {
		t.Errorf("stored password: %q", stored)
	}
}

// Webhooks are signed, retried with back-off and dead-lettered; the event
// stream sees the events too.
func TestWebhooksAndEvents(t *testing.T) { onEachBackend(t, testWebhooksAndEvents) }

func testWebhooksAndEvents(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	var calls atomic.Int32
	var secret string
	var bad atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("X-Lexscreen-Timestamp"), 10, 64)
		if r.Header.Get("X-Lexscreen-Signature") != Sign(secret, ts, body) {
			bad.Store(true)
		}
		if calls.Add(1) <= 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	w, err := f.s.AddWebhook(ctx, System("cli"), srv.URL, []string{EventAlertOpened})
	if err != nil {
		t.Fatal(err)
	}
	secret = w.Secret
	dead, _ := f.s.AddWebhook(ctx, System("cli"), "http://127.0.0.1:1/nowhere", nil)
	events, done := f.s.Subscribe()
	defer done()
	f.found(t, "r", subject("C-1", "Viktor Bout", ""), boutEntity())
	select {
	case e := <-events:
		if e.Type != EventAlertOpened || e.Alert == 0 {
			t.Fatalf("event %+v", e)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no event on the stream")
	}
	snd := &Sender{Store: f.s, MaxAttempts: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Client: &http.Client{Timeout: 2 * time.Second}}
	snd.Run(canceled())
	for i := 0; i < 3; i++ {
		time.Sleep(5 * time.Millisecond)
		snd.SendDue(ctx)
	}
	if calls.Load() != 2 || bad.Load() {
		t.Fatalf("webhook calls %d (want a failure then a success), bad signature %v", calls.Load(), bad.Load())
	}
	ds, _ := f.s.Deliveries(ctx, "dead", 10)
	if len(ds) != 1 || ds[0].WebhookID != dead.ID || ds[0].Attempts != 2 || ds[0].LastError == "" {
		t.Fatalf("dead letters: %+v", ds)
	}
	ok, _ := f.s.Deliveries(ctx, "delivered", 10)
	if len(ok) != 1 {
		t.Fatalf("delivered: %+v", ok)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
