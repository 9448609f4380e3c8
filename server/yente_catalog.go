package server

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// yenteDataset is a dataset of yente's GET /catalog: "default" (all lists)
// and one per list source.
type yenteDataset struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Type         string   `json:"type" doc:"collection (default) or source (one list)"`
	Version      string   `json:"version"`
	UpdatedAt    string   `json:"updated_at,omitempty" doc:"the publisher's date (YYYY-MM-DD)"`
	EntityCount  int      `json:"entity_count"`
	Load         bool     `json:"load"`
	IndexVersion *string  `json:"index_version" doc:"YYYYMMDDHHMMSS-xxx: when the index in use was built (yente's freshness); null for a dataset not indexed by itself"`
	IndexCurrent bool     `json:"index_current"`
	Children     []string `json:"children" doc:"the datasets a collection holds ([] for a source)"`
	// Tags, DeltaURL and Metadata are in yente's shape, which clients
	// such as Marble decode: lexscreen has no tags or delta files.
	Tags     []string       `json:"tags"`
	DeltaURL *string        `json:"delta_url" doc:"always null: lexscreen serves no delta files"`
	Metadata map[string]any `json:"metadata"`
}

// yenteCatalog is the answer of GET /catalog, in yente's shape.
type yenteCatalog struct {
	Datasets   []yenteDataset `json:"datasets"`
	Current    []string       `json:"current"`
	Outdated   []string       `json:"outdated"`
	IndexStale bool           `json:"index_stale"`
}

// handleYenteCatalog answers yente's GET /catalog: the datasets a client
// may name in /match/{dataset} and /search/{dataset}, from the lists in use.
func (s *Server) handleYenteCatalog(w http.ResponseWriter, r *http.Request) {
	ix, err := s.current()
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	cur := ix.Snapshots
	version := indexVersion(ix)
	def := yenteDataset{Name: "default", Title: "All lists in use", Type: "collection", Load: true, IndexCurrent: true,
		IndexVersion: &version, Children: []string{}, Tags: []string{}, Metadata: map[string]any{}}
	var lists []yenteDataset
	var versions []string
	for _, sn := range cur {
		row := source.ListRow(sn, true, time.Now())
		title := row.Title
		if title == "" {
			title = sn.Source
		}
		lists = append(lists, yenteDataset{Name: ftm.DatasetName(sn.Source), Title: title, Type: "source", Version: sn.Version,
			UpdatedAt: row.Published, EntityCount: sn.Entities, Load: true, IndexCurrent: true,
			Children: []string{}, Tags: []string{}, Metadata: map[string]any{}})
		def.Children = append(def.Children, ftm.DatasetName(sn.Source))
		def.EntityCount += sn.Entities
		versions = append(versions, sn.Source+"@"+sn.Version)
		if row.Published > def.UpdatedAt {
			def.UpdatedAt = row.Published
		}
	}
	sort.Slice(lists, func(i, j int) bool { return lists[i].Name < lists[j].Name })
	sort.Strings(def.Children)
	sort.Strings(versions)
	def.Version = strings.Join(versions, ",")
	out := yenteCatalog{Datasets: append([]yenteDataset{def}, lists...), Current: []string{"default"}, Outdated: []string{}}
	out.Current = append(out.Current, def.Children...)
	writeJSON(w, http.StatusOK, out)
}
