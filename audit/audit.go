// Package audit keeps the tamper-evident record of every screening and the
// API keys of the HTTP server, in one SQLite database (<data-dir>/audit.db),
// or in a PostgreSQL database that several servers share (OpenPostgres: one
// chain, one sequence, for all of them; see postgres.go).
//
// Records form a hash chain: each record's hash covers its content and the
// hash of the record before it, so altering or deleting a record breaks the
// chain at that record, and Verify says which and why. Writes are serialized
// through one goroutine that commits waiting records together (group commit);
// Append returns only once the record is durable.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/privfile"
	"github.com/lexscreen/lexscreen/internal/sqlitewal"
)

// Record is one audited screening: what was asked, by whom, against which
// list versions and engine, and what was answered.
type Record struct {
	ID        int64                   `json:"id"`
	Time      time.Time               `json:"time"`
	Kind      string                  `json:"kind"` // screen, batch, match, reconcile, search
	KeyID     string                  `json:"key_id"`
	Request   json.RawMessage         `json:"request"` // the query and options as the caller sent them
	Operator  string                  `json:"operator,omitempty"`
	Date      string                  `json:"date,omitempty"`
	Regimes   string                  `json:"regimes,omitempty"` // what-if overlay YAML, if any
	Threshold float64                 `json:"threshold"`
	Limit     int                     `json:"limit"`
	Lists     []lexscreen.ListVersion `json:"lists"`
	Snapshots []int64                 `json:"snapshots"` // store snapshot ids of the lists used
	// ListSet is the hash under which Lists and Snapshots are stored once
	// for all the records that used them (empty for records of format 1).
	ListSet string `json:"list_set,omitempty"`
	Engine  string `json:"engine"`
	// Result is the lexscreen.Result answered, as json.Marshal wrote it:
	// Append stores it as it is, without checking it again.
	Result   json.RawMessage `json:"result"`
	PrevHash string          `json:"prev_hash,omitempty"`
	Hash     string          `json:"hash,omitempty"`

	// Prepared by Append (or Encode) on the caller's goroutine, for the writer.
	body    []byte // the compressed body (format 2)
	setJSON []byte // the list set's JSON
	encoded bool   // by Encode: Append keeps body and setJSON
}

