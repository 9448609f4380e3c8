package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

const selectSnapshot = `SELECT id, source, format, version, published, imported, content_hash,
	entities, names, records, files, origin FROM snapshots`

// farFuture stands for "no date limit" in Current.
var farFuture = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

func scanSnapshot(r pgx.Row, extra ...any) (lexscreen.Snapshot, error) {
	var s lexscreen.Snapshot
	var files string
	dest := append([]any{&s.ID, &s.Source, &s.Format, &s.Version, &s.Published, &s.Imported, &s.ContentHash,
		&s.Entities, &s.Names, &s.Records, &files, &s.Origin}, extra...)
	if err := r.Scan(dest...); err != nil {
		return lexscreen.Snapshot{}, err
	}
	s.Published, s.Imported = fromDB(s.Published), fromDB(s.Imported)
	if files != "" && files != "[]" {
		if err := json.Unmarshal([]byte(files), &s.Files); err != nil {
			return lexscreen.Snapshot{}, fmt.Errorf("snapshot %d: files: %w", s.ID, err)
		}
	}
	return s, nil
}

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func querySnapshots(ctx context.Context, q querier, what, query string, args ...any) ([]lexscreen.Snapshot, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, storeErr(err, "%s", what)
	}
	defer rows.Close()
	var out []lexscreen.Snapshot
	for rows.Next() {
		s, err := scanSnapshot(rows)
		if err != nil {
			return nil, storeErr(err, "%s", what)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "%s", what)
	}
	return out, nil
}

// Snapshots lists the snapshots of source ("" = all sources), ordered by
// source, Published and id.
func (d *DB) Snapshots(ctx context.Context, source string) ([]lexscreen.Snapshot, error) {
	if source == "" {
		return querySnapshots(ctx, d.pool, "list snapshots", selectSnapshot+` ORDER BY source, published, id`)
	}
	return querySnapshots(ctx, d.pool, "list snapshots", selectSnapshot+` WHERE source = $1 ORDER BY published, id`, source)
}

// Snapshot returns one snapshot; ENOTFOUND when there is none with that id.
func (d *DB) Snapshot(ctx context.Context, id int64) (lexscreen.Snapshot, error) {
	return snapshotIn(ctx, d.pool, id)
}

