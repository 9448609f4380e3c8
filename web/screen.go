package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/workspace"
)

// screenData is the screening page's data: the form as filled, the
// overlays offered, and the result once screened.
type screenData struct {
	Form      screenForm
	Operators []string
	Overlays  []overlayToggle
	Result    *lexscreen.Result
	// Alerts are the ids of the alerts just opened (Opened: the form was
	// the "open an alert" one).
	Alerts []string
	Opened bool
}

// overlayToggle is a what-if overlay as a checkbox.
type overlayToggle struct {
	server.Overlay
	On bool
}

// screenForm is the screening form.
type screenForm struct {
	Name, Type, DOB, Country, Identifiers, Operator, Date string
	Overlays                                              []string
}

// builtinOperators are the operator profiles every server knows (a
// server's --profiles add others, typed in by name).
var builtinOperators = []string{"us-bank", "eu-bank", "eu-subsidiary-of-us-bank", "uk-firm", "border:HU", "border:MN"}

func (u *UI) screenRoutes() []route {
	return []route{
		{"GET " + Prefix + "screen", u.withUser(u.handleScreenForm)},
		{"POST " + Prefix + "screen", u.withUser(u.handleScreen)},
	}
}

// formOf reads the screening form of a request (query or body).
func formOf(r *http.Request) screenForm {
	v := func(k string) string { return strings.TrimSpace(r.Form.Get(k)) }
	return screenForm{Name: v("name"), Type: v("type"), DOB: v("dob"), Country: v("country"), Identifiers: v("identifiers"),
		Operator: v("operator"), Date: v("date"), Overlays: r.Form["overlay"]}
}

// request is the API request of the form, with the overlays' YAML merged
// into its regimes.
func (f screenForm) request() (server.ScreenRequest, error) {
	req := server.ScreenRequest{Name: f.Name, Type: f.Type, DOB: f.DOB, Operator: f.Operator, Date: f.Date,
		Country: splitList(f.Country), Identifiers: splitList(f.Identifiers)}
	if len(f.Overlays) > 0 {
		y, err := mergeOverlays(f.Overlays)
		if err != nil {
			return req, err
		}
		req.Regimes = y
	}
	return req, nil
}

// splitList splits a comma- or semicolon-separated field.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// mergeOverlays joins named overlays into one overlay document: the
// entries of each top-level list of each are appended to the same list
// (the values kept as written: dates stay YYYY-MM-DD).
func mergeOverlays(ids []string) (string, error) {
	byID := map[string]server.Overlay{}
	for _, o := range server.Overlays() {
		byID[o.ID] = o
	}
	merged := &yaml.Node{Kind: yaml.MappingNode}
	at := map[string]*yaml.Node{} // the merged lists by key
	for _, id := range ids {
		o, ok := byID[id]
		if !ok {
			return "", fmt.Errorf("what-if overlay %q: the server has no such overlay (GET /v1/overlays lists them)", id)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(o.YAML), &doc); err != nil {
			return "", fmt.Errorf("what-if overlay %s: %v", id, err)
		}
		if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
			return "", fmt.Errorf("what-if overlay %s: not a mapping of lists", id)
		}
		m := doc.Content[0]
		for k := 0; k+1 < len(m.Content); k += 2 {
			key, val := m.Content[k], m.Content[k+1]
			if list, ok := at[key.Value]; ok {
				list.Content = append(list.Content, val.Content...)
				continue
			}
			at[key.Value] = val
			merged.Content = append(merged.Content, key, val)
		}
	}
	b, err := yaml.Marshal(merged)
	return string(b), err
}

func (u *UI) screenPage(r *http.Request, s server.SessionResponse, d screenData) page {
	d.Operators = builtinOperators
	var ov server.OverlaysResponse
	if err := u.api(r, http.MethodGet, "/v1/overlays", nil, &ov); err == nil {
		for _, o := range ov.Overlays {
			on := false
			for _, id := range d.Form.Overlays {
				on = on || id == o.ID
			}
			d.Overlays = append(d.Overlays, overlayToggle{o, on})
		}
	}
	return page{Title: "Screen a name", Session: s, Current: Prefix + "screen", Data: d}
}

func (u *UI) handleScreenForm(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	r.ParseForm()
	d := screenData{Form: formOf(r)}
	if d.Form.Operator == "" {
		d.Form.Operator = "eu-bank"
	}
	u.render(w, r, "screen.html", u.screenPage(r, s, d))
}

// handleScreen screens the form through POST /v1/screen, or, when the
// form is the "open an alert" button's, through POST /v1/screen/alert.
func (u *UI) handleScreen(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, s, err)
		return
	}
	d := screenData{Form: formOf(r)}
	req, err := d.Form.request()
	p := u.screenPage(r, s, d)
	if err != nil {
		p.Error = err.Error()
		u.renderStatus(w, r, http.StatusBadRequest, "screen.html", p)
		return
	}
	path := "/v1/screen"
	d.Opened = r.PostForm.Get("alert") == "1"
	if d.Opened {
		path = "/v1/screen/alert"
	}
	a := u.apiRaw(r, http.MethodPost, path, "application/json", jsonBody(req))
	if err := a.err(); err != nil {
		if signedOut(err) {
			u.toLogin(w, r)
			return
		}
		p.Error = errMessage(err)
		u.renderStatus(w, r, a.status, "screen.html", p)
		return
	}
	var res lexscreen.Result
	if err := decode(a, &res); err != nil {
		u.fail(w, r, s, err)
		return
	}
	d.Result = &res
	d.Alerts = splitList(a.header.Get("X-Alerts-Opened"))
	p = u.screenPage(r, s, d)
	if d.Opened {
		if len(d.Alerts) > 0 {
			p.Flash = fmt.Sprintf("Opened %d alert(s): %s.", len(d.Alerts), strings.Join(d.Alerts, ", "))
		} else if len(res.Matches) > 0 {
			p.Flash = "No new alert: each match already has an open alert, or an approved false positive suppresses it (see the alerts of this subject)."
		}
	}
	u.render(w, r, "screen.html", p)
}

// alertsOfQuery is the alert queue filtered to an ad-hoc subject's alerts.
func alertsOfQuery(q lexscreen.Query) string {
	return Prefix + "alerts?" + url.Values{"subject": {workspace.AdHocPrefix + lexscreen.SubjectFingerprint(q)}}.Encode()
}
