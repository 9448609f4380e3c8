package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
)

// page is what every template receives: the layout's data and the page's
// own (Data).
type page struct {
	Title   string
	Session server.SessionResponse // the user signed in ("" User: nobody)
	Nav     []navItem
	Current string // the nav entry of this page (its Path)
	Flash   string // a success to say at the top (role=status)
	Error   string // a failure to say at the top (role=alert)
	Data    any
	// Refresh, when set, reloads the page after so many seconds in a
	// browser without JavaScript (htmx polls instead).
	Refresh int
}

// navItem is an entry of the navigation.
type navItem struct {
	Label, Path string
}

// nav is the navigation, in order. Pages in other files add theirs with
// addNav in an init function.
var nav = []navItem{
	{"Screen", Prefix + "screen"},
	{"Alerts", Prefix + "alerts"},
}

// addNav adds an entry to the navigation (call it from an init function).
func addNav(label, path string) { nav = append(nav, navItem{label, path}) }

// funcs are the template functions.
var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"join": strings.Join,
	"query": func(kv ...string) template.URL {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Set(kv[i], kv[i+1])
			}
		}
		return template.URL(q.Encode())
	},
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"title": func(s string) string {
		s = strings.ReplaceAll(s, "_", " ")
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"add":  func(a, b int) int { return a + b },
	"list": func(v ...string) []string { return v },
	// unconfirmed: an obligation resting on a fact from memory only.
	"unconfirmed": func(o lexscreen.Obligation) bool {
		return o.Confidence == "M" || strings.HasPrefix(o.Explanation, "UNCONFIRMED")
	},
	"alertsOf": alertsOfQuery,
	"label":    alertLabel,
	// dict makes a map of key, value pairs: the data of a shared part.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	},
}

// render writes a page with status 200.
func (u *UI) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	u.renderStatus(w, r, http.StatusOK, name, p)
}

// renderStatus writes a page: the template file name inside the base
// layout, or its "content" alone for an htmx request that asks for a
// fragment (HX-Request with HX-Target), so htmx swaps the main region only.
func (u *UI) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := u.pages[name]
	if !ok {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	if p.Nav == nil {
		p.Nav = nav
	}
	which := "base"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && r.Header.Get("HX-Boosted") == "" {
		which = "fragment"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, which, p); err != nil {
		u.log.Error("ui template", "template", name, "err", err)
		http.Error(w, "the page could not be drawn: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// withUser wraps a page that needs a signed-in user: without one it
// redirects to the sign-in page, back here afterwards.
func (u *UI) withUser(h func(w http.ResponseWriter, r *http.Request, s server.SessionResponse)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := u.session(r)
		if signedOut(err) {
			u.toLogin(w, r)
			return
		}
		if err != nil {
			u.fail(w, r, s, err)
			return
		}
		h(w, r, s)
	}
}

// toLogin sends the browser to the sign-in page (with next= the page it
// asked for, when that was a GET).
func (u *UI) toLogin(w http.ResponseWriter, r *http.Request) {
	target := Prefix + "login"
	if r.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// fail shows an error page for err: the API's message, which says what to
// do, with the API's status.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, s server.SessionResponse, err error) {
	status := http.StatusInternalServerError
	var ae *APIError
	if errors.As(err, &ae) {
		status = ae.Status
	}
	if signedOut(err) {
		u.toLogin(w, r)
		return
	}
	u.renderStatus(w, r, status, "error.html", page{Title: "Error", Session: s, Error: errMessage(err)})
}

// errMessage is what a page says of an error.
func errMessage(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Message
	}
	return err.Error()
}
