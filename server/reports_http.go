package server

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/icccoop"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/report"
)

// The research endpoints the web interface's entity, list changes,
// exposure and ICC pages read (issue 14): the ICC cooperation picture on a
// date, the exposure report with a what-if overlay and its exports, and a
// list's additions and removals over time.

// ObligationsRequest is the body of POST /v1/obligations and
// /v1/obligations/export: GET /v1/obligations's parameters, plus a what-if
// overlay.
type ObligationsRequest struct {
	Operator     string `json:"operator" doc:"us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX or a profile of the server"`
	Date         string `json:"date,omitempty" doc:"YYYY-MM-DD (default today); a past date evaluates the lists in force that day"`
	CurrentLists bool   `json:"current_lists,omitempty" doc:"with a past date, evaluate the current lists anyway"`
	Regimes      string `json:"regimes,omitempty" doc:"what-if overlay, a YAML document (see examples/eu-blocks-icc-2027.yaml); the report is then the law as the overlay supposes it, not the law in force"`
	// Compare, with an overlay: also evaluate without it and answer both.
	Compare bool `json:"compare,omitempty" doc:"with regimes: answer the report without the overlay too, and what the overlay changes"`
}

// ExportRequest is the body of POST /v1/obligations/export.
type ExportRequest struct {
	ObligationsRequest
	Format      string `json:"format" doc:"pdf or xlsx" enum:"pdf,xlsx"`
	OverlayName string `json:"overlay_name,omitempty" doc:"how the export names the overlay (default: its first comment line)"`
}

// ObligationsCompared is the answer of POST /v1/obligations: the report
// (with the overlay, when one is given) and, with compare, the report
// without it and the listings the overlay moves.
type ObligationsCompared struct {
	ObligationsResponse
	Overlay  bool                `json:"overlay" doc:"true: report is the law as the overlay supposes it"`
	Without  *regime.Report      `json:"without,omitempty" doc:"with compare: the report without the overlay"`
	Changes  []report.Change     `json:"changes,omitempty" doc:"with compare: the listings whose section the overlay changes"`
	Programs []report.ProgramRow `json:"programs" doc:"report counted by list and program"`
}

// ICCCooperationResponse is the answer of GET /v1/icc/cooperation.
type ICCCooperationResponse struct {
	icccoop.Report
	Lists []lexscreen.ListVersion `json:"lists" doc:"the list versions the warrants come from"`
}

func (s *Server) reportRoutes() []route {
	an := audit.RoleAnalyst
	return []route{
		{Method: "POST", Path: "/v1/obligations", Role: an, Summary: "Exposure report of an operator on a date, with a what-if overlay",
			Description: "As GET /v1/obligations, with a what-if overlay (regimes, YAML) and, with compare, the report without the overlay and the listings whose section it changes, side by side. Also counts the report by list and program.",
			Request:     ObligationsRequest{}, Response: ObligationsCompared{},
			Example: `{"operator": "eu-subsidiary-of-us-bank", "date": "2027-03-01", "compare": true, "regimes": "blocking_statutes:\n  - id: EU-2271-96\n    annex_add:\n      - {program: ICC-EO14203, effective_from: 2027-01-01}\n"}`,
			handler: s.handleObligationsPost},
		{Method: "POST", Path: "/v1/obligations/export", Role: an, Summary: "Exposure report as PDF or XLSX, with and without a what-if overlay",
			Description: "XLSX: a summary, the counts by list and program, every obligation of every listing (with and without the overlay) and what the overlay changes. PDF: the summary, the counts, what the overlay changes and the listings in conflict or that must not be complied with in full; binding and risk-only listings are counted, not listed (the XLSX lists them).",
			Request:     ExportRequest{}, ResponseType: "application/pdf", AltTypes: map[string]any{xlsxType: nil},
			Example: `{"operator": "eu-bank", "date": "2026-01-15", "format": "xlsx"}`, handler: s.handleObligationsExport},
		{Method: "GET", Path: "/v1/icc/cooperation", Role: roleReader, Summary: "ICC warrants at large, the States they bind, visits without arrest and non-compliance findings, on a date",
			Description: "States Parties (in force, withdrawal pending, withdrawn, not yet in force) and art. 12(3) declarants on the date; the warrants issued by then with their subjects' status on the date (from the icc-warrants list's dated history); the visits of wanted persons to States Parties that ended without surrender and the Court's non-compliance findings made by then. Every fact is dated and cited with its confidence tag; nothing after the date is stated.",
			Params:      []param{{Name: "date", In: "query", Example: "2025-10-20", Description: "YYYY-MM-DD (default today)"}},
			Response:    ICCCooperationResponse{}, handler: s.handleICCCooperation},
		{Method: "GET", Path: "/v1/lists/{source}/timeline", Role: an, Summary: "A list's additions, removals and changes, snapshot by snapshot",
			Description: "One point per snapshot of the list in the store, oldest first, each with the entities added, removed and changed since the snapshot before (the first has none to compare). With program, only entities under that program, and the current entities under it with their listing dates (a dated timeline of the designations).",
			Params: []param{{Name: "source", In: "path", Required: true, Example: "us-ofac-sdn", Description: "list source id"},
				{Name: "program", In: "query", Example: "ICC-EO14203", Description: "only entities under this program tag"}},
			Response: TimelineResponse{}, handler: s.handleTimeline},
		s.relatedRoute(),
	}
}