// chainHash is the hash of a format 1 record's content chained to the
// previous hash.
func chainHash(prev string, content []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// DB is the audit database.
type DB struct {
	db   *sql.DB
	path string
	// pg is set for a database in PostgreSQL (OpenPostgres): db then runs
	// on it, and its queries are rewritten by pgSQL.
	pg   *pgBackend
	reqs chan *appendReq
	done chan struct{}
	stop chan struct{} // ends the WAL checkpointer
	// wal copies the WAL into the database in the background (SQLite).
	wal             sqlitewal.Checkpointer
	walDone         chan struct{}
	checkpointEvery time.Duration
	// restart asks the writer for a checkpoint between two commits.
	restart chan struct{}
	// linger is how long a commit waits for more records (0: it takes
	// only those queued already).
	linger time.Duration
	keys   keyCache

	// The writer's statements, prepared once (database/sql reuses them on
	// each connection they were prepared on).
	head, insert, setHead, insertSet *sql.Stmt
	// storedSets are the list sets the writer knows are stored (writer only).
	storedSets map[string]bool
	// sets caches list sets read back, by hash.
	setsMu sync.Mutex
	sets   map[string]*listSet

	// signed checkpoints (see checkpoint.go); nil without a signer.
	cp *checkpointer

	closeOnce sync.Once
	closeErr  error
	// sending guards reqs: Append holds it shared while it queues, Close
	// exclusively while it marks the log closed and closes reqs, so an
	// Append after Close gets an error instead of a send on a closed channel.
	sending sync.RWMutex
	closed  bool

	observe atomic.Pointer[func(records int, took time.Duration, err error)]
}

// ObserveCommits sets a function called after each commit of the writer
// with the number of records committed together, the time the commit took
// (most of it waiting for the disk, with sync full) and its error (metrics).
func (d *DB) ObserveCommits(fn func(records int, took time.Duration, err error)) {
	d.observe.Store(&fn)
}

type appendReq struct {
	recs []*Record
	err  chan error
}

// schemaVersion is PRAGMA user_version of a database this lexscreen made
// or migrated; databases of lexscreen before it have 0 and are migrated
// in place (their records stay as they were, in format 1, and verify).
const schemaVersion = 2

const schema = `
CREATE TABLE IF NOT EXISTS records (
	id        INTEGER PRIMARY KEY,
	time      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	content   BLOB NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL,
	format    INTEGER NOT NULL DEFAULT 1,
	list_set  TEXT
);
CREATE TABLE IF NOT EXISTS list_sets (
	hash    TEXT PRIMARY KEY,
	content TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_head (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	last_id INTEGER NOT NULL,
	hash    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
	id      TEXT PRIMARY KEY,
	role    TEXT NOT NULL,
	name    TEXT NOT NULL DEFAULT '',
	salt    BLOB NOT NULL,
	hash    BLOB NOT NULL,
	created TEXT NOT NULL,
	revoked TEXT
);`

// migrate brings a database of an older lexscreen to schemaVersion and
// refuses one made by a newer lexscreen.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > schemaVersion {
		return fmt.Errorf("it was made by a newer lexscreen (schema %d; this one reads up to %d): use that version", version, schemaVersion)
	}
	if version == schemaVersion {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cols := map[string]bool{}
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info('records')")
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		cols[name] = true
	}
	rows.Close()
	for _, c := range []struct{ name, def string }{{"format", "INTEGER NOT NULL DEFAULT 1"}, {"list_set", "TEXT"}} {
		if !cols[c.name] {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE records ADD COLUMN "+c.name+" "+c.def); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// Open opens (creating it if needed) the audit database at path. Every
// commit is flushed to the disk before Append returns (SQLite synchronous
// FULL).
func Open(ctx context.Context, path string) (*DB, error) { return OpenSync(ctx, path, "full") }

// OpenSync is Open with a choice of durability: "full" flushes every commit
// to the disk; "normal" leaves the flush to the WAL checkpoints, so a
// record survives a crash of lexscreen but the last ones may be lost if
// the machine loses power. Screening answers about a millisecond sooner.
func OpenSync(ctx context.Context, path, sync string) (*DB, error) {
	return OpenWith(ctx, path, Options{Sync: sync})
}

// Options are the choices of OpenWith.
type Options struct {
	// Sync is "full" (the default) or "normal" (see OpenSync).
	Sync string
	// Checkpoint, when its Signer is set, signs and publishes checkpoints
	// of the chain (see CheckpointOptions).
	Checkpoint CheckpointOptions
}

// OpenWith opens (creating it if needed) the audit database at path. The
// database, its journal files and its directory (when created) are
// readable by their owner only (0600, 0700): they hold screened names.
func OpenWith(ctx context.Context, path string, o Options) (*DB, error) {
	if o.Sync == "" {
		o.Sync = "full"
	}
	linger := syncNormalLinger
	d, err := open(ctx, path, o.Sync, linger)
	if err != nil {
		return nil, err
	}
	if o.Checkpoint.Signer != nil {
		if err := d.startCheckpoints(ctx, o.Checkpoint); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

func open(ctx context.Context, path, sync string, linger time.Duration) (*DB, error) {
	switch sync {
	case "full", "normal":
	default:
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit sync %q: want full or normal", sync)
	}
	if err := privfile.SQLite(path); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	// Pages of 16 KB for a new database (SQLite keeps an existing one's):
	// a compressed record of about 2 KB would take a whole 4 KB page,
	// since two do not fit in one. The driver runs _pragma before
	// _journal_mode, which fixes the page size.
	q.Add("_pragma", "page_size(16384)")
	q.Set("_journal_mode", "WAL")
	q.Add("_pragma", "synchronous("+strings.ToUpper(sync)+")")
	// No checkpoint inside a commit: a background goroutine checkpoints, so
	// a screening never waits for the WAL to be copied into the database.
	q.Add("_pragma", "wal_autocheckpoint(0)")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	sdb.SetMaxOpenConns(4)
	// Keep them open: database/sql keeps 2 idle by default, so with the
	// writer, the checkpointer and key lookups at once a connection was
	// closed and the next commit began on a cold one (statements
	// prepared again, SQLite's page cache empty).
	sdb.SetMaxIdleConns(4)
	if _, err := sdb.ExecContext(ctx, schema); err != nil {
		sdb.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	if err := migrate(ctx, sdb); err != nil {
		sdb.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	d := newDB(sdb, path, linger)
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&d.head, `SELECT last_id, hash FROM chain_head WHERE one = 1`},
		{&d.insert, `INSERT INTO records (id, time, kind, key_id, content, prev_hash, hash, format, list_set) VALUES (?, ?, ?, ?, ?, ?, ?, 2, ?)`},
		{&d.setHead, `INSERT INTO chain_head (one, last_id, hash) VALUES (1, ?, ?)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`},
		{&d.insertSet, `INSERT OR IGNORE INTO list_sets (hash, content) VALUES (?, ?)`},
	} {
		if *st.stmt, err = sdb.PrepareContext(ctx, st.sql); err != nil {
			sdb.Close()
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
		}
	}
	if err := sdb.QueryRowContext(ctx, "PRAGMA page_size").Scan(&d.wal.PageSize); err != nil {
		sdb.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	d.wal.DB, d.wal.RestartBytes, d.wal.Force = sdb, walRestartBytes, d.askRestart
	d.walDone = make(chan struct{})
	go d.writer()
	go d.checkpointer()
	return d, nil
}

// newDB is a DB on sdb whose writer is not started yet.
func newDB(sdb *sql.DB, path string, linger time.Duration) *DB {
	d := &DB{db: sdb, path: path, reqs: make(chan *appendReq, 1024), done: make(chan struct{}), stop: make(chan struct{}), linger: linger,
		restart: make(chan struct{}, 1), checkpointEvery: checkpointEvery,
		storedSets: map[string]bool{}, sets: map[string]*listSet{}}
	d.keys.init()
	return d
}

// The WAL is copied into the database every checkpointEvery, without
// blocking the writer, and kept from growing without end (some 24 MB a
// second at 2,000 screenings a second): once it holds more than
// walRestartBytes the checkpointer catches up so that the next commit
// starts it over (see internal/sqlitewal). Flushing a file written over is
// faster than flushing one that grows, so the WAL file stays at about that
// size.
var (
	checkpointEvery       = time.Second
	walRestartBytes int64 = 256 << 20
)

// checkpointer runs the WAL's checkpoints until Close.
func (d *DB) checkpointer() {
	defer close(d.walDone)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-d.stop; cancel() }()
	d.wal.Run(ctx, d.checkpointEvery)
}

// askRestart is the checkpointer's last resort, when commits came in
// during every checkpoint of a catch-up and the WAL has grown to twice
// walRestartBytes: the writer checkpoints between two commits, with
// nothing coming in, and the next commit starts the WAL over. Commits wait
// for that checkpoint (10 to 70 ms, most of it flushing).
func (d *DB) askRestart(context.Context) error {
	select {
	case d.restart <- struct{}{}:
	default:
	}
	return nil
}

// WALStats counts the background checkpoints of the WAL (SQLite; zero for
// PostgreSQL): those that failed, and how the WAL was made to start over.
func (d *DB) WALStats() sqlitewal.Stats { return d.wal.Stats() }

// Path is the file of the database, or for PostgreSQL its URL without
// the password.
func (d *DB) Path() string { return d.path }

// q is query, written for SQLite (? placeholders, unprefixed table names),
// as this database's engine takes it.
func (d *DB) q(query string) string {
	if d.pg == nil {
		return query
	}
	return d.pg.rewrite(query)
}

// Close stops the writer (after the records already queued), makes the
// last signed checkpoint and closes the database. Calls after the first
// return its error.
func (d *DB) Close() error {
	d.closeOnce.Do(func() { d.closeErr = d.close() })
	return d.closeErr
}

func (d *DB) close() error {
	close(d.stop)
	d.sending.Lock()
	d.closed = true
	close(d.reqs)
	d.sending.Unlock()
	<-d.done
	if d.walDone != nil {
		<-d.walDone
	}
	var cpErr error
	if d.cp != nil {
		cpErr = d.cp.close(d)
	}
	if d.pg != nil {
		d.pg.close()
		d.db.Close()
		d.pg.pool.Close()
		return cpErr
	}
	d.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	d.head.Close()
	d.insert.Close()
	d.setHead.Close()
	d.insertSet.Close()
	if err := d.db.Close(); err != nil {
		return err
	}
	return cpErr
}

// Append writes records at the end of the chain, filling in their ID, Time
// (when zero), PrevHash and Hash. It returns once they are committed, or
// with an error when none of them was written.
func (d *DB) Append(ctx context.Context, recs ...*Record) error {
	if len(recs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for _, rec := range recs {
		if rec.Time.IsZero() {
			rec.Time = now
		}
		rec.Time = rec.Time.UTC()
		if err := rec.encode2(); err != nil {
			return lexscreen.Errorf(lexscreen.EINTERNAL, "audit: encode record: %v", err)
		}
	}
	r := &appendReq{recs: recs, err: make(chan error, 1)}
	d.sending.RLock()
	if d.closed {
		d.sending.RUnlock()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: the log is closed; the records were not written")
	}
	select {
	case d.reqs <- r:
	case <-ctx.Done():
		d.sending.RUnlock()
		return ctx.Err()
	}
	d.sending.RUnlock()
	// Once queued, the write goes ahead even if ctx ends: wait for its outcome
	// so the caller never answers without knowing whether it was recorded.
	return <-r.err
}

// Group commits: at most maxBatch appends in one, and the writer waits up
// to syncNormalLinger for more records until it has lingerRecords.
const (
	maxBatch      = 256
	lingerRecords = 64
)

// syncNormalLinger is how long a commit waits for more records. Each
// commit costs about as much CPU as 5 to 10 records (its begin, chain head
// and WAL pages): without the wait a commit holds one or two records. With
// sync normal there is no flush to wait for; with sync full the flush of the
// previous commit was meant to be the wait, but on a disk whose flushes take
// about 1 ms commits still held 2.2 records on average at 2,000 a second,
// and with the wait 5.4 (load test, 60 s at 2,000/s: p99 36 and 52 ms
// against 73 and 60 ms without; the median 1 ms higher).
const syncNormalLinger = time.Millisecond

func (d *DB) writer() {
	defer close(d.done)
	var linger *time.Timer
	if d.linger > 0 {
		linger = time.NewTimer(time.Hour)
		linger.Stop()
	}
	for {
		var r *appendReq
		select {
		case <-d.restart:
			// Nothing is written meanwhile: this checkpoint copies the whole
			// WAL (unless another process reads an older state), and the
			// next commit starts the WAL over.
			// A failure is counted (WALStats); the checkpointer asks again.
			d.wal.Passive(context.Background())
			continue
		case req, ok := <-d.reqs:
			if !ok {
				return
			}
			r = req
		}
		batch := []*appendReq{r}
		n, open := len(r.recs), true
		add := func(r2 *appendReq, ok bool) bool {
			if !ok {
				open = false
				return false
			}
			batch = append(batch, r2)
			n += len(r2.recs)
			return len(batch) < maxBatch
		}
	queued: // take what is queued already
		for len(batch) < maxBatch {
			select {
			case r2, ok := <-d.reqs:
				if !add(r2, ok) {
					break queued
				}
			default:
				break queued
			}
		}
		if linger != nil && open && len(batch) < maxBatch && n < lingerRecords {
			linger.Reset(d.linger)
		wait:
			for n < lingerRecords {
				select {
				case r2, ok := <-d.reqs:
					if !add(r2, ok) {
						break wait
					}
				case <-linger.C:
					break wait
				}
			}
			linger.Stop()
		}
		start := time.Now()
		var err error
		if d.pg != nil {
			err = d.commitPostgres(batch)
		} else {
			// A region of an execution trace (see workspace's group commit).
			trace.WithRegion(context.Background(), "audit commit", func() { err = d.commit(batch) })
		}
		for _, b := range batch {
			b.err <- err
		}
		if fn := d.observe.Load(); fn != nil {
			(*fn)(n, time.Since(start), err)
		}
		if err == nil && d.cp != nil {
			d.cp.committed(batch[len(batch)-1])
		}
	}
}

func (d *DB) commit(batch []*appendReq) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: begin: %v", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			for _, b := range batch {
				for _, rec := range b.recs {
					rec.ID, rec.PrevHash, rec.Hash = 0, "", ""
				}
			}
		}
	}()
	var lastID int64
	var prev string
	switch err := tx.StmtContext(ctx, d.head).QueryRowContext(ctx).Scan(&lastID, &prev); err {
	case nil, sql.ErrNoRows:
	default:
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: read chain head: %v", err)
	}
	stmt := tx.StmtContext(ctx, d.insert)
	defer stmt.Close()
	var setStmt *sql.Stmt
	var newSets []string
	defer func() {
		if setStmt != nil {
			setStmt.Close()
		}
		if err == nil {
			for _, h := range newSets {
				d.storedSets[h] = true
			}
		}
	}()
	for _, b := range batch {
		for _, rec := range b.recs {
			if !d.storedSets[rec.ListSet] && !slices.Contains(newSets, rec.ListSet) {
				if setStmt == nil {
					setStmt = tx.StmtContext(ctx, d.insertSet)
				}
				if _, err := setStmt.ExecContext(ctx, rec.ListSet, string(rec.setJSON)); err != nil {
					return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: insert list set: %v", err)
				}
				if len(d.storedSets) > 10000 {
					clear(d.storedSets)
				}
				newSets = append(newSets, rec.ListSet)
			}
			lastID++
			tm := rec.link(lastID, prev)
			if _, err := stmt.ExecContext(ctx, rec.ID, tm, rec.Kind, rec.KeyID, rec.body, rec.PrevHash, rec.Hash, rec.ListSet); err != nil {
				return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: insert: %v", err)
			}
			prev = rec.Hash
		}
	}
	if _, err := tx.StmtContext(ctx, d.setHead).ExecContext(ctx, lastID, prev); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: update chain head: %v", err)
	}
	if err := tx.Commit(); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: commit: %v", err)
	}
	return nil
}

// link numbers r id in the chain after the record whose hash is prev,
// sets its PrevHash and Hash (format 2), and returns its time as stored.
func (r *Record) link(id int64, prev string) string {
	tm := timeText(r.Time)
	r.ID = id
	r.PrevHash = prev
	r.Hash = chainHash2(prev, id, tm, r.Kind, r.KeyID, r.ListSet, r.body)
	return tm
}
