package server

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// Authentication as real clients send it, and CORS for the browser-based
// ones. An API key may come as:
//
//   - Authorization: Bearer KEY (lexscreen's own clients, curl);
//   - Authorization: ApiKey KEY (nomenklatura's yente enricher, yente's docs);
//   - Authorization: Basic base64(USER:KEY), the key as the password (Marble's
//     "basic" auth method; the user name is ignored);
//   - ?api_key=KEY in the URL (Marble's default, OpenRefine, which cannot send
//     headers).
//
// The key is read from the headers and the URL only, before any of the body.
// The api_key parameter is removed from the request before a handler sees it,
// and the request log never holds a URL: a key in a query string is never
// logged (a reverse proxy's access log may hold it: see API.md).

// credential is the API key of a request and the way it was sent.
type credential struct {
	key    string
	scheme string // "bearer", "apikey", "basic", "query"; "" none
	bad    string // why the Authorization header can't be read ("" when it can)
}

// credentialOf reads a request's API key. The Authorization header wins over
// the api_key parameter; a header that names no scheme lexscreen takes is
// refused rather than passed over for the parameter.
func credentialOf(r *http.Request) credential {
	if h := strings.TrimSpace(r.Header.Get("Authorization")); h != "" {
		scheme, rest, _ := strings.Cut(h, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToLower(scheme) {
		case "bearer":
			return credential{key: rest, scheme: "bearer"}
		case "apikey", "api-key":
			return credential{key: rest, scheme: "apikey"}
		case "basic":
			raw, err := base64.StdEncoding.DecodeString(rest)
			if err != nil {
				return credential{scheme: "basic", bad: "Authorization: Basic: not base64 of USER:KEY"}
			}
			_, pass, ok := strings.Cut(string(raw), ":")
			if !ok {
				return credential{scheme: "basic", bad: "Authorization: Basic: want base64 of USER:KEY (the API key as the password)"}
			}
			return credential{key: strings.TrimSpace(pass), scheme: "basic"}
		}
		return credential{bad: "Authorization: scheme " + scheme + " not taken; send Bearer KEY, ApiKey KEY, Basic (the key as the password) or ?api_key=KEY"}
	}
	if vs, ok := r.URL.Query()["api_key"]; ok {
		if len(vs) != 1 {
			return credential{scheme: "query", bad: "api_key: given more than once"}
		}
		return credential{key: strings.TrimSpace(vs[0]), scheme: "query"}
	}
	return credential{}
}

// withoutAPIKey returns r with the api_key parameter removed from its URL
// (a copy: the original URL is not touched).
func withoutAPIKey(r *http.Request) *http.Request {
	if !strings.Contains(r.URL.RawQuery, "api_key") {
		return r
	}
	q := r.URL.Query()
	if !q.Has("api_key") {
		return r
	}
	q.Del("api_key")
	u := *r.URL
	u.RawQuery = q.Encode()
	r2 := *r
	r2.URL = &u
	r2.RequestURI = ""
	return &r2
}

// corsPath reports whether a route is one that browser clients call from
// other origins (the yente and reconciliation endpoints).
func corsPath(path string) bool {
	for _, p := range []string{"/match/", "/search/", "/entities/", "/reconcile"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	switch path {
	case "/catalog", "/algorithms", "/match":
		return true
	}
	return false
}

// setCORS adds the CORS headers of an answer. Any origin may call: the key
// travels in the Authorization header or the URL, never in a cookie, so no
// credentials mode is allowed.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
	h.Set("Access-Control-Expose-Headers", "Retry-After, X-Batch-Size")
	h.Set("Access-Control-Max-Age", "600")
}

// preflight answers the CORS preflight (OPTIONS) of the CORS routes: no key
// is needed, nothing is read, nothing is recorded.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	setCORS(w.Header())
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// registerPreflights adds an OPTIONS handler to every CORS route (not in the
// route table: they are no API of their own).
func (s *Server) registerPreflights() {
	done := map[string]bool{}
	for _, rt := range s.routes {
		if !corsPath(rt.Path) || done[rt.Path] {
			continue
		}
		done[rt.Path] = true
		s.mux.Handle("OPTIONS "+rt.Path, s.wrap(route{Method: "OPTIONS", Path: rt.Path, Public: true, handler: s.preflight}))
	}
}

// discoveryOpen reports whether a request may go without a key under
// Config.OpenDiscovery: the reconciliation manifest (GET /reconcile without
// queries), /catalog and /algorithms: what a client reads to set itself up,
// no screening.
func (s *Server) discoveryOpen(rt route, q url.Values) bool {
	if !s.cfg.OpenDiscovery || rt.Method != http.MethodGet {
		return false
	}
	switch rt.Path {
	case "/catalog", "/algorithms", "/reconcile/view/{id}", "/reconcile/suggest/type", "/reconcile/suggest/property", "/reconcile/extend/propose":
		return true
	case "/reconcile":
		return !q.Has("queries")
	}
	return false
}
