package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/lexscreen/lexscreen/server"
)

// loginData is the sign-in page's data.
type loginData struct {
	Name, Next string
}

func (u *UI) handleHome(w http.ResponseWriter, r *http.Request) {
	if _, err := u.session(r); err != nil {
		u.toLogin(w, r)
		return
	}
	http.Redirect(w, r, Prefix+"screen", http.StatusSeeOther)
}

func (u *UI) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	p := page{Title: "Sign in", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}}
	if r.URL.Query().Get("out") == "1" {
		p.Flash = "You are signed out."
	}
	if s, err := u.session(r); err == nil {
		p.Session = s
	}
	u.render(w, r, "login.html", p)
}

// handleLogin signs in through POST /v1/session and passes its cookie on.
func (u *UI) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.renderStatus(w, r, http.StatusBadRequest, "login.html", page{Title: "Sign in", Error: "The form could not be read: " + err.Error(), Data: loginData{Next: Prefix}})
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	next := safeNext(r.PostForm.Get("next"))
	form := url.Values{"name": {name}, "password": {r.PostForm.Get("password")}}
	a := u.apiRaw(r, http.MethodPost, "/v1/session", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err := a.err(); err != nil {
		status := a.status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		u.renderStatus(w, r, status, "login.html", page{Title: "Sign in", Error: errMessage(err), Data: loginData{Name: name, Next: next}})
		return
	}
	for _, c := range a.header.Values("Set-Cookie") {
		w.Header().Add("Set-Cookie", c)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout ends the session through DELETE /v1/session (which checks
// the form's CSRF token) and clears the cookie.
func (u *UI) handleLogout(w http.ResponseWriter, r *http.Request) {
	a := u.apiRaw(r, http.MethodDelete, "/v1/session", "", nil)
	if err := a.err(); err != nil && !signedOut(err) {
		u.fail(w, r, server.SessionResponse{}, err)
		return
	}
	for _, c := range a.header.Values("Set-Cookie") {
		w.Header().Add("Set-Cookie", c)
	}
	http.SetCookie(w, &http.Cookie{Name: server.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, Prefix+"login?out=1", http.StatusSeeOther)
}
