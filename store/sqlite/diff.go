package sqlite

import (
	"context"
	"database/sql"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// The diff and history types are the store package's; these names stay for
// the callers that know them from here.
type (
	Diff          = store.Diff
	EntitySummary = store.EntitySummary
	EntityChange  = store.EntityChange
	FieldChange   = store.FieldChange
	HistoryEvent  = store.HistoryEvent
)

// Field change operations and history event kinds (see package store).
const (
	OpChange        = store.OpChange
	OpAdd           = store.OpAdd
	OpRemove        = store.OpRemove
	EventAppeared   = store.EventAppeared
	EventChanged    = store.EventChanged
	EventRemoved    = store.EventRemoved
	EventReappeared = store.EventReappeared
)

// DiffJSON compares two entities' canonical JSON field by field
// (store.DiffJSON).
func DiffJSON(from, to []byte) ([]FieldChange, error) { return store.DiffJSON(from, to) }

// Diff compares two snapshots of the same source (EINVALID otherwise).
// Entities are compared by content hash first; only changed ones are decoded.
func (d *DB) Diff(ctx context.Context, fromID, toID int64) (*Diff, error) {
	from, err := d.Snapshot(ctx, fromID)
	if err != nil {
		return nil, err
	}
	to, err := d.Snapshot(ctx, toID)
	if err != nil {
		return nil, err
	}
	if from.Source != to.Source {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "cannot diff snapshot %d (%s) with snapshot %d (%s): not the same source", from.ID, from.Source, to.ID, to.Source)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err, "diff")
	}
	defer conn.Close()
	// One read transaction: both snapshots and their versions seen at once.
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return nil, storeErr(err, "diff")
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	a, err := members(ctx, conn, fromID)
	if err != nil {
		return nil, err
	}
	b, err := members(ctx, conn, toID)
	if err != nil {
		return nil, err
	}
	sum, err := conn.PrepareContext(ctx, `SELECT schema, caption, programs FROM entity_versions WHERE entity_id = ? AND hash = ?`)
	if err != nil {
		return nil, storeErr(err, "diff")
	}
	defer sum.Close()
	return store.DiffMembers(ctx, from, to, a, b, &versionReader{q: conn, sum: sum})
}

// versionReader reads entity versions on one connection (in its read
// transaction) for store.DiffMembers and store.BuildHistory.
type versionReader struct {
	q   querier
	sum *sql.Stmt // schema, caption, programs by entity id and hash
	dec store.Decoder
}

func (r *versionReader) Summary(ctx context.Context, id string, hash []byte) (EntitySummary, error) {
	s := EntitySummary{ID: id}
	var progs string
	if err := r.sum.QueryRowContext(ctx, id, hash).Scan(&s.Schema, &s.Caption, &progs); err != nil {
		return s, storeErr(err, "diff: entity %s", id)
	}
	s.Programs = splitLines(progs)
	return s, nil
}

func (r *versionReader) VersionJSON(ctx context.Context, id string, hash []byte) ([]byte, error) {
	return versionJSON(ctx, r.q, &r.dec, id, hash)
}

func members(ctx context.Context, conn *sql.Conn, snapshotID int64) ([]store.Member, error) {
	rows, err := conn.QueryContext(ctx, `SELECT entity_id, hash FROM snapshot_entities
		WHERE snapshot_id = ? ORDER BY entity_id`, snapshotID)
	if err != nil {
		return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
	}
	defer rows.Close()
	var out []store.Member
	for rows.Next() {
		var m store.Member
		if err := rows.Scan(&m.ID, &m.Hash); err != nil {
			return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
	}
	return out, nil
}

type extraScanner struct {
	r     scanner
	extra []any
}

func (s extraScanner) Scan(dest ...any) error { return s.r.Scan(append(dest, s.extra...)...) }

// History walks the snapshots of the entity's source (the id prefix before
// ':') in Published order (ties: import order) and reports when the entity
// appeared, changed, was removed and reappeared. ENOTFOUND when no snapshot
// ever had it.
func (d *DB) History(ctx context.Context, entityID string) ([]HistoryEvent, error) {
	src := sourceOf(entityID)
	if src == "" {
		return nil, notFound("no entity %q (an entity id is \"<source>:<key>\")", entityID)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err, "history")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return nil, storeErr(err, "history")
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	rows, err := conn.QueryContext(ctx, `SELECT s.id, s.source, s.format, s.version, s.published, s.imported,
		s.content_hash, s.entities, s.names, s.records, s.files, s.origin, m.hash
		FROM snapshots s LEFT JOIN snapshot_entities m ON m.snapshot_id = s.id AND m.entity_id = ?
		WHERE s.source = ? ORDER BY s.published, s.id`, entityID, src)
	if err != nil {
		return nil, storeErr(err, "history of %s", entityID)
	}
	var steps []store.HistoryStep
	for rows.Next() {
		var st store.HistoryStep
		if st.Snapshot, err = scanSnapshot(extraScanner{rows, []any{&st.Hash}}); err != nil {
			rows.Close()
			return nil, storeErr(err, "history of %s", entityID)
		}
		steps = append(steps, st)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, storeErr(err, "history of %s", entityID)
	}
	rows.Close()
	return store.BuildHistory(ctx, entityID, steps, &versionReader{q: conn})
}
