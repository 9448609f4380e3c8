package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// Sign-in of the workspace's users (issue 13's "users with passwords over
// HTTP", the web interface's log-in). POST /v1/session checks a user's name
// and password (argon2id, workspace.VerifyPassword) and issues a session
// token in a cookie: HttpOnly, SameSite=Strict, Secure when the request came
// over TLS. The server keeps only the SHA-256 of the token, in memory: a
// restart signs everyone out. A session ends after SessionIdle without a
// request, after SessionMax in all, or at DELETE /v1/session.
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
	lastSeen   time.Time
}

// sessionStore keeps the sessions by the SHA-256 of their token.
type sessionStore struct {
	mu        sync.Mutex
	byHash    map[[32]byte]*session
	idle, max time.Duration
}

func newSessionStore(idle, max time.Duration) *sessionStore {
	return &sessionStore{byHash: map[[32]byte]*session{}, idle: idle, max: max}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session and returns its token.
func (st *sessionStore) create(user, role string, now time.Time) (string, *session) {
	tok := randomToken()
	s := &session{user: user, role: role, csrf: randomToken(), created: now, lastSeen: now}
	st.mu.Lock()
	defer st.mu.Unlock()
	for h, old := range st.byHash { // drop the ended ones now and then
		if st.ended(old, now) {
			delete(st.byHash, h)
		}
	}
	st.byHash[sha256.Sum256([]byte(tok))] = s
	return tok, s
}

func (st *sessionStore) ended(s *session, now time.Time) bool {
	return now.Sub(s.lastSeen) > st.idle || now.Sub(s.created) > st.max
}

// get returns the live session of a token and marks it seen.
func (st *sessionStore) get(tok string, now time.Time) (session, bool) {
	h := sha256.Sum256([]byte(tok))
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.byHash[h]
	if !ok {
		return session{}, false
	}
	if st.ended(s, now) {
		delete(st.byHash, h)
		return session{}, false
	}
	s.lastSeen = now
	return *s, true
}

// end ends the session of a token.
func (st *sessionStore) end(tok string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.byHash, sha256.Sum256([]byte(tok)))
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
// standing for the user and the session, or why it is refused ("" and
// ok false when there is no cookie at all).
func (s *Server) cookieSession(r *http.Request, now time.Time) (k audit.Key, sess session, refusal string, ok bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return k, sess, "", false
	}
	sess, ok = s.sessions.get(c.Value, now)
	if !ok {
		return k, sess, "the session ended (signed out, or idle longer than " + s.cfg.SessionIdle.String() + "): sign in again", false
	}
	if stateChanging(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) != 1 {
			return k, sess, "csrf", false
		}
	}
	return audit.Key{ID: "user:" + sess.user, Role: sess.role, Name: sess.user}, sess, "", true
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
	tok, sess := s.sessions.create(u.Name, u.Role, start)
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteStrictMode, MaxAge: int(s.cfg.SessionMax.Seconds())})
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.sessionResponse(*sess))
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
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.sessions.end(c.Value)
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
