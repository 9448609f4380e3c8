package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// TestSessionsInWorkspace: a session lives in the workspace, so another
// server on the same workspace (a replica, or this one restarted) knows
// it; it takes the user's current role at each request, and ends when the
// user is disabled or signs out. (Idle and absolute limits:
// workspace.TestSessions.)
func TestSessionsInWorkspace(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	ws, err := workspace.Open(ctx, filepath.Join(e.dir, "workspace.db"), workspace.Options{Audit: e.adb, Listings: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.srv.cfg.Workspace = ws
	for _, u := range []string{"ana", "ben"} {
		if _, err := ws.CreateUser(ctx, workspace.System("test"), u, audit.RoleAnalyst, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	signIn := func(user string) *http.Cookie {
		t.Helper()
		res, err := http.Post(e.ts.URL+"/v1/session", "application/json", strings.NewReader(`{"name": "`+user+`", "password": "correct horse battery"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for _, c := range res.Cookies() {
			if c.Name == SessionCookie {
				return c
			}
		}
		t.Fatalf("sign-in of %s: %d, no cookie", user, res.StatusCode)
		return nil
	}
	other := httptest.NewServer(New(e.srv.cfg).Handler()) // a replica
	defer other.Close()
	session := func(base string, c *http.Cookie) (SessionResponse, int) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/v1/session", nil)
		req.AddCookie(c)
		r := e.doReq(t, req)
		var sr SessionResponse
		if r.status == http.StatusOK {
			r.json(t, &sr)
		}
		return sr, r.status
	}
	ana := signIn("ana")
	first, st := session(e.ts.URL, ana)
	if st != http.StatusOK || first.User != "ana" || first.Role != audit.RoleAnalyst || first.CSRFToken == "" {
		t.Fatalf("session: %d %+v", st, first)
	}
	// The replica knows the session, with the same CSRF token.
	if sr, st := session(other.URL, ana); st != http.StatusOK || sr.User != "ana" || sr.CSRFToken != first.CSRFToken {
		t.Errorf("the session through the other server: %d %+v", st, sr)
	}
	// The user's new role applies to the session at once.
	if _, err := ws.SetRole(ctx, workspace.System("test"), "ana", audit.RoleApprover); err != nil {
		t.Fatal(err)
	}
	if sr, _ := session(other.URL, ana); sr.Role != audit.RoleApprover {
		t.Errorf("after the role change the session's role is %q", sr.Role)
	}
	// Signing out through one server ends the session on both.
	req, _ := http.NewRequest("DELETE", other.URL+"/v1/session", nil)
	req.AddCookie(ana)
	req.Header.Set(CSRFHeader, first.CSRFToken)
	if r := e.doReq(t, req); r.status != http.StatusOK {
		t.Fatalf("sign-out: %d %s", r.status, r.body)
	}
	if _, st := session(e.ts.URL, ana); st != http.StatusUnauthorized {
		t.Errorf("signed out through the replica, the session answers %d here", st)
	}
	// Disabling a user ends their session; another's goes on.
	ben, ana2 := signIn("ben"), signIn("ana")
	if _, err := ws.DisableUser(ctx, workspace.System("test"), "ben"); err != nil {
		t.Fatal(err)
	}
	if _, st := session(e.ts.URL, ben); st != http.StatusUnauthorized {
		t.Errorf("a disabled user's session answers %d, want 401", st)
	}
	if _, st := session(other.URL, ana2); st != http.StatusOK {
		t.Errorf("ana's session after ben was disabled: %d", st)
	}
	// The store keeps only hashes of the tokens.
	var plain, hashed int
	ws.DB().QueryRow(`SELECT count(*) FROM sessions WHERE token_hash = ? OR token_hash = ?`, ana2.Value, ben.Value).Scan(&plain)
	ws.DB().QueryRow(`SELECT count(*) FROM sessions WHERE token_hash = ?`, tokenHash(ana2.Value)).Scan(&hashed)
	if plain != 0 || hashed != 1 {
		t.Errorf("sessions stored: %d tokens as they are, %d of ana's by hash (want 0 and 1)", plain, hashed)
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