func snapshotIn(ctx context.Context, q querier, id int64) (lexscreen.Snapshot, error) {
	s, err := scanSnapshot(q.QueryRow(ctx, selectSnapshot+` WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, notFound("no snapshot %d", id)
	}
	if err != nil {
		return s, storeErr(err, "snapshot %d", id)
	}
	return s, nil
}

// FindByHash returns the snapshot of source with that content hash, if any.
func (d *DB) FindByHash(ctx context.Context, source, contentHash string) (lexscreen.Snapshot, bool, error) {
	s, err := scanSnapshot(d.pool.QueryRow(ctx, selectSnapshot+` WHERE source = $1 AND content_hash = $2
		ORDER BY id LIMIT 1`, source, contentHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, storeErr(err, "find snapshot")
	}
	return s, true, nil
}

// Current returns, per source, the snapshot in use: the one with the latest
// Published date (ties: the latest imported). Ordered by source.
func (d *DB) Current(ctx context.Context) ([]lexscreen.Snapshot, error) {
	return d.current(ctx, farFuture)
}

// CurrentAt returns, per source, the latest snapshot published on or before
// t (ties: the latest imported), leaving out sources with none that old.
func (d *DB) CurrentAt(ctx context.Context, t time.Time) ([]lexscreen.Snapshot, error) {
	return d.current(ctx, dbTime(t))
}

func (d *DB) current(ctx context.Context, at time.Time) ([]lexscreen.Snapshot, error) {
	return querySnapshots(ctx, d.pool, "current snapshots", `SELECT DISTINCT ON (source) id, source, format, version,
		published, imported, content_hash, entities, names, records, files, origin FROM snapshots
		WHERE published <= $1 ORDER BY source, published DESC, id DESC`, at)
}

// Sources lists the source ids that have at least one snapshot, sorted.
func (d *DB) Sources(ctx context.Context) ([]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT DISTINCT source FROM snapshots ORDER BY source`)
	if err != nil {
		return nil, storeErr(err, "list sources")
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, storeErr(err, "list sources")
}

// Entities streams the entities of a snapshot, ordered by entity id, to fn.
// An error from fn stops the walk and is returned as is. The rows are read
// in pages (one short transaction each), so fn may take its time and use
// the DB.
func (d *DB) Entities(ctx context.Context, snapshotID int64, fn func(*lexscreen.Entity) error) error {
	if _, err := d.Snapshot(ctx, snapshotID); err != nil {
		return err
	}
	const page = 2000
	after := ""
	var dec store.Decoder
	for {
		rows, err := d.pool.Query(ctx, `SELECT m.entity_id, v.codec, v.data FROM snapshot_entities m
			JOIN entity_versions v ON v.entity_id = m.entity_id AND v.hash = m.hash
			WHERE m.snapshot_id = $1 AND m.entity_id > $2 ORDER BY m.entity_id LIMIT $3`, snapshotID, after, page)
		if err != nil {
			return storeErr(err, "entities of snapshot %d", snapshotID)
		}
		var batch []*lexscreen.Entity
		for rows.Next() {
			var codec int
			var data []byte
			if err := rows.Scan(&after, &codec, &data); err != nil {
				rows.Close()
				return storeErr(err, "entities of snapshot %d", snapshotID)
			}
			raw, err := dec.DecodeTemp(codec, data) // unmarshalled at once
			if err != nil {
				rows.Close()
				return storeErr(err, "entities of snapshot %d", snapshotID)
			}
			e := new(lexscreen.Entity)
			if err := store.UnmarshalEntity(raw, e); err != nil {
				rows.Close()
				return storeErr(err, "entities of snapshot %d", snapshotID)
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return storeErr(err, "entities of snapshot %d", snapshotID)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
	}
}

// Entity returns one entity as stored in a snapshot; snapshotID 0 means the
// current snapshot of the entity's source. ENOTFOUND when absent.
func (d *DB) Entity(ctx context.Context, id string, snapshotID int64) (*lexscreen.Entity, error) {
	if snapshotID == 0 {
		err := d.pool.QueryRow(ctx, `SELECT id FROM snapshots WHERE source = $1
			ORDER BY published DESC, id DESC LIMIT 1`, store.SourceOf(id)).Scan(&snapshotID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, notFound("no entity %q: its source has no snapshot", id)
		}
		if err != nil {
			return nil, storeErr(err, "entity %s", id)
		}
	}
	var codec int
	var data []byte
	err := d.pool.QueryRow(ctx, `SELECT v.codec, v.data FROM snapshot_entities m
		JOIN entity_versions v ON v.entity_id = m.entity_id AND v.hash = m.hash
		WHERE m.snapshot_id = $1 AND m.entity_id = $2`, snapshotID, id).Scan(&codec, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, serr := d.Snapshot(ctx, snapshotID); serr != nil {
			return nil, serr
		}
		return nil, notFound("no entity %q in snapshot %d", id, snapshotID)
	}
	if err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	var dec store.Decoder
	raw, err := dec.Decode(codec, data)
	if err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	e := new(lexscreen.Entity)
	if err := json.Unmarshal(raw, e); err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	return e, nil
}

// DeleteSnapshot removes a snapshot and the entity versions no other
// snapshot uses. ENOTFOUND when there is no such snapshot.
func (d *DB) DeleteSnapshot(ctx context.Context, id int64) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		// Imports hold this lock: a version collected here cannot be one an
		// import is about to reference.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockImport)); err != nil {
			return storeErr(err, "delete snapshot %d", id)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM snapshots WHERE id = $1`, id)
		if err != nil {
			return storeErr(err, "delete snapshot %d", id)
		}
		if tag.RowsAffected() == 0 {
			return notFound("no snapshot %d", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM entity_versions v WHERE NOT EXISTS
			(SELECT 1 FROM snapshot_entities m WHERE m.entity_id = v.entity_id AND m.hash = v.hash)`); err != nil {
			return storeErr(err, "delete snapshot %d: collect entity versions", id)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, NotifyChannel, itoa(id)); err != nil {
			return storeErr(err, "delete snapshot %d: notify", id)
		}
		return nil
	})
}

// FirstSeen returns, for every entity id in the store, the publisher's date
// of the earliest snapshot of its source that holds it.
func (d *DB) FirstSeen(ctx context.Context) (map[string]time.Time, error) {
	rows, err := d.pool.Query(ctx, `SELECT m.entity_id, MIN(s.published)
		FROM snapshot_entities m JOIN snapshots s ON s.id = m.snapshot_id GROUP BY m.entity_id`)
	if err != nil {
		return nil, storeErr(err, "first seen")
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var pub time.Time
		if err := rows.Scan(&id, &pub); err != nil {
			return nil, storeErr(err, "first seen")
		}
		out[id] = fromDB(pub)
	}
	return out, storeErr(rows.Err(), "first seen")
}

