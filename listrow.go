package lexscreen

import "time"

// ListRow is one snapshot of a list as `lexscreen lists --json` prints it
// and GET /v1/lists answers it (source.ListRow makes one).
type ListRow struct {
	Source    string `json:"source"`
	Title     string `json:"title,omitempty"`
	Snapshot  int64  `json:"snapshot"`
	Version   string `json:"version"`
	Published string `json:"published"` // publisher's date, YYYY-MM-DD
	AgeDays   int    `json:"age_days"`
	Entities  int    `json:"entities"`
	Records   int    `json:"records,omitempty"` // publisher's records, when several make one entity
	Names     int    `json:"names"`
	Current   bool   `json:"current"` // the snapshot in use for this source
	// Stale is set by `lexscreen lists` only: in use, official, and older
	// than --max-list-age. The server leaves it out.
	Stale       bool      `json:"stale,omitempty" doc:"lexscreen lists only (in use, official, older than --max-list-age); never in GET /v1/lists"`
	Format      string    `json:"format"`
	Imported    time.Time `json:"imported"`
	Origin      string    `json:"origin,omitempty"`
	ContentHash string    `json:"content_hash"`
	Attribution string    `json:"attribution,omitempty"`
}
