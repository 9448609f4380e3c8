package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// flushEvery is the number of entities buffered before they are copied to
// the database (still inside the import's transaction).
const flushEvery = 2000

// Import is one snapshot being written: one transaction on one connection,
// from BeginImport until Commit or Rollback, that holds the store's import
// lock (imports through every process sharing the database run one at a
// time, as in SQLite). Nothing of it is visible to readers before Commit.
// Not safe for concurrent use.
type Import struct {
	db   *DB
	ctx  context.Context
	tx   pgx.Tx
	snap lexscreen.Snapshot
	src  string // source of the entities: snap.Source or the first entity's
	id   int64

	prev map[string]string // entity id -> content hash in the source's last snapshot
	ids  map[string]struct{}

	versions [][]any // new versions not yet copied
	members  [][]any // memberships not yet copied
	comp     store.Compressor

	entities, names int
	err             error // sticky: the import can only be rolled back
	done            bool
}

var _ store.Import = (*Import)(nil)

// BeginImport starts importing snap (see store.Import; Source may be left
// empty and taken from the first entity). It waits, as long as ctx allows,
// for an import running in another process to finish. ctx governs the whole
// import.
func (d *DB) BeginImport(ctx context.Context, snap lexscreen.Snapshot) (store.Import, error) {
	if strings.ContainsRune(snap.Source, ':') {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "import: source id %q contains ':'", snap.Source)
	}
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return nil, storeErr(err, "import %s", snap.Source)
	}
	im := &Import{db: d, ctx: ctx, tx: tx, snap: snap, ids: map[string]struct{}{}, prev: map[string]string{}}
	fail := func(err error, what string) (store.Import, error) {
		im.abort()
		return nil, storeErr(err, "import %s: %s", snap.Source, what)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockImport)); err != nil {
		return fail(err, "wait for another import")
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_versions
		(LIKE entity_versions INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return fail(err, "staging table")
	}
	if snap.Source != "" {
		if err := im.setSource(snap.Source); err != nil {
			return fail(err, "read previous snapshot")
		}
	}
	files, _ := json.Marshal(nonNil(snap.Files))
	if err := tx.QueryRow(ctx, `INSERT INTO snapshots
		(source, format, version, published, imported, content_hash, entities, names, files, origin)
		VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, $8) RETURNING id`,
		snap.Source, snap.Format, snap.Version, dbTime(snap.Published), dbTime(time.Now()),
		snap.ContentHash, string(files), snap.Origin).Scan(&im.id); err != nil {
		return fail(err, "insert snapshot")
	}
	im.snap.ID = im.id
	return im, nil
}

// setSource fixes the source of the import's entities and loads the hashes
// of the source's last imported snapshot.
func (im *Import) setSource(src string) error {
	im.src = src
	rows, err := im.tx.Query(im.ctx, `SELECT entity_id, hash FROM snapshot_entities WHERE snapshot_id =
		(SELECT id FROM snapshots WHERE source = $1 ORDER BY id DESC LIMIT 1)`, src)
	if err != nil {
		return storeErr(err, "import %s: read previous snapshot", src)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return storeErr(err, "import %s: read previous snapshot", src)
		}
		im.prev[id] = string(h)
	}
	return storeErr(rows.Err(), "import %s: read previous snapshot", src)
}

// SetSnapshot replaces the snapshot's description before Commit.
func (im *Import) SetSnapshot(snap lexscreen.Snapshot) {
	im.snap = snap
	im.snap.ID = im.id
}

// Snapshot is the snapshot being imported (ID is its future id; Entities and
// Names count what was added so far).
func (im *Import) Snapshot() lexscreen.Snapshot {
	s := im.snap
	s.Entities, s.Names = im.entities, im.names
	return s
}

// Add stores one entity (see store.Import).
func (im *Import) Add(e *lexscreen.Entity) error {
	if im.done {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: add after commit or rollback", im.src)
	}
	if im.err != nil {
		return im.err
	}
	if err := im.add(e); err != nil {
		im.err = err
		return err
	}
	return nil
}

func (im *Import) add(e *lexscreen.Entity) error {
	src := im.src
	if err := im.ctx.Err(); err != nil {
		return storeErr(err, "import %s", src)
	}
	if e == nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: nil entity", src)
	}
	if src == "" {
		src = store.SourceOf(e.ID)
		if src == "" || e.Source != src {
			return lexscreen.Errorf(lexscreen.EINVALID, "import: entity id %q is not \"<source>:<key>\" with its source %q", e.ID, e.Source)
		}
		if err := im.setSource(src); err != nil {
			return err
		}
	}
	if e.ID == "" {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: entity without id (caption %q)", src, e.Caption())
	}
	if store.SourceOf(e.ID) != src || len(e.ID) == len(src)+1 {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: entity id %q is not \"%s:<key>\"", src, e.ID, src)
	}
	if e.Source != src {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: entity %s has source %q", src, e.ID, e.Source)
	}
	if _, dup := im.ids[e.ID]; dup {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: duplicate entity id %q", src, e.ID)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: entity %s: %v", src, e.ID, err)
	}
	sum := sha256.Sum256(data)
	hash := sum[:]
	if im.prev[e.ID] != string(hash) {
		codec, blob := im.comp.Compress(data)
		im.versions = append(im.versions, []any{e.ID, hash, string(e.Schema), e.Caption(),
			strings.Join(store.Programs(e), "\n"), int16(codec), blob})
	}
	im.members = append(im.members, []any{im.id, e.ID, hash})
	im.ids[e.ID] = struct{}{}
	im.entities++
	im.names += len(e.Names)
	if len(im.members) >= flushEvery {
		return im.flush()
	}
	return nil
}

