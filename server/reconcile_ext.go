package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// The reconciliation API (W3C Entity Reconciliation, 0.2 as OpenRefine 3.x
// speaks it): the manifest, queries in all the shapes the specification
// allows, and the services the manifest declares: suggest (entities, types,
// properties), preview (HTML), data extension, and the entity view page.

// reconcileManifest is the service manifest (GET /reconcile).
type reconcileManifest struct {
	Versions        []string            `json:"versions"`
	Name            string              `json:"name"`
	IdentifierSpace string              `json:"identifierSpace"`
	SchemaSpace     string              `json:"schemaSpace"`
	Documentation   string              `json:"documentation"`
	ServiceVersion  string              `json:"serviceVersion"`
	DefaultTypes    []reconcileType     `json:"defaultTypes"`
	Authentication  reconcileAuth       `json:"authentication" doc:"the API key as OpenRefine sends it: the api_key query parameter"`
	View            reconcileURL        `json:"view"`
	Preview         reconcilePreviewCfg `json:"preview"`
	Suggest         reconcileSuggestCfg `json:"suggest"`
	Extend          reconcileExtendCfg  `json:"extend"`
}

type reconcileURL struct {
	URL string `json:"url"`
}

// reconcileAuth is a Swagger 2 security definition of an API key.
type reconcileAuth struct {
	Type string `json:"type"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type reconcilePreviewCfg struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type reconcileService struct {
	ServiceURL        string `json:"service_url"`
	ServicePath       string `json:"service_path"`
	FlyoutServiceURL  string `json:"flyout_service_url,omitempty"`
	FlyoutServicePath string `json:"flyout_service_path,omitempty"`
}

type reconcileSuggestCfg struct {
	Entity   reconcileService `json:"entity"`
	Type     reconcileService `json:"type"`
	Property reconcileService `json:"property"`
}

type reconcileExtendCfg struct {
	ProposeProperties reconcileService `json:"propose_properties"`
}

// baseURL is the absolute URL of the server as the client reached it
// (X-Forwarded-Proto and X-Forwarded-Host when a proxy sets them).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" && !strings.ContainsAny(h, "/ \\") {
		host = h
	}
	return scheme + "://" + host
}

func reconcileManifestFor(r *http.Request) reconcileManifest {
	base := baseURL(r)
	svc := base + "/reconcile"
	m := reconcileManifest{Versions: []string{"0.1", "0.2"}, Name: "lexscreen sanctions screening",
		IdentifierSpace: base + "/entities/", SchemaSpace: "https://followthemoney.tech/explorer/schemata/",
		Documentation: base + "/docs", ServiceVersion: "lexscreen",
		DefaultTypes:   reconcileTypes,
		Authentication: reconcileAuth{Type: "apiKey", Name: "api_key", In: "query"},
		View:           reconcileURL{URL: svc + "/view/{{id}}"},
		Preview:        reconcilePreviewCfg{URL: svc + "/preview?id={{id}}", Width: 420, Height: 240},
		Suggest: reconcileSuggestCfg{
			Entity:   reconcileService{ServiceURL: svc, ServicePath: "/suggest/entity", FlyoutServiceURL: svc, FlyoutServicePath: "/flyout/entity?id=${id}"},
			Type:     reconcileService{ServiceURL: svc, ServicePath: "/suggest/type"},
			Property: reconcileService{ServiceURL: svc, ServicePath: "/suggest/property"}},
		Extend: reconcileExtendCfg{ProposeProperties: reconcileService{ServiceURL: svc, ServicePath: "/extend/propose"}},
	}
	return m
}

// reconcileTypeOf reads a query's type: a string, a list of them (the
// first lexscreen knows wins), or {"id": ...}. "" is any type.
func reconcileTypeOf(k string, t any) (string, error) {
	var cands []string
	switch x := t.(type) {
	case nil:
		return "", nil
	case string:
		cands = []string{x}
	case map[string]any:
		id, _ := x["id"].(string)
		cands = []string{id}
	case []any:
		for _, e := range x {
			switch y := e.(type) {
			case string:
				cands = append(cands, y)
			case map[string]any:
				id, _ := y["id"].(string)
				cands = append(cands, id)
			}
		}
	default:
		return "", lexscreen.Errorf(lexscreen.EINVALID, "query %s: type: want a type id, a list of them or {\"id\": ...}", k)
	}
	for _, c := range cands {
		if typ, err := ftmSchema(c); err == nil {
			return typ, nil
		}
		if typ := strings.ToLower(c); lexscreen.ParseSchema(typ) != lexscreen.SchemaUnknown {
			return string(lexscreen.ParseSchema(typ)), nil
		}
	}
	if len(cands) == 0 {
		return "", nil
	}
	return "", lexscreen.Errorf(lexscreen.EINVALID, "query %s: type %q: want person, organization, vessel or aircraft (or FtM Person, Organization, Company, LegalEntity, Vessel, Airplane)", k, strings.Join(cands, ", "))
}

// propertyValues reads a property value: a string, a number, a boolean,
// {"id": ...} (a reconciled value), or a list of these.
func propertyValues(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case float64:
		return []string{fmt.Sprint(x)}
	case bool:
		return []string{fmt.Sprint(x)}
	case map[string]any:
		if id, ok := x["id"].(string); ok {
			return []string{id}
		}
		if n, ok := x["name"].(string); ok {
			return []string{n}
		}
		return nil
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, propertyValues(e)...)
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

// reconcileRequest turns a reconciliation query into a screening. A query
// may give its name as "query" or as a name property only.
// prepareReconcile makes reconciliation query q (key k; label names it in
// an error) ready to screen.
func prepareReconcile(k string, q reconcileQuery, label string) (Prepared, error) {
	req, err := reconcileRequest(k, q)
	if err != nil {
		return Prepared{}, err
	}
	prep, err := Prepare(req)
	if err != nil {
		return Prepared{}, lexscreen.Errorf(lexscreen.EINVALID, "%s: %s", label, errMessage(err))
	}
	return prep, nil
}

func reconcileRequest(k string, q reconcileQuery) (ScreenRequest, error) {
	typ, err := reconcileTypeOf(k, q.Type)
	if err != nil {
		return ScreenRequest{}, err
	}
	req := ScreenRequest{ID: k, Name: strings.TrimSpace(q.Query), Type: typ, Limit: 3}
	if q.Limit > 0 {
		req.Limit = min(q.Limit, 100)
	}
	var names []string
	for _, p := range q.Properties {
		vs := propertyValues(p.V)
		switch strings.ToLower(p.PID) {
		case "name", "caption", "alias":
			names = append(names, vs...)
		case "dob", "birthdate", "date_of_birth":
			if len(vs) > 0 {
				req.DOB = vs[0]
			}
		case "country", "nationality", "citizenship", "jurisdiction":
			req.Country = append(req.Country, vs...)
		case "identifier", "idnumber", "passportnumber", "registrationnumber", "imonumber", "taxnumber", "inncode", "leicode":
			req.Identifiers = append(req.Identifiers, vs...)
		default:
			return req, lexscreen.Errorf(lexscreen.EINVALID, "query %s: property %q: want name, birthDate (dob), nationality (country) or idNumber (identifier); see /reconcile/suggest/property", k, p.PID)
		}
	}
	if req.Name == "" && len(names) > 0 {
		req.Name = strings.Join(names[:1], "")
	}
	if req.Name == "" {
		return req, lexscreen.Errorf(lexscreen.EINVALID, "query %s: no name: give \"query\" or a name property (lexscreen screens names; dates, countries and identifiers are evidence)", k)
	}
	return req, nil
}

// reconcileCandidates are a screening's matches as reconciliation candidates.
func reconcileCandidates(res lexscreen.Result) []reconcileCandidate {
	out := []reconcileCandidate{}
	for _, m := range res.Matches {
		var progs []string
		for _, d := range m.Designations {
			if d.Program != "" && !slices.Contains(progs, d.Program) {
				progs = append(progs, d.Program)
			}
		}
		out = append(out, reconcileCandidate{ID: ftm.ExternalID(m.Entity.ID), Name: m.Entity.Name,
			Type:  []reconcileType{{string(m.Entity.Schema), toTitle(string(m.Entity.Schema))}},
			Score: float64(int(m.Score*1000+0.5)) / 10, Match: m.Score >= res.Engine.Threshold,
			Description: strings.TrimSpace(ftm.DatasetName(m.Entity.Source) + " " + strings.Join(progs, ", "))})
	}
	return out
}
