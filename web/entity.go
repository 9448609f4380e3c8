package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// entityData is the entity page's data: the entity as its list has it now,
// its history across the snapshots of its list, and the entities of the
// other lists the matcher links to it. A part that could not be read says
// why instead (HistoryErr, RelatedErr): the rest of the page still shows.
type entityData struct {
	ID         string
	Entity     *lexscreen.Entity
	Attributes []attribute
	History    []historyRow
	HistoryErr string
	Related    *server.RelatedResponse
	RelatedErr string
}

// attribute is one of an entity's attributes, for display in key order.
type attribute struct {
	Key    string
	Values []string
}

// historyRow is one event of the timeline, newest first.
type historyRow struct {
	Date, Version, Kind string
	Snapshot            int64
	Fields              []sqlite.FieldChange
}

func (u *UI) handleEntityLookup(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	if id := strings.TrimSpace(r.URL.Query().Get("id")); id != "" {
		http.Redirect(w, r, Prefix+"entity/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	u.render(w, r, "entity.html", page{Title: "Look up an entity", Session: s, Data: entityData{}})
}

func (u *UI) handleEntity(w http.ResponseWriter, r *http.Request, s server.SessionResponse) {
	id := r.PathValue("id")
	d := entityData{ID: id}
	var e lexscreen.Entity
	if err := u.api(r, http.MethodGet, "/v1/entities/"+url.PathEscape(id), nil, &e); err != nil {
		u.fail(w, r, s, err)
		return
	}
	d.Entity = &e
	keys := make([]string, 0, len(e.Attributes))
	for k := range e.Attributes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.Attributes = append(d.Attributes, attribute{Key: k, Values: e.Attributes[k]})
	}
	var h server.HistoryResponse
	if err := u.api(r, http.MethodGet, "/v1/entities/"+url.PathEscape(id)+"/history", nil, &h); err != nil {
		d.HistoryErr = err.Error()
	}
	for i := len(h.Events) - 1; i >= 0; i-- {
		ev := h.Events[i]
		d.History = append(d.History, historyRow{Date: snapshotDate(ev.Snapshot), Version: ev.Snapshot.Version, Kind: ev.Kind,
			Snapshot: ev.Snapshot.ID, Fields: ev.Fields})
	}
	var rel server.RelatedResponse
	if err := u.api(r, http.MethodGet, "/v1/entities/"+url.PathEscape(id)+"/related", nil, &rel); err != nil {
		d.RelatedErr = err.Error()
	} else {
		d.Related = &rel
	}
	u.render(w, r, "entity.html", page{Title: e.Caption(), Session: s, Data: d})
}

// snapshotDate is the publisher's date of a snapshot, else the day it was imported.
func snapshotDate(sn lexscreen.Snapshot) string {
	if !sn.Published.IsZero() {
		return sn.Published.UTC().Format("2006-01-02")
	}
	return sn.Imported.UTC().Format("2006-01-02") + " (imported)"
}