// flush copies the buffered versions (through the staging table, as some
// may be stored already) and memberships.
func (im *Import) flush() error {
	ctx := im.ctx
	if len(im.versions) > 0 {
		if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"import_versions"},
			[]string{"entity_id", "hash", "schema", "caption", "programs", "codec", "data"},
			pgx.CopyFromRows(im.versions)); err != nil {
			return storeErr(err, "import %s: copy entity versions", im.src)
		}
		if _, err := im.tx.Exec(ctx, `INSERT INTO entity_versions SELECT * FROM import_versions
			ON CONFLICT (entity_id, hash) DO NOTHING`); err != nil {
			return storeErr(err, "import %s: store entity versions", im.src)
		}
		if _, err := im.tx.Exec(ctx, `TRUNCATE import_versions`); err != nil {
			return storeErr(err, "import %s: staging table", im.src)
		}
		im.versions = im.versions[:0]
	}
	if len(im.members) > 0 {
		if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"snapshot_entities"},
			[]string{"snapshot_id", "entity_id", "hash"}, pgx.CopyFromRows(im.members)); err != nil {
			return storeErr(err, "import %s: copy memberships", im.src)
		}
		im.members = im.members[:0]
	}
	return nil
}

// Commit checks and publishes the snapshot (see store.Import): a content
// hash already stored is ECONFLICT wrapping store.ErrDuplicate (the import is
// rolled back and the stored snapshot returned); a shrink below the limit is
// ECONFLICT and leaves the import open. Other replicas are notified on
// NotifyChannel when the transaction commits.
func (im *Import) Commit(opts store.CommitOptions) (lexscreen.Snapshot, error) {
	if im.done {
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID, "import %s: already committed or rolled back", im.src)
	}
	if im.err == nil {
		im.err = im.flush()
	}
	if im.err != nil {
		im.abort()
		return lexscreen.Snapshot{}, im.err
	}
	ctx, tx := im.ctx, im.tx
	if im.snap.Source == "" {
		im.snap.Source = im.src
	}
	src := im.snap.Source
	invalid := func(format string, args ...any) (lexscreen.Snapshot, error) {
		im.abort()
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID, format, args...)
	}
	switch {
	case src == "":
		return invalid("import: snapshot has no source and no entities")
	case strings.ContainsRune(src, ':'):
		return invalid("import: source id %q contains ':'", src)
	case im.src != "" && src != im.src:
		return invalid("import: snapshot of source %q holds entities of source %q", src, im.src)
	}
	fail := func(err error, what string) (lexscreen.Snapshot, error) {
		im.abort()
		return lexscreen.Snapshot{}, storeErr(err, "import %s: %s", src, what)
	}
	if err := ctx.Err(); err != nil {
		return fail(err, "commit")
	}
	if im.snap.ContentHash != "" {
		old, err := scanSnapshot(tx.QueryRow(ctx, selectSnapshot+` WHERE source = $1 AND content_hash = $2 AND id <> $3
			ORDER BY id LIMIT 1`, src, im.snap.ContentHash, im.id))
		switch {
		case err == nil:
			im.abort()
			return old, store.DuplicateError(src, old)
		case !errors.Is(err, pgx.ErrNoRows):
			return fail(err, "check content hash")
		}
	}
	if !opts.Force {
		prev, err := scanSnapshot(tx.QueryRow(ctx, selectSnapshot+` WHERE source = $1 AND id <> $2 AND published <= $3
			ORDER BY published DESC, id DESC LIMIT 1`, src, im.id, dbTime(im.snap.Published)))
		switch {
		case err == nil:
			if store.Shrinks(im.entities, prev, opts) {
				return lexscreen.Snapshot{}, store.ShrinkError(src, im.snap.Version, im.entities, prev)
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return fail(err, "shrink check")
		}
	}
	files, _ := json.Marshal(nonNil(im.snap.Files))
	if _, err := tx.Exec(ctx, `UPDATE snapshots SET source = $1, format = $2, version = $3, published = $4,
		imported = $5, content_hash = $6, entities = $7, names = $8, records = $9, files = $10, origin = $11 WHERE id = $12`,
		src, im.snap.Format, im.snap.Version, dbTime(im.snap.Published), dbTime(time.Now()),
		im.snap.ContentHash, im.entities, im.names, im.snap.Records, string(files), im.snap.Origin, im.id); err != nil {
		return fail(err, "update snapshot")
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, NotifyChannel, itoa(im.id)); err != nil {
		return fail(err, "notify")
	}
	if err := tx.Commit(ctx); err != nil {
		return fail(err, "commit")
	}
	im.done = true
	return im.db.Snapshot(context.Background(), im.id)
}

// Rollback discards the import. It is a no-op after Commit or Rollback.
func (im *Import) Rollback() error {
	im.abort()
	return nil
}

func (im *Import) abort() {
	if im.done {
		return
	}
	im.done = true
	im.versions, im.members = nil, nil
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	im.tx.Rollback(ctx) // a broken connection is closed by pgx, and the server discards its transaction
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
