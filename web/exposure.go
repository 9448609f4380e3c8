package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/report"
	"github.com/lexscreen/lexscreen/server"
)

// euBlocksICC2027 is examples/eu-blocks-icc-2027.yaml, the overlay the
// exposure page offers by default (a test keeps the two the same).
const euBlocksICC2027 = `# What-if: the EU adds EO 14203 (OFAC program ICC-EO14203) to the Annex of its Blocking Statute
# (Council Regulation (EC) No 2271/96) from 2027-01-01. Use with --regimes.
blocking_statutes:
  - id: EU-2271-96
    annex_add:
      - program: ICC-EO14203
        effective_from: 2027-01-01
`

// operators are the built-in operator profiles the form offers.
var operators = []struct{ ID, Label string }{
	{"eu-subsidiary-of-us-bank", "EU subsidiary of a US bank"},
	{"eu-bank", "EU bank"},
	{"us-bank", "US bank"},
	{"uk-firm", "UK firm"},
}

// exposureForm is the exposure page's form as filled.
type exposureForm struct {
	Operator, Date, Regimes string
	// OverlayID names one of the server's overlays (server.Overlays), or
	// is "custom": the YAML of Regimes.
	OverlayID             string
	Overlay, CurrentLists bool
}

// exposureData is the exposure page's data: the report without the
// overlay and, with it, the report as the overlay supposes the law, side
// by side, with the listings the overlay moves.
type exposureData struct {
	Form      exposureForm
	Operators []struct{ ID, Label string }
	Overlays  []server.Overlay
	Result    *server.ObligationsCompared
	Base      *regime.Report // the report without the overlay
	Rows      []sectionRow
	Programs  []programRow
	Sections  []struct{ ID, Title string }
}

// sectionRow is one section's counts, without and with the overlay.
type sectionRow struct {
	ID, Title     string
	Without, With int
}

// programRow is one list and program, without and with the overlay.
type programRow struct {
	Source, Program string
	Without, With   map[string]int
	Kinds           string
}

func readExposureForm(r *http.Request) exposureForm {
	f := exposureForm{Operator: r.FormValue("operator"), Date: strings.TrimSpace(r.FormValue("date")), Regimes: r.FormValue("regimes"),
		Overlay: r.FormValue("overlay") == "on", CurrentLists: r.FormValue("current_lists") == "on"}
	if f.Operator == "" {
		f.Operator = operators[0].ID
	}
	if f.Regimes == "" {
		f.Regimes = euBlocksICC2027
	}
	f.OverlayID = r.FormValue("overlay_id")
	if f.OverlayID == "" {
		f.OverlayID = "custom"
		if named := server.Overlays(); len(named) > 0 && r.FormValue("regimes") == "" {
			f.OverlayID = named[0].ID
			for _, o := range named {
				if o.ID == "eu-blocks-icc-2027" {
					f.OverlayID = o.ID
				}
			}
		}
	}
	return f
}

// overlayYAML is the overlay the form asks for, and its title.
func (f exposureForm) overlayYAML() (string, string) {
	for _, o := range server.Overlays() {
		if o.ID == f.OverlayID {
			return o.YAML, o.Title
		}
	}
	return f.Regimes, ""
}

func (f exposureForm) request() server.ObligationsRequest {
	req := server.ObligationsRequest{Operator: f.Operator, Date: f.Date, CurrentLists: f.CurrentLists}
	if f.Overlay {
		req.Regimes, _ = f.overlayYAML()
		req.Compare = true
	}
	return req
}

func (u *UI) handleExposure(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	d := exposureData{Form: readExposureForm(r), Operators: operators, Overlays: server.Overlays(), Sections: report.Sections}
	p := page{Title: "Exposure report", Session: s, Current: Prefix + "exposure"}
	if r.URL.Query().Has("operator") {
		if _, _, err := pageDate(d.Form.Date, u.cfg.Now()); err != nil {
			p.Error = err.Error()
		} else {
			// POST /v1/obligations only reads (a body carries the overlay),
			// so this GET page may send it with the session's own token.
			rr := r.Clone(r.Context())
			rr.Header.Set(server.CSRFHeader, s.CSRFToken)
			var res server.ObligationsCompared
			if err := u.api(rr, http.MethodPost, "/v1/obligations", d.Form.request(), &res); err != nil {
				if signedOut(err) {
					u.toLogin(w, r)
					return
				}
				p.Error = err.Error()
			} else {
				d.Result = &res
				d.Base = &res.Report
				if res.Without != nil {
					d.Base = res.Without
				}
				d.Rows, d.Programs = sideBySide(*d.Base, res.Report, res.Without != nil)
			}
		}
	}
	p.Data = d
	u.render(w, r, "exposure.html", p)
}

// sideBySide counts the two reports by section and by list and program.
func sideBySide(without, with regime.Report, overlay bool) ([]sectionRow, []programRow) {
	cw, co := report.Counts(without), report.Counts(with)
	var rows []sectionRow
	for _, s := range append(report.Sections, struct{ ID, Title string }{report.NotApplicable, "Not applicable"}) {
		rows = append(rows, sectionRow{ID: s.ID, Title: s.Title, Without: cw[s.ID], With: co[s.ID]})
	}
	byKey := map[[2]string]*programRow{}
	var order [][2]string
	add := func(rs []report.ProgramRow, withOverlay bool) {
		for _, pr := range rs {
			k := [2]string{pr.Source, pr.Program}
			row := byKey[k]
			if row == nil {
				row = &programRow{Source: pr.Source, Program: pr.Program, Without: map[string]int{}, With: map[string]int{}}
				byKey[k] = row
				order = append(order, k)
			}
			if withOverlay {
				row.With = pr.Sections
			} else {
				row.Without = pr.Sections
			}
			row.Kinds = strings.Join(pr.Kinds, ", ")
		}
	}
	add(report.ByProgram(without), false)
	if overlay {
		add(report.ByProgram(with), true)
	}
	out := make([]programRow, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return rows, out
}

// handleExposureExport sends the report as PDF or XLSX, as the API writes it.
func (u *UI) handleExposureExport(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	f := readExposureForm(r)
	req := server.ExportRequest{ObligationsRequest: f.request(), Format: r.FormValue("format")}
	if f.Overlay {
		_, req.OverlayName = f.overlayYAML()
	}
	b, err := json.Marshal(req)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	a := u.apiRaw(r, http.MethodPost, "/v1/obligations/export", "application/json", bytes.NewReader(b))
	if err := a.err(); err != nil {
		u.fail(w, r, s, err)
		return
	}
	for _, h := range []string{"Content-Type", "Content-Disposition"} {
		w.Header().Set(h, a.header.Get(h))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(a.body.Bytes())
}

// sectionTitle is a report section's words.
func sectionTitle(id string) string { return report.SectionTitle(id) }
