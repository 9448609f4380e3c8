package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// ErrDuplicate is store.ErrDuplicate (DefaultShrinkLimit and
// CommitOptions below are the store package's too).
var ErrDuplicate = store.ErrDuplicate

// DefaultShrinkLimit is store.DefaultShrinkLimit.
const DefaultShrinkLimit = store.DefaultShrinkLimit

// CommitOptions control the checks Commit makes (store.CommitOptions).
type CommitOptions = store.CommitOptions

// Codecs of entity_versions.data.
const (
	codecJSON    = store.CodecJSON
	codecDeflate = store.CodecDeflate
)

// importCacheKiB is the page cache of the importing connection (tests lower
// it to force spills of uncommitted pages to the WAL).
var importCacheKiB = 65536

// compressMin is the JSON size from which entity data is deflated.
const compressMin = 200

// Import is one snapshot being written. It holds one write transaction on one
// connection from BeginImport until Commit or Rollback; nothing of it is
// visible to readers before Commit. An Import is not safe for concurrent use.
// Always call Rollback (it is a no-op after a successful Commit):
//
//	imp, err := db.BeginImport(ctx, snap)
//	if err != nil { ... }
//	defer imp.Rollback()
//	for ... { if err := imp.Add(e); err != nil { ... } }
//	snap, err = imp.Commit(sqlite.CommitOptions{})
//
// Add validates, encodes (canonical JSON) and hashes the entity on the
// caller's goroutine; background goroutines compress new versions and one
// writes them, so that parsing, compressing and storing overlap. A database
// error met by the writer is returned by the next Add or by Commit.
type Import struct {
	db     *DB
	ctx    context.Context
	conn   *sql.Conn
	snap   lexscreen.Snapshot
	src    string // source of the entities: snap.Source or the first entity's
	id     int64  // snapshot id (also snap.ID; the writer reads this copy)
	insVer *sql.Stmt
	insMem *sql.Stmt

	// prev maps the entity ids of the source's last imported snapshot to
	// their content hash: an entity whose hash is there needs no new version.
	prev map[string]string
	ids  map[string]struct{}

	entities int
	names    int
	err      error // sticky: the import can only be rolled back
	done     bool

	jobs    chan job      // Add -> compressors
	ready   chan job      // compressors -> writer
	stopped chan struct{} // closed when the writer goroutine has ended
	werr    atomic.Pointer[error]
}

// job is one entity for the writer goroutine.
type job struct {
	id       string
	hash     []byte
	data     []byte // canonical JSON; nil when the version is already stored
	codec    int    // of blob
	blob     []byte // data as stored
	schema   string
	caption  string
	programs string
}

