package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"

	"github.com/lexscreen/lexscreen/server"
)

// iccProgram is the OFAC program whose designations the list changes page
// shows as a dated timeline (EO 14203, ICC-related sanctions).
const iccProgram = "ICC-EO14203"

// changesData is the list changes page's data: the lists to choose from,
// the chosen list's timeline (a chart and its table), the diff between two
// of its snapshots, and the ICC-EO14203 designations by date.
type changesData struct {
	Lists    []server.ListRow
	Source   string
	Program  string
	From, To string
	Timeline *server.TimelineResponse
	Chart    *barChart
	Diff     *server.DiffResponse
	DiffErr  string
	// ICC is the timeline of the ICC-EO14203 designations (from the
	// OFAC SDN list), when that list is loaded.
	ICC    *server.TimelineResponse
	ICCErr string
}

func (u *UI) handleChanges(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	q := r.URL.Query()
	d := changesData{Source: q.Get("source"), Program: q.Get("program"), From: q.Get("from"), To: q.Get("to")}
	var lists server.ListsResponse
	if err := u.api(r, http.MethodGet, "/v1/lists?current=true", nil, &lists); err != nil {
		u.fail(w, r, s, err)
		return
	}
	d.Lists = lists.Lists
	if d.Source == "" && len(d.Lists) > 0 {
		d.Source = d.Lists[0].Source
		for _, l := range d.Lists {
			if l.Source == "us-ofac-sdn" {
				d.Source = l.Source
			}
		}
	}
	p := page{Title: "List changes", Session: s, Current: Prefix + "changes"}
	if d.Source != "" {
		var tl server.TimelineResponse
		path := "/v1/lists/" + url.PathEscape(d.Source) + "/timeline"
		if d.Program != "" {
			path += "?" + url.Values{"program": {d.Program}}.Encode()
		}
		if err := u.api(r, http.MethodGet, path, nil, &tl); err != nil {
			p.Error = err.Error()
		} else {
			d.Timeline = &tl
			d.Chart = newBarChart(tl.Points)
		}
		if d.Timeline != nil && len(d.Timeline.Points) > 1 {
			dq := url.Values{}
			for k, v := range map[string]string{"from": d.From, "to": d.To, "program": d.Program} {
				if v != "" {
					dq.Set(k, v)
				}
			}
			var diff server.DiffResponse
			if err := u.api(r, http.MethodGet, "/v1/lists/"+url.PathEscape(d.Source)+"/diff?"+dq.Encode(), nil, &diff); err != nil {
				d.DiffErr = err.Error()
			} else {
				d.Diff = &diff
			}
		}
	}
	for _, l := range d.Lists {
		if l.Source == "us-ofac-sdn" {
			var icc server.TimelineResponse
			if err := u.api(r, http.MethodGet, "/v1/lists/us-ofac-sdn/timeline?program="+iccProgram, nil, &icc); err != nil {
				d.ICCErr = err.Error()
			} else {
				d.ICC = &icc
			}
		}
	}
	p.Data = d
	u.render(w, r, "changes.html", p)
}

// barChart is a chart of additions (up) and removals (down) per snapshot,
// laid out here so that the template only draws it.
type barChart struct {
	Width, Height, Zero int
	Bars                []bar
	Ticks               []tick
	Max                 int
}

type bar struct {
	X, W            float64
	AddY, AddH      float64
	RemY, RemH      float64
	Label, Date     string
	Added, Removed  int
	LabelX, LabelY  float64
	ShowLabel, Base bool
}

type tick struct {
	Y     float64
	Label string
}

// newBarChart lays out the points: one bar pair per snapshot after the
// first, scaled to the largest count, with a date label on a few of them.
func newBarChart(points []server.TimelinePoint) *barChart {
	c := &barChart{Width: 720, Height: 240}
	c.Zero = c.Height / 2
	maxN := 1
	for _, p := range points {
		maxN = max(maxN, p.Added, p.Removed)
	}
	c.Max = maxN
	n := len(points)
	if n == 0 {
		return c
	}
	left, usable := 48.0, float64(c.Width-56)
	slot := usable / float64(n)
	w := math.Max(2, math.Min(40, slot*0.7))
	half := float64(c.Zero) - 24 // room for the labels
	every := int(math.Ceil(float64(n) / 8))
	for i, p := range points {
		b := bar{X: left + float64(i)*slot + (slot-w)/2, W: w, Added: p.Added, Removed: p.Removed, Date: p.Snapshot.Published, Base: p.First}
		if b.Date == "" {
			b.Date = p.Snapshot.Version
		}
		b.AddH = half * float64(p.Added) / float64(maxN)
		b.AddY = float64(c.Zero) - b.AddH
		b.RemY = float64(c.Zero)
		b.RemH = half * float64(p.Removed) / float64(maxN)
		b.Label = fmt.Sprintf("%s: %d added, %d removed", b.Date, p.Added, p.Removed)
		if p.First {
			b.Label = fmt.Sprintf("%s: first snapshot in the store (%d entities), nothing to compare", b.Date, p.Snapshot.Entities)
		}
		b.LabelX, b.LabelY = b.X+w/2, float64(c.Height-4)
		b.ShowLabel = i%every == 0 || i == n-1
		c.Bars = append(c.Bars, b)
	}
	c.Ticks = []tick{{Y: float64(c.Zero) - half, Label: fmt.Sprintf("+%d", maxN)}, {Y: float64(c.Zero), Label: "0"}, {Y: float64(c.Zero) + half, Label: fmt.Sprintf("−%d", maxN)}}
	return c
}
