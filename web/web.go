// Package web is lexscreen's web interface for analysts and researchers:
// server-rendered pages (html/template, embedded) under /ui/, served by
// lexscreen serve next to the JSON API.
//
// Every page reads and writes through the JSON API, called in-process with
// the user's session cookie (UI.api): the interface never bypasses the API's
// validation, its audit trail or its four-eyes rule, and a user can do
// nothing in a page that the role would not allow through the API.
//
// Pages work without JavaScript (plain links and forms); htmx, vendored in
// static/vendor (VERSIONS), only enhances them. Each page is one template
// file in templates/ defining "content" (and "title"), rendered inside the
// base layout (templates/base.html: skip link, landmarks, nav).
//
// Adding a page: a file pages_x.go whose init appends to extraRoutes (and
// calls addNav for a navigation entry), handlers wrapped in u.withUser
// that read the API with u.api(r, method, path, in, &out) and answer with
// u.render(w, r, "x.html", page{...}); a template templates/x.html
// defining "content"; a chromedp test using the harness of
// browser_test.go (theEnv, login, axeCheck, screenshot).
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Prefix is where the interface is served.
const Prefix = "/ui/"

// Config configures the interface.
type Config struct {
	// API is the JSON API (server.Server.Handler()): every page calls it
	// in-process with the user's session.
	API http.Handler
	// Logger logs the pages served with their server time (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// UI is the web interface: an http.Handler for the paths under Prefix.
type UI struct {
	cfg    Config
	log    *slog.Logger
	mux    *http.ServeMux
	pages  map[string]*template.Template // by template file name
	timing pageTimes
	jobs   batchJobs // batch screenings (batchjob.go)
}

// New returns the interface; it panics if an embedded template does not
// parse (a build error, caught by every test).
func New(cfg Config) *UI {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	u := &UI{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	u.parseTemplates()
	static, _ := fs.Sub(staticFiles, "static")
	u.mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", cacheStatic(http.FileServerFS(static))))
	for _, p := range u.routes() {
		u.mux.Handle(p.pattern, u.page(p.pattern, p.handler))
	}
	u.mux.Handle(Prefix, u.page("not found", func(w http.ResponseWriter, r *http.Request) {
		u.renderStatus(w, r, http.StatusNotFound, "error.html", page{Title: "Not found",
			Error: fmt.Sprintf("There is no page %s. Use the navigation above.", r.URL.Path)})
	}))
	return u
}

// route is a page of the interface: a ServeMux pattern and its handler.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes are the interface's pages. The other helpers' pages (entity,
// list changes, exposure report, ICC) add theirs in their own files
// through extraRoutes.
func (u *UI) routes() []route {
	rs := []route{
		{"GET " + Prefix + "{$}", u.handleHome},
		{"GET " + Prefix + "login", u.handleLoginForm},
		{"POST " + Prefix + "login", u.handleLogin},
		{"POST " + Prefix + "logout", u.handleLogout},
	}
	rs = append(rs, u.screenRoutes()...)
	rs = append(rs, u.alertRoutes()...)
	rs = append(rs, u.batchRoutes()...)
	for _, extra := range extraRoutes {
		rs = append(rs, extra(u)...)
	}
	return rs
}

// extraRoutes are the page sets registered by other files of the package
// (each file's init appends its own), so that they add pages without
// editing this list.
var extraRoutes []func(u *UI) []route

// ServeHTTP serves the interface.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) { u.mux.ServeHTTP(w, r) }

// Mount returns the handler of lexscreen serve: the interface under
// Prefix, / redirected to it, and everything else to the API.
func Mount(api http.Handler, ui *UI) http.Handler {
	root := http.NewServeMux()
	root.Handle(Prefix, ui)
	root.Handle("GET /{$}", http.RedirectHandler(Prefix, http.StatusSeeOther))
	root.Handle("/", api)
	return root
}

// parseTemplates parses each page file with the base layout and the
// shared parts.
func (u *UI) parseTemplates() {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "base.html" || strings.HasPrefix(base, "_") {
			continue
		}
		// The layout, the shared parts (templates/_*.html), the page.
		t := template.Must(template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/base.html", "templates/_*.html", name))
		u.pages[base] = t
	}
}

// cacheStatic lets browsers keep the static files for a day; it lists no
// directory.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

// pageTimes keeps the server time of the pages served recently, for the
// p95 the interface promises (under 200 ms): Percentile reads it.
type pageTimes struct {
	mu    sync.Mutex
	ring  [1024]time.Duration
	n     int
	total int
}

func (p *pageTimes) add(d time.Duration) {
	p.mu.Lock()
	p.ring[p.n%len(p.ring)] = d
	p.n++
	p.total++
	p.mu.Unlock()
}

// securityHeaders are set on every page: no framing, no sniffing, scripts
// and styles from the interface only.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// page wraps a page handler: security headers, no caching of pages with
// personal data, and the server time (logged, a Server-Timing header, and
// kept for PageTimes).
func (u *UI) page(name string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		securityHeaders(w.Header())
		w.Header().Set("Cache-Control", "no-store")
		if !sameOrigin(r) {
			// A form posted from another site (the sign-in form included,
			// which no session's CSRF token protects yet).
			http.Error(w, "refused: this form was sent from another site ("+r.Header.Get("Origin")+")", http.StatusForbidden)
			return
		}
		tw := &timedWriter{ResponseWriter: w, start: start}
		h(tw, r)
		d := time.Since(start)
		u.timing.add(d)
		u.log.Debug("ui page", "route", name, "status", tw.status, "ms", float64(d.Microseconds())/1000)
	})
}

// timedWriter adds the Server-Timing header when the answer starts.
type timedWriter struct {
	http.ResponseWriter
	start  time.Time
	status int
}

func (w *timedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.Header().Set("Server-Timing", fmt.Sprintf("page;dur=%.1f", float64(time.Since(w.start).Microseconds())/1000))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *timedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *timedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// safeNext is a local path under Prefix to go to after signing in, or
// Prefix: never another site (an open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, Prefix) && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return Prefix
}

// PageTimes returns the median and 95th percentile of the server time of
// the last pages served (at most 1024) and how many pages were served.
func (u *UI) PageTimes() (p50, p95 time.Duration, served int) {
	u.timing.mu.Lock()
	n := min(u.timing.n, len(u.timing.ring))
	ds := append([]time.Duration(nil), u.timing.ring[:n]...)
	served = u.timing.total
	u.timing.mu.Unlock()
	if n == 0 {
		return 0, 0, served
	}
	slices.Sort(ds)
	return ds[n/2], ds[min(n-1, n*95/100)], served
}

// sameOrigin reports whether a state-changing request comes from the
// interface's own pages: its Origin header, when the browser sends one,
// names this host.
func sameOrigin(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser, or an old one: the CSRF token still guards
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
