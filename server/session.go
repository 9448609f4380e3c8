package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// Sign-in of the workspace's users (issue 13's "users with passwords over
// HTTP", the web interface's log-in). POST /v1/session checks a user's name
// and password (argon2id, workspace.VerifyPassword) and issues a session
// token in a cookie: HttpOnly, SameSite=Strict, Secure when the request came
// over TLS. The workspace keeps only the SHA-256 of the token, so sessions
// are shared by replicas and outlive a restart. A session ends after
// SessionIdle without a request, after SessionMax in all, at DELETE
// /v1/session, or when its user is disabled or given a new password; it
// acts with the user's role as it is at each request.
//
// A request authenticated by the cookie acts as the user (actor user:NAME,
// the user's role), so four eyes compares people, not keys. A state-changing
// request authenticated by the cookie must carry the session's CSRF token in
// the X-CSRF-Token header; without it, it is refused (403). Failed sign-ins
// count against the client address like bad API keys (AuthFailures), and
// every sign-in, failed sign-in and sign-out is written to the audit chain.

// SessionCookie is the name of the session cookie.
const SessionCookie = "lexscreen_session"

// CSRFHeader is the header carrying a session's CSRF token.
const CSRFHeader = "X-CSRF-Token"

// Default session lifetimes (Config.SessionIdle, Config.SessionMax).
const (
	DefaultSessionIdle = 30 * time.Minute
	DefaultSessionMax  = 12 * time.Hour
)

// SessionRequest is the body of POST /v1/session (JSON or a form).
type SessionRequest struct {
	Name     string `json:"name" example:"ana"`
	Password string `json:"password" example:"correct horse battery"`
}

// SessionResponse describes a session: the user, the role, the CSRF token
// state-changing requests must send, and when the session ends.
type SessionResponse struct {
	User      string    `json:"user" example:"ana"`
	Role      string    `json:"role" example:"analyst"`
	CSRFToken string    `json:"csrf_token" doc:"send it in the X-CSRF-Token header of every POST, PUT, PATCH or DELETE made with the session cookie"`
	Expires   time.Time `json:"expires" doc:"the latest the session can last (the absolute limit); it ends sooner after the idle limit without a request"`
	IdleLimit string    `json:"idle_limit" example:"30m0s"`
}

// SignedOut is the answer of DELETE /v1/session.
type SignedOut struct {
	SignedOut string `json:"signed_out" doc:"the user whose session ended"`
}

// session is a signed-in user's session.
type session struct {
	user, role string
	csrf       string
	created    time.Time
}

// sessionStore keeps the sessions in the workspace (workspace/sessions.go),
// by the SHA-256 of their token: every replica on a shared database sees
// them, a restart signs nobody out, and a session takes its user's current
// role (and ends when the user is disabled) at every request. The CSRF
// token is derived from the session token, so it needs no storage.
type sessionStore struct {
	ws  *workspace.Store
	lim workspace.SessionLimits
}

