package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/web/worldmap"
)

// iccData is the ICC cooperation page's data: the report for the date, the
// map drawn from it, and its legend.
type iccData struct {
	Date    string
	Report  *server.ICCCooperationResponse
	Map     []mapCountry
	Legend  []legendItem
	Width   int
	Height  int
	Parties int // States Parties on the date (withdrawal pending included)
	// Failures are the States with a recorded failure to surrender.
	Failures []string
	MapErr   string
}

// mapCountry is one country of the map with its colour and its label (the
// SVG title a pointer or a screen reader announces).
type mapCountry struct {
	Path, Fill, Label string
	Outline           bool // a recorded failure to surrender: drawn with a heavy outline
}

type legendItem struct{ Fill, Label string }

// iccColours are the map's fills by status; none is a State neither party
// nor declarant.
var iccColours = map[string]string{
	regime.ICCParty:             "#2a6db0",
	regime.ICCWithdrawalPending: "#e08a1e",
	regime.ICCWithdrawn:         "#b32d2d",
	regime.ICCNotYetInForce:     "#8fbfe6",
	regime.ICCDeclarant:         "#7048b8",
	"":                          "#d4d4d4",
}

// iccStatusTitle is a status in words.
func iccStatusTitle(s string) string {
	switch s {
	case regime.ICCParty:
		return "State Party"
	case regime.ICCWithdrawalPending:
		return "State Party, withdrawal pending"
	case regime.ICCWithdrawn:
		return "Withdrawn"
	case regime.ICCNotYetInForce:
		return "Ratified, not yet in force"
	case regime.ICCDeclarant:
		return "Art. 12(3) declarant"
	case "":
		return "Not a party"
	}
	return strings.ReplaceAll(s, "_", " ")
}

func (u *UI) handleICC(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	p := page{Title: "ICC cooperation", Session: s, Current: Prefix + "icc"}
	_, date, err := pageDate(r.URL.Query().Get("date"), u.cfg.Now())
	d := iccData{Date: date, Width: worldmap.Width, Height: worldmap.Height}
	if err != nil {
		p.Error = err.Error()
		p.Data = d
		u.renderStatus(w, r, http.StatusBadRequest, "icc.html", p)
		return
	}
	var rep server.ICCCooperationResponse
	if err := u.api(r, http.MethodGet, "/v1/icc/cooperation?"+url.Values{"date": {date}}.Encode(), nil, &rep); err != nil {
		u.fail(w, r, s, err)
		return
	}
	d.Report = &rep
	d.Parties = rep.Counts[regime.ICCParty] + rep.Counts[regime.ICCWithdrawalPending]
	failures := rep.Failures()
	for cc := range failures {
		d.Failures = append(d.Failures, cc)
	}
	slices.Sort(d.Failures)
	countries, err := worldmap.Countries()
	if err != nil {
		d.MapErr = "the map could not be drawn (" + err.Error() + "); the table below gives the same facts"
	}
	for _, c := range countries {
		st := rep.StateStatus(c.ISO2)
		label := c.Name + ": " + iccStatusTitle(st)
		if ids, ok := failures[c.ISO2]; ok && c.ISO2 != "" {
			label += "; recorded failure to surrender (" + strings.Join(ids, ", ") + ")"
		}
		d.Map = append(d.Map, mapCountry{Path: c.Path, Fill: iccColours[st], Label: label, Outline: len(failures[c.ISO2]) > 0 && c.ISO2 != ""})
	}
	for _, st := range []string{regime.ICCParty, regime.ICCWithdrawalPending, regime.ICCNotYetInForce, regime.ICCWithdrawn, regime.ICCDeclarant, ""} {
		d.Legend = append(d.Legend, legendItem{Fill: iccColours[st], Label: iccStatusTitle(st)})
	}
	p.Data = d
	u.render(w, r, "icc.html", p)
}
