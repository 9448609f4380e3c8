package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lexscreen/lexscreen"
)

// Diff is what changed between two snapshots of one source.
type Diff struct {
	From      lexscreen.Snapshot `json:"from"`
	To        lexscreen.Snapshot `json:"to"`
	Added     []EntitySummary    `json:"added"`
	Removed   []EntitySummary    `json:"removed"`
	Changed   []EntityChange     `json:"changed"`
	Unchanged int                `json:"unchanged"`
}

// EntitySummary identifies an entity in a diff.
type EntitySummary struct {
	ID       string           `json:"id"`
	Schema   lexscreen.Schema `json:"schema"`
	Caption  string           `json:"caption"`
	Programs []string         `json:"programs,omitempty"`
}

// EntityChange lists the changed fields of one entity. Caption and Schema
// are the new version's; Programs are the new version's followed by those
// only the old one had (so that filtering by program finds removals too).
type EntityChange struct {
	ID       string           `json:"id"`
	Schema   lexscreen.Schema `json:"schema"`
	Caption  string           `json:"caption"`
	Programs []string         `json:"programs,omitempty"`
	Fields   []FieldChange    `json:"fields"`
}

// Field change operations.
const (
	OpChange = "change" // a value changed (From -> To; either may be "" when absent)
	OpAdd    = "add"    // an element was added to the list at Field (To)
	OpRemove = "remove" // an element was removed from the list at Field (From)
)

// FieldChange is one change of an entity's canonical JSON. Field is a path
// like "gender", "names[2].full", "designations[0].program",
// "attributes.call_sign"; for elements added to or removed from a list it is
// the list ("names") and Op says which.
type FieldChange struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// String writes "names: + X", "names: - Y" or "gender: male -> female".
func (c FieldChange) String() string {
	switch c.Op {
	case OpAdd:
		return c.Field + ": + " + c.To
	case OpRemove:
		return c.Field + ": - " + c.From
	}
	return fmt.Sprintf("%s: %q -> %q", c.Field, c.From, c.To)
}

// History event kinds.
const (
	EventAppeared   = "appeared"
	EventChanged    = "changed"
	EventRemoved    = "removed"
	EventReappeared = "reappeared"
)

// HistoryEvent is one change of an entity's presence or content.
type HistoryEvent struct {
	Snapshot lexscreen.Snapshot `json:"snapshot"`
	Kind     string             `json:"kind"`
	Fields   []FieldChange      `json:"fields,omitempty"` // for changed (and reappeared with other content)
}

// Member is one entity of a snapshot: its id and the hash of its content.
type Member struct {
	ID   string
	Hash []byte
}

// VersionReader reads stored entity versions by (entity id, content hash),
// all in one consistent view of the store (a read transaction).
type VersionReader interface {
	Summary(ctx context.Context, id string, hash []byte) (EntitySummary, error)
	VersionJSON(ctx context.Context, id string, hash []byte) ([]byte, error)
}

// DiffMembers compares the members of two snapshots, each ordered by id.
// Entities are compared by content hash first; only changed ones are read
// and decoded. Errors of r are returned as they are.
func DiffMembers(ctx context.Context, from, to lexscreen.Snapshot, a, b []Member, r VersionReader) (*Diff, error) {
	out := &Diff{From: from, To: to, Added: []EntitySummary{}, Removed: []EntitySummary{}, Changed: []EntityChange{}}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].ID < b[j].ID):
			s, err := r.Summary(ctx, a[i].ID, a[i].Hash)
			if err != nil {
				return nil, err
			}
			out.Removed = append(out.Removed, s)
			i++
		case i >= len(a) || b[j].ID < a[i].ID:
			s, err := r.Summary(ctx, b[j].ID, b[j].Hash)
			if err != nil {
				return nil, err
			}
			out.Added = append(out.Added, s)
			j++
		default:
			if bytes.Equal(a[i].Hash, b[j].Hash) {
				out.Unchanged++
			} else {
				ch, err := change(ctx, r, a[i], b[j])
				if err != nil {
					return nil, err
				}
				out.Changed = append(out.Changed, ch)
			}
			i++
			j++
		}
		if (i+j)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "diff: %v", err)
			}
		}
	}
	return out, nil
}