// obligationsFor evaluates a request: the report with its overlay (if any),
// the lists used, and with compare the report without the overlay.
func (s *Server) obligationsFor(r *http.Request, req ObligationsRequest) (ObligationsCompared, error) {
	var out ObligationsCompared
	if strings.TrimSpace(req.Operator) == "" {
		return out, lexscreen.Errorf(lexscreen.EINVALID, "operator: required (us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX)")
	}
	if req.Compare && req.Regimes == "" {
		return out, lexscreen.Errorf(lexscreen.EINVALID, "compare needs regimes: an overlay to compare with")
	}
	opts, err := legalOptions(req.Operator, nil, req.Date, "", s.cfg.Profiles)
	if err != nil {
		return out, err
	}
	base := opts.Regimes
	if req.Regimes != "" {
		if opts.Regimes, err = overlayEngine(req.Regimes); err != nil {
			return out, err
		}
	}
	var asOf time.Time
	if !req.CurrentLists && req.Date != "" {
		asOf = opts.Date
	}
	ix, err := s.indexAt(r.Context(), asOf)
	if err != nil {
		return out, err
	}
	listings := ix.Screener.Listings()
	rep, err := opts.Regimes.Exposure(opts.Operator, opts.Date, listings)
	if err != nil {
		return out, err
	}
	out.ObligationsResponse = ObligationsResponse{Report: rep, Lists: nonNil(ix.Screener.Lists()), Warnings: ix.Screener.ListWarnings(s.cfg.MaxListAge)}
	out.Overlay = req.Regimes != ""
	out.Programs = nonNil(report.ByProgram(rep))
	if req.Compare {
		without, err := base.Exposure(opts.Operator, opts.Date, listings)
		if err != nil {
			return out, err
		}
		out.Without = &without
		out.Changes = nonNil(report.Compare(without, rep))
	}
	return out, nil
}

func (s *Server) handleObligationsPost(w http.ResponseWriter, r *http.Request) {
	var req ObligationsRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return
	}
	out, err := s.obligationsFor(r, req)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleObligationsExport(w http.ResponseWriter, r *http.Request) {
	var req ExportRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return
	}
	if req.Format != "pdf" && req.Format != "xlsx" {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "format=%q: want pdf or xlsx", truncate(req.Format, 20)))
		return
	}
	req.Compare = req.Regimes != ""
	out, err := s.obligationsFor(r, req.ObligationsRequest)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	x := report.Exposure{Operator: out.Report.Operator, Date: out.Report.Date, Lists: out.Lists, Base: out.Report, Generated: time.Now()}
	for _, wn := range out.Warnings {
		x.Warnings = append(x.Warnings, wn.Message)
	}
	if out.Without != nil {
		x.Base, x.Overlay = *out.Without, &out.Report
		x.OverlayName = req.OverlayName
		if x.OverlayName == "" {
			x.OverlayName = overlayTitle(req.Regimes)
		}
	}
	var buf bytes.Buffer
	ctype, ext := "application/pdf", "pdf"
	if req.Format == "xlsx" {
		ctype, ext = xlsxType, "xlsx"
		err = report.WriteXLSX(&buf, x)
	} else {
		err = report.WritePDF(&buf, x)
	}
	if err != nil {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINTERNAL, "the %s export could not be written: %v", ext, err))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="exposure-`+safeName(x.Operator)+"-"+x.Date+"."+ext+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// overlays caches the engines of the overlays asked for, by the YAML's
