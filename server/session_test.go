package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// TestSessionExpiry: a session ends after the idle limit without a
// request, after the absolute limit however busy, and when ended.
func TestSessionExpiry(t *testing.T) {
	st := newSessionStore(30*time.Minute, 12*time.Hour)
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	tok, _ := st.create("ana", audit.RoleAnalyst, t0)
	cases := []struct {
		at   time.Duration
		live bool
	}{
		{29 * time.Minute, true},  // within the idle limit
		{58 * time.Minute, true},  // 29 minutes after the last request
		{89 * time.Minute, false}, // 31 minutes idle
	}
	for _, c := range cases {
		if _, ok := st.get(tok, t0.Add(c.at)); ok != c.live {
			t.Errorf("at +%s: live %v, want %v", c.at, ok, c.live)
		}
	}
	busy, _ := st.create("bob", audit.RoleApprover, t0)
	for at := 20 * time.Minute; at < 12*time.Hour; at += 20 * time.Minute {
		if _, ok := st.get(busy, t0.Add(at)); !ok {
			t.Fatalf("a busy session ended at +%s, before the absolute limit", at)
		}
	}
	if _, ok := st.get(busy, t0.Add(12*time.Hour+time.Minute)); ok {
		t.Error("a busy session outlived the absolute limit of 12h")
	}
	ended, _ := st.create("cleo", audit.RoleApprover, t0)
	st.end(ended)
	if _, ok := st.get(ended, t0.Add(time.Minute)); ok {
		t.Error("a session signed out is still live")
	}
	if len(st.byHash) > 3 {
		t.Errorf("%d sessions kept", len(st.byHash))
	}
}

// TestSessionAuth: the cookie acts as the user (actor user:NAME in the
// workspace), a state-changing request without the CSRF token is refused,
// an API key can't use the session endpoints, failed sign-ins are limited.
func TestSessionAuth(t *testing.T) {
	e := newEnv(t, Config{AuthFailures: 3})
	ws, err := workspace.Open(context.Background(), filepath.Join(e.dir, "workspace.db"), workspace.Options{Audit: e.adb, Listings: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.srv.cfg.Workspace = ws
	if _, err := ws.CreateUser(context.Background(), workspace.System("test"), "ana", audit.RoleAnalyst, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	res, err := http.Post(e.ts.URL+"/v1/session", "application/json", strings.NewReader(`{"name": "ana", "password": "correct horse battery"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("sign-in: %d, no cookie", res.StatusCode)
	}
	csrf := ""
	{
		req, _ := http.NewRequest("GET", e.ts.URL+"/v1/session", nil)
		req.AddCookie(cookie)
		r := e.doReq(t, req)
		var sr SessionResponse
		r.json(t, &sr)
		csrf = sr.CSRFToken
	}
	put := func(token string) resp {
		req, _ := http.NewRequest("POST", e.ts.URL+"/v1/subjects", strings.NewReader(`{"id": "C-1", "name": "Nordic Timber AS", "no_screen": true}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(cookie)
		if token != "" {
			req.Header.Set(CSRFHeader, token)
		}
		return e.doReq(t, req)
	}
	if r := put(""); r.status != http.StatusForbidden {
		t.Errorf("a POST with the cookie and no CSRF token: %d, want 403", r.status)
	}
	if r := put("not-the-token"); r.status != http.StatusForbidden {
		t.Errorf("a POST with a wrong CSRF token: %d, want 403", r.status)
	}
	if r := put(csrf); r.status != http.StatusOK {
		t.Errorf("a POST with the CSRF token: %d %s", r.status, r.body)
	}
	recs, err := e.adb.List(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, r := range recs {
		if strings.Contains(string(r.Request), `"subject.`) || strings.Contains(string(r.Request), `session.signed_in`) {
			actors = append(actors, string(r.Request))
		}
	}
	if joined := strings.Join(actors, "\n"); !strings.Contains(joined, `"actor":"user:ana"`) || !strings.Contains(joined, "session.signed_in") {
		t.Errorf("the audit chain lacks the sign-in or the subject change by user:ana:\n%s", joined)
	}
	if r := e.get("/v1/session", "analyst"); r.status != http.StatusUnauthorized {
		t.Errorf("GET /v1/session with an API key: %d, want 401", r.status)
	}
	var last int
	for i := 0; i < 5; i++ {
		res, err := http.Post(e.ts.URL+"/v1/session", "application/json", strings.NewReader(`{"name": "ana", "password": "guess number one"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		last = res.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("the 5th wrong password in a minute (limit 3): %d, want 429", last)
	}
}

func (e *env) doReq(t *testing.T, req *http.Request) resp {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp{status: res.StatusCode, header: res.Header, body: []byte(b.String())}
}