func change(ctx context.Context, r VersionReader, a, b Member) (EntityChange, error) {
	ra, err := r.VersionJSON(ctx, a.ID, a.Hash)
	if err != nil {
		return EntityChange{}, err
	}
	rb, err := r.VersionJSON(ctx, b.ID, b.Hash)
	if err != nil {
		return EntityChange{}, err
	}
	var ea, eb lexscreen.Entity
	if err := json.Unmarshal(ra, &ea); err != nil {
		return EntityChange{}, lexscreen.Errorf(lexscreen.EINTERNAL, "entity %s: stored JSON: %v", a.ID, err)
	}
	if err := json.Unmarshal(rb, &eb); err != nil {
		return EntityChange{}, lexscreen.Errorf(lexscreen.EINTERNAL, "entity %s: stored JSON: %v", b.ID, err)
	}
	fields, err := DiffJSON(ra, rb)
	if err != nil {
		return EntityChange{}, lexscreen.Errorf(lexscreen.EINTERNAL, "entity %s: %v", b.ID, err)
	}
	progs := Programs(&eb)
	for _, p := range Programs(&ea) {
		if !slices.Contains(progs, p) {
			progs = append(progs, p)
		}
	}
	return EntityChange{ID: b.ID, Schema: eb.Schema, Caption: eb.Caption(), Programs: progs, Fields: fields}, nil
}

// HistoryStep is one snapshot of an entity's source and the hash of the
// entity's version in it (nil when the snapshot does not hold it).
type HistoryStep struct {
	Snapshot lexscreen.Snapshot
	Hash     []byte
}

// BuildHistory turns the steps of an entity's source, in Published order
// (ties: import order), into the events of the entity. ENOTFOUND when no
// step holds it.
func BuildHistory(ctx context.Context, entityID string, steps []HistoryStep, r VersionReader) ([]HistoryEvent, error) {
	var events []HistoryEvent
	var last []byte // hash of the last version seen
	present := false
	fieldsSince := func(old, cur []byte) ([]FieldChange, error) {
		ra, err := r.VersionJSON(ctx, entityID, old)
		if err != nil {
			return nil, err
		}
		rb, err := r.VersionJSON(ctx, entityID, cur)
		if err != nil {
			return nil, err
		}
		f, err := DiffJSON(ra, rb)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "history of %s: %v", entityID, err)
		}
		return f, nil
	}
	var err error
	for _, st := range steps {
		switch {
		case st.Hash != nil && last == nil:
			events = append(events, HistoryEvent{Snapshot: st.Snapshot, Kind: EventAppeared})
		case st.Hash != nil && !present:
			ev := HistoryEvent{Snapshot: st.Snapshot, Kind: EventReappeared}
			if !bytes.Equal(st.Hash, last) {
				if ev.Fields, err = fieldsSince(last, st.Hash); err != nil {
					return nil, err
				}
			}
			events = append(events, ev)
		case st.Hash != nil && !bytes.Equal(st.Hash, last):
			ev := HistoryEvent{Snapshot: st.Snapshot, Kind: EventChanged}
			if ev.Fields, err = fieldsSince(last, st.Hash); err != nil {
				return nil, err
			}
			events = append(events, ev)
		case st.Hash == nil && present:
			events = append(events, HistoryEvent{Snapshot: st.Snapshot, Kind: EventRemoved})
		}
		present = st.Hash != nil
		if present {
			last = st.Hash
		}
	}
	if last == nil {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no entity %q in any snapshot of %s", entityID, SourceOf(entityID))
	}
	return events, nil
}