// hash: loading one parses every data file (tens of milliseconds), and a
// page asks for the same overlay again and again. Bounded: cleared when full.
var overlays = struct {
	sync.Mutex
	m map[[32]byte]*regime.Engine
}{m: map[[32]byte]*regime.Engine{}}

// overlayEngine is the regime engine with a what-if overlay (checked as
// legalOptions checks it: an error names the overlay's line).
func overlayEngine(yaml string) (*regime.Engine, error) {
	key := sha256.Sum256([]byte(yaml))
	overlays.Lock()
	eng, ok := overlays.m[key]
	overlays.Unlock()
	if ok {
		return eng, nil
	}
	eng, err := regime.LoadNamed([]string{"regimes"}, [][]byte{[]byte(yaml)})
	if err != nil {
		return nil, err
	}
	overlays.Lock()
	if len(overlays.m) >= 32 {
		clear(overlays.m)
	}
	overlays.m[key] = eng
	overlays.Unlock()
	return eng, nil
}

// warrantSources caches the source_url attributes of the warrants list by
// snapshot (a snapshot never changes): the index does not keep them.
var warrantSources = struct {
	sync.Mutex
	m map[string]map[string][]string // store path|snapshot id -> entity id -> sources
}{m: map[string]map[string][]string{}}

// sourcesOf returns the sources of a warrant of the index, read once per snapshot.
func (s *Server) sourcesOf(r *http.Request, ix *Index, id string) []string {
	sn, ok := snapshotOf(ix, id)
	if !ok {
		return nil
	}
	key := fmt.Sprintf("%s|%d", s.cfg.Store.Location(), sn.ID)
	warrantSources.Lock()
	defer warrantSources.Unlock()
	bySnap := warrantSources.m[key]
	if bySnap == nil {
		if len(warrantSources.m) >= 16 {
			clear(warrantSources.m)
		}
		bySnap = map[string][]string{}
		err := s.cfg.Store.Entities(r.Context(), sn.ID, func(e *lexscreen.Entity) error {
			bySnap[e.ID] = e.Attributes["source_url"]
			return nil
		})
		if err != nil {
			return nil // not cached: the next request tries again
		}
		warrantSources.m[key] = bySnap
	}
	return bySnap[id]
}

// overlayTitle is the first comment line of an overlay, or "what-if overlay".
func overlayTitle(yaml string) string {
	for _, line := range strings.Split(yaml, "\n") {
		if t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#")); strings.HasPrefix(strings.TrimSpace(line), "#") && t != "" {
			return truncate(t, 200)
		}
	}
	return "what-if overlay"
}

// safeName keeps the letters, digits, - and _ of a name for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func (s *Server) handleICCCooperation(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), "date"); err != nil {
		writeErr(w, r, err)
		return
	}
	d := time.Now().UTC().Truncate(24 * time.Hour)
	if v := r.URL.Query().Get("date"); v != "" {
		var err error
		if d, err = regime.ParseDate(v); err != nil {
			writeErr(w, r, err)
			return
		}
	}
	eng, err := defaultRegimes()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	// The current warrants list: its dated status history answers for past
	// dates, and a warrant issued after the date is left out.
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	rep, err := icccoop.Build(eng, ix.Screener.Listings(), d)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	// The index keeps only the attributes the law needs; the sources of
	// each warrant are read from the stored entity.
	for i, w := range rep.Warrants {
		if len(w.Sources) > 0 {
			continue
		}
		rep.Warrants[i].Sources = s.sourcesOf(r, ix, w.EntityID)
		if len(rep.Warrants[i].Sources) == 0 {
			rep.Warrants[i].Sources = []string{"the " + icccoop.WarrantsSource + " list (no source given for this warrant)"}
		}
	}
	var lists []lexscreen.ListVersion
	for _, l := range ix.Screener.Lists() {
		if l.Source == icccoop.WarrantsSource {
			lists = append(lists, l)
		}
	}
	writeJSON(w, http.StatusOK, ICCCooperationResponse{Report: rep, Lists: nonNil(lists)})
}
