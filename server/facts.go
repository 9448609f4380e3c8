package server

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// entityFacts is what the yente filters need to know of the entities of an
// index beyond what a match carries: their FollowTheMoney topics.
type entityFacts struct {
	topics map[string][]string // entity id -> topics, sorted
	counts map[string]int      // topic -> entities that have it
}

// sanctionAuthorities are the authorities whose designations are sanctions.
var sanctionAuthorities = map[string]bool{"US-OFAC": true, "UN-SC": true, "EU": true, "GB-OFSI": true, "GB-FCDO": true,
	"CA-GAC": true, "CH-SECO": true, "AU-DFAT": true}

// DerivedTopics are the FollowTheMoney topics lexscreen derives from list
// data (see entityTopics); an FtM topic outside them is never found.
var DerivedTopics = []string{"sanction", "sanction.counter", "export.control", "debarment", "wanted", "crime"}

// entityTopics derives an entity's FollowTheMoney topics from its
// designations, as yente's topics filter needs them:
//
//   - a hostile listing (a state's retaliation, such as Russia's cases
//     against ICC officials) is sanction.counter and nothing else;
//   - ICC designations are crime and wanted;
//   - a designation whose measures are an arrest or a wanted notice is wanted;
//   - the BIS Denied Persons, Entity, Unverified and Military End User lists
//     are export.control; the State Department's ITAR debarments are
//     debarment;
//   - every other designation of a sanctions authority (OFAC, UN, EU, UK,
//     Canada, Switzerland, Australia, and the sanctions lists of the US
//     Consolidated Screening List) is sanction.
//
// A designation by an authority lexscreen does not know (a custom list)
// gives no topic: lexscreen does not guess what a list is.
func entityTopics(ds []lexscreen.Designation, attrs map[string][]string) []string {
	if len(attrs["hostile_listing"]) > 0 {
		return []string{"sanction.counter"}
	}
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, d := range ds {
		auth := strings.ToUpper(d.Authority)
		list := strings.ToLower(d.List)
		measures := strings.ToLower(strings.Join(d.Measures, "; "))
		if auth == "ICC" {
			add("crime")
			add("wanted")
		}
		if strings.Contains(measures, "arrest") || strings.Contains(measures, "wanted") {
			add("wanted")
		}
		switch {
		case auth == "US-BIS" || strings.Contains(list, "denied persons") || strings.Contains(list, "entity list") ||
			strings.Contains(list, "unverified") || strings.Contains(list, "military end user"):
			add("export.control")
		case strings.Contains(list, "debarred"):
			add("debarment")
		case sanctionAuthorities[auth] || auth == "US-ITA":
			add("sanction")
		}
	}
	slices.Sort(out)
	return out
}

// factsOf returns the index's entity facts, derived once.
func (ix *Index) factsOf() *entityFacts {
	ix.factsOnce.Do(func() {
		f := &entityFacts{topics: map[string][]string{}, counts: map[string]int{}}
		mix := ix.Screener.Matcher().Index()
		mix.EachEntity(func(ref lexscreen.EntityRef, ds []lexscreen.Designation) {
			ts := entityTopics(ds, mix.Attributes(ref.ID))
			if len(ts) > 0 {
				f.topics[ref.ID] = ts
			}
			for _, t := range ts {
				f.counts[t]++
			}
		})
		ix.facts = f
	})
	return ix.facts
}

// changeDates are the days the entities of an index last changed, as far
// as the store's snapshots tell.
type changeDates struct {
	byEntity map[string]string // entity id -> YYYY-MM-DD of the snapshot that first held its current version
	bySource map[string]string // source -> YYYY-MM-DD of its oldest snapshot (entities unchanged since)
}

// lastChange returns the day an entity last changed: the publisher's date
// (else the import date) of the first snapshot of its list that holds its
// current version, walking the snapshots up to the one in use. For an
// entity unchanged since the oldest snapshot the store holds, that is the
// oldest snapshot's date: it may have changed earlier, never later, so a
// changed_since filter may keep an entity that did not change since, but
// never drops one that did.
func (c *changeDates) lastChange(id string) string {
	if d, ok := c.byEntity[id]; ok {
		return d
	}
	return c.bySource[sourceOf(id)]
}

func snapshotDay(s lexscreen.Snapshot) string {
	t := s.Published
	if t.IsZero() {
		t = s.Imported
	}
	return t.UTC().Format("2006-01-02")
}

// changesOf returns the index's change dates, read once from the store
// (the diffs between consecutive snapshots of each list in use).
func (ix *Index) changesOf(ctx context.Context) (*changeDates, error) {
	ix.changesMu.Lock()
	defer ix.changesMu.Unlock()
	if ix.changes != nil {
		return ix.changes, nil
	}
	if ix.db == nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "this index has no store to tell when entities changed")
	}
	c := &changeDates{byEntity: map[string]string{}, bySource: map[string]string{}}
	for _, inUse := range ix.Snapshots {
		all, err := ix.db.Snapshots(ctx, inUse.Source) // by publisher's date, then import order
		if err != nil {
			return nil, err
		}
		var upTo []lexscreen.Snapshot
		for _, s := range all {
			upTo = append(upTo, s)
			if s.ID == inUse.ID {
				break
			}
		}
		if len(upTo) == 0 || upTo[len(upTo)-1].ID != inUse.ID {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "snapshot %d of %s is not in the store", inUse.ID, inUse.Source)
		}
		c.bySource[inUse.Source] = snapshotDay(upTo[0])
		for i := 1; i < len(upTo); i++ {
			d, err := ix.db.Diff(ctx, upTo[i-1].ID, upTo[i].ID)
			if err != nil {
				return nil, err
			}
			day := snapshotDay(upTo[i])
			for _, a := range d.Added {
				c.byEntity[a.ID] = day
			}
			for _, ch := range d.Changed {
				c.byEntity[ch.ID] = day
			}
		}
	}
	ix.changes = c
	return c, nil
}

// indexFacts are the lazily derived parts of an Index (embedded in it).
type indexFacts struct {
	db        store.Store
	factsOnce sync.Once
	facts     *entityFacts
	changesMu sync.Mutex
	changes   *changeDates
}