// BeginImport starts importing snap (Source may be left empty: the import
// then takes the source of its first entity, and SetSnapshot can complete the
// description before Commit; Format, Version,
// Published, ContentHash, Files, Origin are stored as given; ID, Imported,
// Entities and Names are set by the store). It waits, as long as ctx allows,
// for an import running in another process to finish. ctx governs the whole
// import.
func (d *DB) BeginImport(ctx context.Context, snap lexscreen.Snapshot) (store.Import, error) {
	if strings.ContainsRune(snap.Source, ':') {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "import: source id %q contains ':'", snap.Source)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err, "import %s", snap.Source)
	}
	im := &Import{db: d, ctx: ctx, conn: conn, snap: snap, ids: map[string]struct{}{}, prev: map[string]string{}}
	if err := beginImmediate(ctx, conn); err != nil {
		conn.Close()
		return nil, storeErr(err, "import %s: begin", snap.Source)
	}
	fail := func(err error, what string) (*Import, error) {
		im.abort()
		return nil, storeErr(err, "import %s: %s", snap.Source, what)
	}
	// A bigger page cache for the duration of the import: fewer spills of
	// dirty pages to the WAL in the middle of the transaction.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
		return fail(err, "cache size")
	}
	if snap.Source != "" {
		if err := im.setSource(snap.Source); err != nil {
			return fail(err, "read previous snapshot")
		}
	}
	files, _ := json.Marshal(nonNil(snap.Files))
	res, err := conn.ExecContext(ctx, `INSERT INTO snapshots
		(source, format, version, published, imported, content_hash, entities, names, files, origin)
		VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
		snap.Source, snap.Format, snap.Version, formatTime(snap.Published), formatTime(time.Now()),
		snap.ContentHash, string(files), snap.Origin)
	if err != nil {
		return fail(err, "insert snapshot")
	}
	if im.snap.ID, err = res.LastInsertId(); err != nil {
		return fail(err, "insert snapshot")
	}
	im.id = im.snap.ID
	if im.insVer, err = conn.PrepareContext(ctx,
		`INSERT INTO entity_versions (entity_id, hash, schema, caption, programs, codec, data)
		 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id, hash) DO NOTHING`); err != nil {
		return fail(err, "prepare")
	}
	if im.insMem, err = conn.PrepareContext(ctx,
		`INSERT INTO snapshot_entities (snapshot_id, entity_id, hash) VALUES (?, ?, ?)`); err != nil {
		return fail(err, "prepare")
	}
	im.jobs = make(chan job, 256)
	im.ready = make(chan job, 256)
	im.stopped = make(chan struct{})
	var wg sync.WaitGroup
	for range compressors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			im.compressor()
		}()
	}
	go func() {
		wg.Wait()
		close(im.ready)
	}()
	go im.writer()
	return im, nil
}

// setSource fixes the source of the import's entities and loads the hashes
// of the source's last imported snapshot.
func (im *Import) setSource(src string) error {
	im.src = src
	rows, err := im.conn.QueryContext(im.ctx, `SELECT entity_id, hash FROM snapshot_entities WHERE snapshot_id =
		(SELECT id FROM snapshots WHERE source = ? ORDER BY id DESC LIMIT 1)`, src)
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
	if err := rows.Err(); err != nil {
		return storeErr(err, "import %s: read previous snapshot", src)
	}
	return nil
}

// SetSnapshot replaces the snapshot's description (Source, Format, Version,
// Published, ContentHash, Files, Origin) before Commit, for callers that
// learn them while parsing. Commit refuses a Source other than the
// entities' source.
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

// Add stores one entity. Its ID must be "<source>:<key>" with the snapshot's
// source, its Source the snapshot's source, and its ID new in this import.
// The entity is encoded before Add returns: the caller may reuse it. After an
// error the import can only be rolled back.
func (im *Import) Add(e *lexscreen.Entity) error {
	if im.done || im.jobs == nil {
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
	if p := im.werr.Load(); p != nil {
		return *p
	}
	if err := im.ctx.Err(); err != nil {
		return storeErr(err, "import %s", src)
	}
	if e == nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "import %s: nil entity", src)
	}
	if src == "" {
		src = sourceOf(e.ID)
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
	if sourceOf(e.ID) != src || len(e.ID) == len(src)+1 {
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
	j := job{id: e.ID, hash: sum[:]}
	if im.prev[e.ID] != string(j.hash) {
		j.data = data
		j.schema, j.caption, j.programs = string(e.Schema), e.Caption(), strings.Join(store.Programs(e), "\n")
	}
	select {
	case im.jobs <- j:
	case <-im.stopped:
		if p := im.werr.Load(); p != nil {
			return *p
		}
		return storeErr(im.ctx.Err(), "import %s", src)
	}
	im.ids[e.ID] = struct{}{}
	im.entities++
	im.names += len(e.Names)
	return nil
}

// compressors is the number of goroutines that deflate new versions.
const compressors = 2

// compressor deflates the data of new versions.
func (im *Import) compressor() {
	var buf bytes.Buffer
	var fw *flate.Writer
	for j := range im.jobs {
		if j.data != nil && im.werr.Load() == nil {
			j.codec, j.blob = codecJSON, j.data
			if len(j.data) >= compressMin {
				buf.Reset()
				if fw == nil {
					fw, _ = flate.NewWriter(&buf, flate.BestSpeed)
				} else {
					fw.Reset(&buf)
				}
				fw.Write(j.data)
				fw.Close()
				if buf.Len() < len(j.data) {
					j.codec, j.blob = codecDeflate, bytes.Clone(buf.Bytes())
				}
			}
		}
		im.ready <- j
	}
}

// writer stores the jobs (in whatever order the compressors finish them:
// rows are keyed by entity id and hash, so the order does not matter); after
// the first error it only drains the channel.
func (im *Import) writer() {
	defer close(im.stopped)
	for j := range im.ready {
		if im.werr.Load() != nil {
			continue
		}
		if err := im.write(j); err != nil {
			im.werr.Store(&err)
		}
	}
}

func (im *Import) write(j job) error {
	if j.data != nil {
		if _, err := im.insVer.ExecContext(im.ctx, j.id, j.hash, j.schema, j.caption, j.programs, j.codec, j.blob); err != nil {
			return storeErr(err, "import %s: entity %s", im.src, j.id)
		}
	}
	if _, err := im.insMem.ExecContext(im.ctx, im.id, j.id, j.hash); err != nil {
		return storeErr(err, "import %s: entity %s", im.src, j.id)
	}
	return nil
}

// finish ends the writer goroutine and returns its error.
func (im *Import) finish() error {
	if im.jobs != nil {
		close(im.jobs)
		<-im.stopped
		im.jobs = nil
	}
	if p := im.werr.Load(); p != nil {
		return *p
	}
	return nil
}

// Commit checks and publishes the snapshot:
//
//   - an entity error earlier in the import is returned again (and the import
//     is rolled back);
//   - a snapshot of the same source with the same non-empty ContentHash: the
//     import is rolled back and Commit returns that snapshot with an ECONFLICT
//     error wrapping ErrDuplicate;
//   - shrink guard: fewer than ShrinkLimit (80%) of the entities of the
//     snapshot of the same source that precedes this one by Published date
//     (ties: import order) is refused with ECONFLICT unless opts.Force. The
//     import then stays open: call Commit again with Force, or Rollback.
func (im *Import) Commit(opts CommitOptions) (lexscreen.Snapshot, error) {
	if im.done {
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID, "import %s: already committed or rolled back", im.src)
	}
	if im.err == nil {
		im.err = im.finish()
	}
	if im.err != nil {
		im.abort()
		return lexscreen.Snapshot{}, im.err
	}
	ctx, conn := im.ctx, im.conn
	if im.snap.Source == "" {
		im.snap.Source = im.src
	}
	src := im.snap.Source
	switch {
	case src == "":
		im.abort()
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID, "import: snapshot has no source and no entities")
	case strings.ContainsRune(src, ':'):
		im.abort()
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID, "import: source id %q contains ':'", src)
	case im.src != "" && src != im.src:
		im.abort()
		return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.EINVALID,
			"import: snapshot of source %q holds entities of source %q", src, im.src)
	}
	fail := func(err error, what string) (lexscreen.Snapshot, error) {
		im.abort()
		return lexscreen.Snapshot{}, storeErr(err, "import %s: %s", src, what)
	}
	if err := ctx.Err(); err != nil {
		return fail(err, "commit")
	}
	if im.snap.ContentHash != "" {
		row := conn.QueryRowContext(ctx, selectSnapshot+` WHERE source = ? AND content_hash = ? AND id <> ?
			ORDER BY id LIMIT 1`, src, im.snap.ContentHash, im.snap.ID)
		old, err := scanSnapshot(row)
		switch {
		case err == nil:
			im.abort()
			return old, store.DuplicateError(src, old)
		case !errors.Is(err, sql.ErrNoRows):
			return fail(err, "check content hash")
		}
	}
	if !opts.Force {
		row := conn.QueryRowContext(ctx, selectSnapshot+` WHERE source = ? AND id <> ? AND published <= ?
			ORDER BY published DESC, id DESC LIMIT 1`, src, im.snap.ID, formatTime(im.snap.Published))
		prev, err := scanSnapshot(row)
		switch {
		case err == nil:
			if store.Shrinks(im.entities, prev, opts) {
				return lexscreen.Snapshot{}, store.ShrinkError(src, im.snap.Version, im.entities, prev)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return fail(err, "shrink check")
		}
	}
	im.snap.Imported = time.Now().UTC()
	files, _ := json.Marshal(nonNil(im.snap.Files))
	if _, err := conn.ExecContext(ctx, `UPDATE snapshots SET source = ?, format = ?, version = ?, published = ?,
		imported = ?, content_hash = ?, entities = ?, names = ?, records = ?, files = ?, origin = ? WHERE id = ?`,
		src, im.snap.Format, im.snap.Version, formatTime(im.snap.Published), formatTime(im.snap.Imported),
		im.snap.ContentHash, im.entities, im.names, im.snap.Records, string(files), im.snap.Origin, im.snap.ID); err != nil {
		return fail(err, "update snapshot")
	}
	im.closeStmts()
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fail(err, "commit")
	}
	im.done = true
	im.conn.ExecContext(context.Background(), "PRAGMA cache_size = -2000")
	im.conn.Close()
	// Fold the WAL back into the database now that the big write is done;
	// best effort (readers may hold it).
	im.db.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
	return im.db.Snapshot(context.Background(), im.snap.ID)
}

// Rollback discards the import. It is a no-op after Commit or Rollback.
func (im *Import) Rollback() error {
	if im.done {
		return nil
	}
	im.abort()
	return nil
}

func (im *Import) abort() {
	if im.done {
		return
	}
	im.done = true
	im.finish()
	im.closeStmts()
	if _, err := im.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		// The connection is in an unknown state: do not return it to the pool.
		im.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	im.conn.ExecContext(context.Background(), "PRAGMA cache_size = -2000")
	im.conn.Close()
}

func (im *Import) closeStmts() {
	for _, st := range []*sql.Stmt{im.insVer, im.insMem} {
		if st != nil {
			st.Close()
		}
	}
	im.insVer, im.insMem = nil, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
