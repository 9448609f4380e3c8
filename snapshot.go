package lexscreen

import "time"

// Snapshot is one import of one list: the version of the list that was in
// force from the publisher's date until the next snapshot of the same source.
type Snapshot struct {
	ID          int64     `json:"id"`
	Source      string    `json:"source"`       // "us-ofac-sdn", "un-sc", ...
	Format      string    `json:"format"`       // parser that read it: "ofac-csv", "un-xml", ...
	Version     string    `json:"version"`      // publisher's date or version label
	Published   time.Time `json:"published"`    // publisher's date (zero when unknown)
	Imported    time.Time `json:"imported"`     // when lexscreen loaded it
	ContentHash string    `json:"content_hash"` // sha256 of the input files, in name order
	Entities    int       `json:"entities"`
	Names       int       `json:"names"`
	// Records is the publisher's own count of records when it differs from
	// Entities (the Denied Persons List has one row per address of a party).
	Records int      `json:"records,omitempty"`
	Files   []string `json:"files,omitempty"`
	Origin  string   `json:"origin,omitempty"` // "bundled", a path or a URL
}

// SourceInfo describes a list publisher's source.
type SourceInfo struct {
	ID          string `json:"id"`          // "us-ofac-sdn"
	Title       string `json:"title"`       // "OFAC Specially Designated Nationals and Blocked Persons List"
	Authority   string `json:"authority"`   // "US-OFAC"
	Attribution string `json:"attribution"` // publisher credit and licence
}
