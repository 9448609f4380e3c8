package source

import (
	"time"

	"github.com/lexscreen/lexscreen"
)

// ListRow describes snapshot s for `lexscreen lists` and GET /v1/lists:
// its counts, its source's title and attribution, and its age on now.
// current says whether it is the snapshot in use for its source.
func ListRow(s lexscreen.Snapshot, current bool, now time.Time) lexscreen.ListRow {
	info := SourceInfos[s.Source]
	r := lexscreen.ListRow{Source: s.Source, Title: info.Title, Snapshot: s.ID, Version: s.Version,
		Entities: s.Entities, Records: s.Records, Names: s.Names, Current: current, Format: s.Format, Imported: s.Imported,
		Origin: s.Origin, ContentHash: s.ContentHash, Attribution: info.Attribution}
	if !s.Published.IsZero() {
		r.Published = s.Published.Format("2006-01-02")
		r.AgeDays = int(now.Sub(s.Published).Hours() / 24)
	}
	return r
}