// sessions is the store of the server's sessions, nil without a workspace
// (hence without users).
func (s *Server) sessions() *sessionStore {
	if s.cfg.Workspace == nil {
		return nil
	}
	return &sessionStore{ws: s.cfg.Workspace, lim: workspace.SessionLimits{Idle: s.cfg.SessionIdle, Max: s.cfg.SessionMax}}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session token.
func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// csrfOf is the CSRF token of a session token: a page's script can send it
// while it can't read the HttpOnly cookie, and another site can't make it.
func csrfOf(tok string) string {
	h := sha256.Sum256([]byte("lexscreen csrf\x00" + tok))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// create starts a session of user and returns its token.
func (st *sessionStore) create(ctx context.Context, user, role string, now time.Time) (string, session, error) {
	tok := randomToken()
	if err := st.ws.StartSession(ctx, tokenHash(tok), user, now, st.lim); err != nil {
		return "", session{}, err
	}
	return tok, session{user: user, role: role, csrf: csrfOf(tok), created: now}, nil
}

// get returns the live session of a token (ENOTFOUND when there is none)
// and marks it seen.
func (st *sessionStore) get(ctx context.Context, tok string, now time.Time) (session, error) {
	ses, err := st.ws.SessionOf(ctx, tokenHash(tok), now, st.lim)
	if err != nil {
		return session{}, err
	}
	return session{user: ses.User.Name, role: ses.User.Role, csrf: csrfOf(tok), created: ses.Created}, nil
}

// end ends the session of a token.
func (st *sessionStore) end(ctx context.Context, tok string) error {
	return st.ws.EndSession(ctx, tokenHash(tok))
}

// sessionCtxKey holds the session of a request authenticated by cookie.
const sessionCtxKey ctxKey = 1

// sessionOf returns the session a request was authenticated with, if any.
func sessionOf(r *http.Request) (session, bool) {
	s, ok := r.Context().Value(sessionCtxKey).(session)
	return s, ok
}

// stateChanging reports whether a method changes state (needs CSRF).
func stateChanging(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// cookieSession authenticates a request by its session cookie: the key
// standing for the user and the session, or why it is refused with the
// status to answer ("" and ok false when there is no cookie at all).
func (s *Server) cookieSession(r *http.Request, now time.Time) (k audit.Key, sess session, status int, refusal string, ok bool) {
	c, err := r.Cookie(SessionCookie)
	st := s.sessions()
	if err != nil || c.Value == "" || st == nil {
		return k, sess, 0, "", false
	}
	sess, err = st.get(r.Context(), c.Value, now)
	switch {
	case lexscreen.ErrorCode(err) == lexscreen.ENOTFOUND:
		return k, sess, http.StatusUnauthorized, "the session ended (signed out, idle longer than " + s.cfg.SessionIdle.String() + ", or the user was disabled or given a new password): sign in again", false
	case err != nil:
		return k, sess, http.StatusServiceUnavailable, "the session could not be checked, so the request was not done: " + err.Error(), false
	}
	if stateChanging(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) != 1 {
			return k, sess, http.StatusForbidden, "a request changing state with the session cookie needs the session's CSRF token in the " + CSRFHeader + " header (reload the page and try again)", false
		}
	}
	return audit.Key{ID: "user:" + sess.user, Role: sess.role, Name: sess.user}, sess, 0, "", true
}

func (s *Server) sessionRoutes() []route {
	return []route{
		{Method: "POST", Path: "/v1/session", Public: true, Summary: "Sign in with a user's name and password: a session cookie for the web interface",
			Description: "Checks the name and password of a workspace user (lexscreen users create NAME --role ROLE --password-stdin) and sets the session cookie lexscreen_session (HttpOnly, SameSite=Strict, Secure over TLS). Requests with the cookie act as the user (actor user:NAME); those that change state must send the answer's csrf_token in the X-CSRF-Token header. Failed sign-ins count against the client address like bad API keys (429 past the limit). Every sign-in is in the audit chain.",
			Request:     SessionRequest{}, AltRequests: map[string]any{"application/x-www-form-urlencoded": SessionRequest{}},
			Response: SessionResponse{}, Example: `{"name": "ana", "password": "correct horse battery"}`,
			Answers: []answer{{Status: http.StatusUnauthorized, Description: "unknown user, wrong password or a user without a password"}},
			handler: s.handleSignIn},
		{Method: "GET", Path: "/v1/session", Role: roleSession, Summary: "The session of the cookie sent: user, role, CSRF token",
			Response: SessionResponse{}, handler: s.handleSession},
		{Method: "DELETE", Path: "/v1/session", Role: roleSession, Summary: "Sign out: end the session of the cookie sent",
			Response: SignedOut{}, handler: s.handleSignOut},
	}
}

// roleSession is the least role of the session endpoints: anyone signed
// in with the cookie (an API key is refused: it has no session).
const roleSession = "session"

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if s.cfg.Workspace == nil {
		writeError(w, r, http.StatusServiceUnavailable, lexscreen.EUNAVAILABLE, "this server has no workspace, hence no users (lexscreen serve opens <data-dir>/workspace.db)")
		return
	}
	client := clientKey(r.RemoteAddr)
	if wait := s.authFails.blocked(client, start); wait > 0 {
		s.metrics.refused.WithLabelValues("auth_failures").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeError(w, r, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many failed sign-ins from %s (at most %d a minute); retry after %s",
			client, s.cfg.AuthFailures, wait.Round(time.Second)))
		return
	}
	var req SessionRequest
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "form: %v", err))
			return
		}
		req = SessionRequest{Name: r.PostForm.Get("name"), Password: r.PostForm.Get("password")}
	} else if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return
	}
	req.Name = strings.TrimSpace(req.Name)
	u, err := s.cfg.Workspace.VerifyPassword(r.Context(), req.Name, req.Password)
	if lexscreen.ErrorCode(err) == lexscreen.EINVALID {
		s.authFails.fail(client, start)
		if aerr := s.auditSession(r, "session.refused", "user:"+truncate(req.Name, 64), "", client); aerr != nil {
			writeErr(w, r, aerr)
			return
		}
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "unknown user or wrong password (an administrator sets one with lexscreen users passwd NAME)")
		return
	}
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if err := s.auditSession(r, "session.signed_in", "user:"+u.Name, u.Role, client); err != nil {
		writeErr(w, r, err)
		return
	}
	tok, sess, err := s.sessions().create(r.Context(), u.Name, u.Role, start)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.cfg.SessionMax.Seconds())})
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.sessionResponse(sess))
}

func (s *Server) sessionResponse(sess session) SessionResponse {
	return SessionResponse{User: sess.user, Role: sess.role, CSRFToken: sess.csrf,
		Expires: sess.created.Add(s.cfg.SessionMax).UTC(), IdleLimit: s.cfg.SessionIdle.String()}
}

func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionOf(r)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.sessionResponse(sess))
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionOf(r)
	if c, err := r.Cookie(SessionCookie); err == nil && s.sessions() != nil {
		if err := s.sessions().end(r.Context(), c.Value); err != nil {
			// The cookie would go, the session would not: say so.
			writeErr(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	if err := s.auditSession(r, "session.signed_out", "user:"+sess.user, sess.role, clientKey(r.RemoteAddr)); err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, SignedOut{SignedOut: sess.user})
}

// auditSession writes a sign-in, a refused sign-in or a sign-out to the
// audit chain (with the client address, never the password).
func (s *Server) auditSession(r *http.Request, action, actor, role, client string) error {
	if s.cfg.Audit == nil {
		return nil
	}
	detail, _ := json.Marshal(map[string]string{"client": client})
	rec, err := audit.ActionRecord(audit.Action{Action: action, Actor: actor, Role: role, Object: actor, Detail: detail}, time.Now())
	if err != nil {
		return err
	}
	return s.cfg.Audit.Append(r.Context(), rec)
}
