package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/lexscreen/lexscreen/server"
)

// APIError is an error answer of the JSON API, as a page shows it.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d %s)", e.Message, e.Status, e.Code)
}

// signedOut reports whether err says the user has no (live) session.
func signedOut(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}

// apiAnswer is an in-process answer of the API.
type apiAnswer struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (a *apiAnswer) Header() http.Header { return a.header }
func (a *apiAnswer) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	return a.body.Write(b)
}
func (a *apiAnswer) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

// err is the answer as an error when it is not a success.
func (a *apiAnswer) err() error {
	if a.status < 400 {
		return nil
	}
	var eb struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(a.body.Bytes(), &eb) != nil || eb.Error.Message == "" {
		return &APIError{Status: a.status, Code: "error", Message: http.StatusText(a.status)}
	}
	return &APIError{Status: a.status, Code: eb.Error.Code, Message: eb.Error.Message}
}

// apiRaw calls the JSON API in-process as the user of page request r:
// with r's session cookie, its CSRF token (the csrf_token form field, or
// the X-CSRF-Token header htmx sends) for a request that changes state,
// its client address and TLS state. body is sent as is with ctype.
func (u *UI) apiRaw(r *http.Request, method, path, ctype string, body io.Reader) *apiAnswer {
	if body == nil {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(r.Context(), method, path, body)
	if err != nil {
		a := &apiAnswer{status: http.StatusInternalServerError, header: http.Header{}}
		fmt.Fprintf(&a.body, `{"error":{"code":"internal","message":%q}}`, err.Error())
		return a
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c, err := r.Cookie(server.SessionCookie); err == nil {
		req.AddCookie(c)
	}
	if method != http.MethodGet && method != http.MethodHead {
		tok := r.Header.Get(server.CSRFHeader)
		if tok == "" {
			tok = r.PostFormValue("csrf_token")
		}
		req.Header.Set(server.CSRFHeader, tok)
	}
	req.RemoteAddr, req.TLS = r.RemoteAddr, r.TLS
	if lb, ok := body.(interface{ Len() int }); ok {
		req.ContentLength = int64(lb.Len())
	}
	a := &apiAnswer{header: http.Header{}}
	u.cfg.API.ServeHTTP(a, req)
	return a
}

// api calls the JSON API in-process as the user of r (see apiRaw), with
// in as the JSON body (nil: none), and decodes a success into out (nil:
// ignored). An error answer comes back as an *APIError.
func (u *UI) api(r *http.Request, method, path string, in, out any) error {
	var body io.Reader
	ctype := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	a := u.apiRaw(r, method, path, ctype, body)
	if err := a.err(); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.body.Bytes(), out); err != nil {
		return fmt.Errorf("%s %s: the API's answer can't be read: %w", method, path, err)
	}
	return nil
}

// session returns the user signed in on r, or an error (an *APIError 401
// when nobody is).
func (u *UI) session(r *http.Request) (server.SessionResponse, error) {
	var s server.SessionResponse
	if _, err := r.Cookie(server.SessionCookie); err != nil {
		return s, &APIError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "sign in first"}
	}
	err := u.api(r, http.MethodGet, "/v1/session", nil, &s)
	return s, err
}

// jsonBody is v as a JSON request body.
func jsonBody(v any) io.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		return bytes.NewReader([]byte("null"))
	}
	return bytes.NewReader(b)
}

// decode reads a successful answer's JSON into out.
func decode(a *apiAnswer, out any) error {
	if err := json.Unmarshal(a.body.Bytes(), out); err != nil {
		return fmt.Errorf("the API's answer can't be read: %w", err)
	}
	return nil
}
