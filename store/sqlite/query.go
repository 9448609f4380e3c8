package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

const selectSnapshot = `SELECT id, source, format, version, published, imported, content_hash,
	entities, names, records, files, origin FROM snapshots`

type scanner interface{ Scan(dest ...any) error }

func scanSnapshot(r scanner) (lexscreen.Snapshot, error) {
	var s lexscreen.Snapshot
	var pub, imp, files string
	if err := r.Scan(&s.ID, &s.Source, &s.Format, &s.Version, &pub, &imp, &s.ContentHash,
		&s.Entities, &s.Names, &s.Records, &files, &s.Origin); err != nil {
		return lexscreen.Snapshot{}, err
	}
	s.Published, s.Imported = parseTime(pub), parseTime(imp)
	if files != "" && files != "[]" {
		if err := json.Unmarshal([]byte(files), &s.Files); err != nil {
			return lexscreen.Snapshot{}, fmt.Errorf("snapshot %d: files: %w", s.ID, err)
		}
	}
	return s, nil
}

func (d *DB) querySnapshots(ctx context.Context, what, query string, args ...any) ([]lexscreen.Snapshot, error) {
	rows, err := d.db.QueryContext(ctx, query, args...)
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
		return d.querySnapshots(ctx, "list snapshots", selectSnapshot+` ORDER BY source, published, id`)
	}
	return d.querySnapshots(ctx, "list snapshots", selectSnapshot+` WHERE source = ? ORDER BY published, id`, source)
}

// Snapshot returns one snapshot; ENOTFOUND when there is none with that id.
func (d *DB) Snapshot(ctx context.Context, id int64) (lexscreen.Snapshot, error) {
	s, err := scanSnapshot(d.db.QueryRowContext(ctx, selectSnapshot+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("no snapshot %d", id)
	}
	if err != nil {
		return s, storeErr(err, "snapshot %d", id)
	}
	return s, nil
}

// FindByHash returns the snapshot of source with that content hash, if any,
// so that a caller can skip parsing a file already imported.
func (d *DB) FindByHash(ctx context.Context, source, contentHash string) (lexscreen.Snapshot, bool, error) {
	s, err := scanSnapshot(d.db.QueryRowContext(ctx, selectSnapshot+` WHERE source = ? AND content_hash = ?
		ORDER BY id LIMIT 1`, source, contentHash))
	if errors.Is(err, sql.ErrNoRows) {
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
	return d.current(ctx, "9999-12-31T23:59:59.999999999Z")
}

// CurrentAt returns, per source, the latest snapshot published on or before
// t (ties: the latest imported). Sources with no snapshot that old are left
// out. Ordered by source.
func (d *DB) CurrentAt(ctx context.Context, t time.Time) ([]lexscreen.Snapshot, error) {
	return d.current(ctx, formatTime(t))
}

func (d *DB) current(ctx context.Context, at string) ([]lexscreen.Snapshot, error) {
	return d.querySnapshots(ctx, "current snapshots", selectSnapshot+` AS s
		WHERE s.id = (SELECT t.id FROM snapshots t WHERE t.source = s.source AND t.published <= ?
			ORDER BY t.published DESC, t.id DESC LIMIT 1)
		ORDER BY s.source`, at)
}

// currentOf is the current snapshot of one source.
func (d *DB) currentOf(ctx context.Context, source string) (lexscreen.Snapshot, error) {
	s, err := scanSnapshot(d.db.QueryRowContext(ctx, selectSnapshot+` WHERE source = ?
		ORDER BY published DESC, id DESC LIMIT 1`, source))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("no snapshot of source %q", source)
	}
	if err != nil {
		return s, storeErr(err, "current snapshot of %s", source)
	}
	return s, nil
}

// Sources lists the source ids that have at least one snapshot, sorted.
func (d *DB) Sources(ctx context.Context) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT DISTINCT source FROM snapshots ORDER BY source`)
	if err != nil {
		return nil, storeErr(err, "list sources")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, storeErr(err, "list sources")
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "list sources")
	}
	return out, nil
}

// Entities streams the entities of a snapshot, ordered by entity id, to fn.
// An error from fn stops the walk and is returned as is. fn may use the DB.
func (d *DB) Entities(ctx context.Context, snapshotID int64, fn func(*lexscreen.Entity) error) error {
	if _, err := d.Snapshot(ctx, snapshotID); err != nil {
		return err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT v.codec, v.data FROM snapshot_entities m
		JOIN entity_versions v ON v.entity_id = m.entity_id AND v.hash = m.hash
		WHERE m.snapshot_id = ? ORDER BY m.entity_id`, snapshotID)
	if err != nil {
		return storeErr(err, "entities of snapshot %d", snapshotID)
	}
	defer rows.Close()
	var dec store.Decoder
	for rows.Next() {
		// data and raw are valid until the next row: unmarshalled at once.
		var codec int
		var data sql.RawBytes
		if err := rows.Scan(&codec, &data); err != nil {
			return storeErr(err, "entities of snapshot %d", snapshotID)
		}
		raw, err := dec.DecodeTemp(codec, data)
		if err != nil {
			return storeErr(err, "entities of snapshot %d", snapshotID)
		}
		e := new(lexscreen.Entity)
		if err := store.UnmarshalEntity(raw, e); err != nil {
			return storeErr(err, "entities of snapshot %d", snapshotID)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return storeErr(err, "entities of snapshot %d", snapshotID)
	}
	return nil
}

