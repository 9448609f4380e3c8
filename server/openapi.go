package server

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// The OpenAPI document is generated from the route table and, by
// reflection, from the Go types of the request and response bodies.

// OpenAPI returns the OpenAPI 3.1 document of the server.
func (s *Server) OpenAPI() map[string]any {
	return s.openAPIWith(newSchemaGen())
}

// openAPIWith builds the document with g, which is left holding what it saw.
func (s *Server) openAPIWith(g *schemaGen) map[string]any {
	errRef := g.schema(reflect.TypeOf(errorBody{}))
	paths := map[string]any{}
	for _, rt := range s.routes {
		op := map[string]any{"summary": rt.Summary, "operationId": operationID(rt)}
		if rt.Description != "" {
			op["description"] = rt.Description
		}
		if rt.Public {
			op["security"] = []any{}
			op["tags"] = []string{"operations"}
		} else {
			op["tags"] = []string{tagOf(rt.Path)}
			op["x-role"] = rt.Role
			if rt.Role == roleReader {
				rt.Role = "analyst, approver or auditor"
			}
			op["description"] = strings.TrimSpace(fmt.Sprint(op["description"]) + "\n\nRole: " + rt.Role + " (or admin).")
			if op["description"] == "<nil>" {
				op["description"] = "Role: " + rt.Role + " (or admin)."
			}
			op["description"] = strings.TrimPrefix(op["description"].(string), "<nil>\n\n")
		}
		var params []any
		for _, p := range rt.Params {
			pm := map[string]any{"name": p.Name, "in": p.In, "required": p.Required || p.In == "path",
				"description": p.Description, "schema": paramSchema(p)}
			if p.Example != "" {
				pm["example"] = p.Example
			}
			params = append(params, pm)
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Request != nil || rt.RequestType != "" {
			op["requestBody"] = g.requestBody(rt)
		}
		resp := map[string]any{"description": "OK"}
		ct := rt.ResponseType
		if ct == "" {
			ct = "application/json"
		}
		content := map[string]any{ct: map[string]any{"schema": g.bodySchema(rt.Response, rt.Alternatives)}}
		for alt, body := range rt.AltTypes {
			content[alt] = map[string]any{"schema": g.bodySchema(body, nil)}
		}
		resp["content"] = content
		errResp := func(d string) any {
			return map[string]any{"description": d, "content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
		}
		responses := map[string]any{"200": resp}
		if !rt.Public {
			responses["400"] = errResp("invalid request: malformed JSON, unknown field, bad value")
			responses["401"] = errResp("no API key, or an unknown or revoked one")
			responses["403"] = errResp("the key's role may not use this endpoint")
			responses["404"] = errResp("not found")
			responses["413"] = errResp("request body too large")
			responses["429"] = errResp("rate limit of the key exceeded; see Retry-After")
			responses["503"] = errResp("index not loaded yet, store unavailable or time limit exceeded")
		}
		for _, a := range rt.Answers {
			if a.Body == nil {
				responses[strconv.Itoa(a.Status)] = errResp(a.Description)
				continue
			}
			responses[strconv.Itoa(a.Status)] = map[string]any{"description": a.Description,
				"content": map[string]any{"application/json": map[string]any{"schema": g.bodySchema(a.Body, nil)}}}
		}
		op["responses"] = responses
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "lexscreen API", "version": s.cfg.EngineVersion,
			"description": "Sanctions screening with legal consequences. Every screening is recorded in a hash-chained audit trail before it is answered. Errors are {\"error\": {\"code\", \"message\"}}."},
		"paths":      paths,
		"components": map[string]any{"schemas": g.comps, "securitySchemes": securitySchemes},
		"security": []any{map[string]any{"bearer": []string{}}, map[string]any{"basic": []string{}},
			map[string]any{"api_key": []string{}}},
	}
}

// securitySchemes are the ways a client may send its key (auth_compat.go);
// Authorization: ApiKey KEY is taken too, which OpenAPI can't declare.
var securitySchemes = map[string]any{
	"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "an API key from `lexscreen keys create --role ROLE` (also taken as `Authorization: ApiKey KEY`)"},
	"basic":  map[string]any{"type": "http", "scheme": "basic", "description": "the API key as the password; the user is ignored"},
	"api_key": map[string]any{"type": "apiKey", "in": "query", "name": "api_key",
		"description": "the API key in the URL, for clients that can't send headers (OpenRefine, Marble); prefer a header: proxies log URLs"},
}

// paramSchema is the schema of a parameter: a list of strings when its
// description says it is repeatable, an integer for limit and offset, a
// number for threshold and cutoff, else a string.
func paramSchema(p param) map[string]any {
	switch {
	case p.In == "query" && strings.HasPrefix(p.Description, "repeatable"):
		return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	case p.Name == "limit" || p.Name == "offset":
		return map[string]any{"type": "integer", "minimum": 0}
	case p.Name == "threshold" || p.Name == "cutoff":
		return map[string]any{"type": "number"}
	}
	return map[string]any{"type": "string"}
}

// bodySchema is the schema of an answer of type body, or of any of the
// alternatives; no body type is text (or bytes).
func (g *schemaGen) bodySchema(body any, alternatives []any) map[string]any {
	if body == nil {
		return map[string]any{"type": "string"}
	}
	s := g.schema(reflect.TypeOf(body))
	if len(alternatives) == 0 {
		return s
	}
	shapes := []any{s}
	for _, a := range alternatives {
		shapes = append(shapes, g.schema(reflect.TypeOf(a)))
	}
	return map[string]any{"anyOf": shapes}
}

// requestBody is the request body of a route: JSON of its Request type,
// JSON lines of it (one value a line: the example is the first line), or
// text of its RequestType.
func (g *schemaGen) requestBody(rt route) map[string]any {
	ct := rt.RequestType
	if ct == "" {
		ct = "application/json"
	}
	media := map[string]any{"schema": map[string]any{"type": "string"}}
	if rt.Request != nil {
		media["schema"] = g.schema(reflect.TypeOf(rt.Request))
	}
	if rt.Example != "" {
		ex := rt.Example
		if ct == "application/x-ndjson" {
			ex, _, _ = strings.Cut(ex, "\n")
			media["schema"] = withKey(media["schema"].(map[string]any), "description", "JSON lines: one value of this schema a line")
		}
		var v any
		if rt.Request != nil && json.Unmarshal([]byte(ex), &v) == nil {
			media["example"] = v
		} else {
			media["example"] = ex
		}
	}
	content := map[string]any{ct: media}
	for alt, body := range rt.AltRequests {
		content[alt] = map[string]any{"schema": g.schema(reflect.TypeOf(body))}
	}
	return map[string]any{"required": true, "content": content}
}

func operationID(rt route) string {
	p := strings.NewReplacer("{", "", "}", "", ".", "_").Replace(rt.Path)
	parts := strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '-' })
	return strings.ToLower(rt.Method) + "_" + strings.Join(parts, "_")
}

func tagOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/v1/screen"):
		return "screening"
	case strings.HasPrefix(path, "/match"), strings.HasPrefix(path, "/search"), strings.HasPrefix(path, "/reconcile"):
		return "compatibility"
	case strings.HasPrefix(path, "/v1/audit"):
		return "audit"
	case strings.HasPrefix(path, "/v1/admin"):
		return "admin"
	}
	return "lists and law"
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, err := json.MarshalIndent(s.OpenAPI(), "", "  ")
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, b)
}

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:3.6rem;font-weight:bold;font-family:monospace;color:#fff;border-radius:4px;padding:0 .4rem;text-align:center}
.GET{background:#2a7ab0}.POST{background:#3a9a4a}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;border-radius:4px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.role{color:#a33;font-size:.9em}
</style></head><body>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>{{.Description}}</p>
<p>Authentication: <code>Authorization: Bearer KEY</code>, a key made by <code>lexscreen keys create --role ROLE</code>.
Roles: <b>screener</b> (screen, batch, match, search, reconcile), <b>analyst</b> (screener's and the lists, entities, history, diff, obligations, regimes; the workspace: subjects, alerts, decisions), <b>approver</b> (analyst's, and approves others' decisions),
<b>auditor</b> (audit records, read-only), <b>admin</b> (everything). The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
{{range .Groups}}<h2>{{.Name}}</h2>
{{range .Ops}}<div class="op" id="{{.ID}}"><p><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code> — {{.Summary}}
{{if .Role}}<span class="role">[role: {{.Role}}]</span>{{end}}</p>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Params}}<table><tr><th>parameter</th><th>in</th><th>description</th><th>example</th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.In}}</td><td>{{.Description}}</td><td><code>{{.Example}}</code></td></tr>{{end}}</table>{{end}}
{{if .Fields}}<p>Body fields ({{.BodyType}}):</p><table><tr><th>field</th><th>type</th><th>description</th></tr>
{{range .Fields}}<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{.Doc}}</td></tr>{{end}}</table>{{end}}
{{if .Response}}<p>Answer: <code>{{.Response}}</code> (schema in <a href="/openapi.json">openapi.json</a>)</p>{{end}}
<pre>{{.Curl}}</pre></div>{{end}}{{end}}
</body></html>`))

type docField struct{ Name, Type, Doc string }

type docOp struct {
	ID, Method, Path, Summary, Description, Role, BodyType, Response, Curl string
	Params                                                                 []param
	Fields                                                                 []docField
}

func (s *Server) handleDocs(w http.ResponseWriter, r *http.Request) {
	groups := map[string][]docOp{}
	for _, rt := range s.routes {
		op := docOp{ID: operationID(rt), Method: rt.Method, Path: rt.Path, Summary: rt.Summary, Description: rt.Description, Role: strings.Replace(rt.Role, roleReader, "analyst, approver or auditor", 1), Params: rt.Params}
		if rt.Response != nil {
			op.Response = schemaName(reflect.TypeOf(rt.Response))
		}
		path := rt.Path
		var query []string
		for _, p := range rt.Params {
			if p.Example == "" {
				continue
			}
			if p.In == "path" {
				path = strings.ReplaceAll(path, "{"+p.Name+"}", p.Example)
			} else {
				query = append(query, p.Name+"="+p.Example)
			}
		}
		if len(query) > 0 {
			path += "?" + strings.Join(query, "&")
		}
		curl := "curl -s"
		if !rt.Public {
			curl += ` -H "Authorization: Bearer $KEY"`
		}
		if rt.Method == "POST" {
			curl += " -X POST"
		}
		if rt.Request != nil {
			t := reflect.TypeOf(rt.Request)
			op.BodyType = schemaName(t)
			if t.Kind() == reflect.Struct {
				for i := 0; i < t.NumField(); i++ {
					f := t.Field(i)
					name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
					op.Fields = append(op.Fields, docField{Name: name, Type: f.Type.String(), Doc: f.Tag.Get("doc")})
				}
			}
			if rt.Example != "" {
				if rt.RequestType == "application/x-ndjson" {
					curl += ` -H "Content-Type: application/x-ndjson" --data-binary $'` + strings.ReplaceAll(rt.Example, "\n", `\n`) + `'`
				} else {
					curl += ` -H "Content-Type: application/json" -d '` + rt.Example + `'`
				}
			}
		}
		op.Curl = curl + ` "http://127.0.0.1:8080` + path + `"`
		groups[tagOfRoute(rt)] = append(groups[tagOfRoute(rt)], op)
	}
	type group struct {
		Name string
		Ops  []docOp
	}
	var gs []group
	for _, name := range []string{"screening", "lists and law", "compatibility", "audit", "admin", "operations"} {
		if len(groups[name]) > 0 {
			gs = append(gs, group{Name: name, Ops: groups[name]})
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return false })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	docsTemplate.Execute(w, map[string]any{"Title": "lexscreen API", "Version": s.cfg.EngineVersion,
		"Description": "Sanctions screening with legal consequences: every endpoint, its parameters and an example. Every screening is recorded in a hash-chained audit trail before it is answered; errors are {\"error\": {\"code\", \"message\"}} with a 4xx or 5xx status.",
		"Groups":      gs})
}

func tagOfRoute(rt route) string {
	if rt.Public {
		return "operations"
	}
	return tagOf(rt.Path)
}