// readOnly runs fn in one REPEATABLE READ read-only transaction: everything
// it reads is one state of the store.
func (d *DB) readOnly(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return storeErr(err, "%s", what)
	}
	defer tx.Rollback(context.Background())
	return fn(tx)
}

// versionReader reads entity versions in one transaction for
// store.DiffMembers and store.BuildHistory.
type versionReader struct {
	tx  pgx.Tx
	dec store.Decoder
}

func (r *versionReader) Summary(ctx context.Context, id string, hash []byte) (store.EntitySummary, error) {
	s := store.EntitySummary{ID: id}
	var schema, progs string
	if err := r.tx.QueryRow(ctx, `SELECT schema, caption, programs FROM entity_versions WHERE entity_id = $1 AND hash = $2`,
		id, hash).Scan(&schema, &s.Caption, &progs); err != nil {
		return s, storeErr(err, "diff: entity %s", id)
	}
	s.Schema = lexscreen.Schema(schema)
	if progs != "" {
		s.Programs = strings.Split(progs, "\n")
	}
	return s, nil
}

func (r *versionReader) VersionJSON(ctx context.Context, id string, hash []byte) ([]byte, error) {
	var codec int
	var data []byte
	if err := r.tx.QueryRow(ctx, `SELECT codec, data FROM entity_versions WHERE entity_id = $1 AND hash = $2`,
		id, hash).Scan(&codec, &data); err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	raw, err := r.dec.Decode(codec, data)
	return raw, storeErr(err, "entity %s", id)
}

func members(ctx context.Context, tx pgx.Tx, snapshotID int64) ([]store.Member, error) {
	rows, err := tx.Query(ctx, `SELECT entity_id, hash FROM snapshot_entities WHERE snapshot_id = $1 ORDER BY entity_id`, snapshotID)
	if err != nil {
		return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Member, error) {
		var m store.Member
		err := r.Scan(&m.ID, &m.Hash)
		return m, err
	})
	return out, storeErr(err, "diff: members of snapshot %d", snapshotID)
}

// Diff compares two snapshots of the same source (EINVALID otherwise), in
// one read transaction.
func (d *DB) Diff(ctx context.Context, fromID, toID int64) (*store.Diff, error) {
	var out *store.Diff
	err := d.readOnly(ctx, "diff", func(tx pgx.Tx) error {
		from, err := snapshotIn(ctx, tx, fromID)
		if err != nil {
			return err
		}
		to, err := snapshotIn(ctx, tx, toID)
		if err != nil {
			return err
		}
		if from.Source != to.Source {
			return lexscreen.Errorf(lexscreen.EINVALID,
				"cannot diff snapshot %d (%s) with snapshot %d (%s): not the same source", from.ID, from.Source, to.ID, to.Source)
		}
		a, err := members(ctx, tx, fromID)
		if err != nil {
			return err
		}
		b, err := members(ctx, tx, toID)
		if err != nil {
			return err
		}
		out, err = store.DiffMembers(ctx, from, to, a, b, &versionReader{tx: tx})
		return err
	})
	return out, err
}

// History walks the snapshots of the entity's source in Published order
// (ties: import order) and reports when the entity appeared, changed, was
// removed and reappeared. ENOTFOUND when no snapshot ever had it.
func (d *DB) History(ctx context.Context, entityID string) ([]store.HistoryEvent, error) {
	src := store.SourceOf(entityID)
	if src == "" {
		return nil, notFound("no entity %q (an entity id is \"<source>:<key>\")", entityID)
	}
	var events []store.HistoryEvent
	err := d.readOnly(ctx, "history", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT s.id, s.source, s.format, s.version, s.published, s.imported,
			s.content_hash, s.entities, s.names, s.records, s.files, s.origin, m.hash
			FROM snapshots s LEFT JOIN snapshot_entities m ON m.snapshot_id = s.id AND m.entity_id = $1
			WHERE s.source = $2 ORDER BY s.published, s.id`, entityID, src)
		if err != nil {
			return storeErr(err, "history of %s", entityID)
		}
		var steps []store.HistoryStep
		for rows.Next() {
			var st store.HistoryStep
			if st.Snapshot, err = scanSnapshot(rows, &st.Hash); err != nil {
				rows.Close()
				return storeErr(err, "history of %s", entityID)
			}
			steps = append(steps, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return storeErr(err, "history of %s", entityID)
		}
		events, err = store.BuildHistory(ctx, entityID, steps, &versionReader{tx: tx})
		return err
	})
	return events, err
}