// Entity returns one entity as stored in a snapshot; snapshotID 0 means the
// current snapshot of the entity's source. ENOTFOUND when absent.
func (d *DB) Entity(ctx context.Context, id string, snapshotID int64) (*lexscreen.Entity, error) {
	if snapshotID == 0 {
		cur, err := d.currentOf(ctx, sourceOf(id))
		if err != nil {
			if lexscreen.ErrorCode(err) == lexscreen.ENOTFOUND {
				return nil, notFound("no entity %q: its source has no snapshot", id)
			}
			return nil, err
		}
		snapshotID = cur.ID
	}
	raw, err := d.entityJSON(ctx, d.db, id, snapshotID)
	if err != nil {
		return nil, err
	}
	e := new(lexscreen.Entity)
	if err := json.Unmarshal(raw, e); err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	return e, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (d *DB) entityJSON(ctx context.Context, q querier, id string, snapshotID int64) ([]byte, error) {
	var codec int
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT v.codec, v.data FROM snapshot_entities m
		JOIN entity_versions v ON v.entity_id = m.entity_id AND v.hash = m.hash
		WHERE m.snapshot_id = ? AND m.entity_id = ?`, snapshotID, id).Scan(&codec, &data)
	if errors.Is(err, sql.ErrNoRows) {
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
	return raw, nil
}

// versionJSON reads one entity version by content hash.
func versionJSON(ctx context.Context, q querier, dec *store.Decoder, id string, hash []byte) ([]byte, error) {
	var codec int
	var data []byte
	if err := q.QueryRowContext(ctx, `SELECT codec, data FROM entity_versions WHERE entity_id = ? AND hash = ?`,
		id, hash).Scan(&codec, &data); err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	raw, err := dec.Decode(codec, data)
	if err != nil {
		return nil, storeErr(err, "entity %s", id)
	}
	return raw, nil
}

// DeleteSnapshot removes a snapshot and the entity versions no other
// snapshot uses. ENOTFOUND when there is no such snapshot.
func (d *DB) DeleteSnapshot(ctx context.Context, id int64) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return storeErr(err, "delete snapshot %d", id)
	}
	defer conn.Close()
	if err := beginImmediate(ctx, conn); err != nil {
		return storeErr(err, "delete snapshot %d", id)
	}
	ok := false
	defer func() {
		if !ok {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	res, err := conn.ExecContext(ctx, `DELETE FROM snapshots WHERE id = ?`, id)
	if err != nil {
		return storeErr(err, "delete snapshot %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no snapshot %d", id)
	}
	// Membership rows went with ON DELETE CASCADE; now the versions that no
	// snapshot references any more.
	if _, err := conn.ExecContext(ctx, `DELETE FROM entity_versions WHERE NOT EXISTS
		(SELECT 1 FROM snapshot_entities m WHERE m.entity_id = entity_versions.entity_id
			AND m.hash = entity_versions.hash)`); err != nil {
		return storeErr(err, "delete snapshot %d: collect entity versions", id)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return storeErr(err, "delete snapshot %d", id)
	}
	ok = true
	return nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// FirstSeen returns, for every entity id in the store, the publisher's date
// of the earliest snapshot of its source that holds it: for lists that give
// no listing date, the entity was listed no later than that.
func (d *DB) FirstSeen(ctx context.Context) (map[string]time.Time, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT m.entity_id, MIN(s.published)
		FROM snapshot_entities m JOIN snapshots s ON s.id = m.snapshot_id GROUP BY m.entity_id`)
	if err != nil {
		return nil, storeErr(err, "first seen")
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id, pub string
		if err := rows.Scan(&id, &pub); err != nil {
			return nil, storeErr(err, "first seen")
		}
		out[id] = parseTime(pub)
	}
	return out, rows.Err()
}
