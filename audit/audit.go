// Package audit keeps the tamper-evident record of every screening and the
// API keys of the HTTP server, in one SQLite database (<data-dir>/audit.db).
//
// Records form a hash chain: each record's hash covers its content and the
// hash of the record before it, so altering or deleting a record breaks the
// chain at that record, and Verify says which and why. Writes are serialized
// through one goroutine that commits waiting records together (group commit);
// Append returns only once the record is durable.
package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/lexscreen/lexscreen"
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
	Engine    string                  `json:"engine"`
	Result    json.RawMessage         `json:"result"` // the lexscreen.Result answered
	PrevHash  string                  `json:"prev_hash,omitempty"`
	Hash      string                  `json:"hash,omitempty"`

	body []byte // the content after the id, encoded by Append's caller
}

// content is the canonical text a record's hash covers.
func (r *Record) content() ([]byte, error) {
	c := *r
	c.PrevHash, c.Hash = "", ""
	return json.Marshal(&c)
}

// idPrefix starts the content of a record whose ID is not yet known; ID
// is the first field, so the rest of the encoding does not depend on it.
const idPrefix = `{"id":0,`

// encodeBody encodes everything but the ID, on the caller's goroutine, so
// that the single writer only numbers, chains and stores records.
func (r *Record) encodeBody() error {
	c := *r
	c.ID, c.PrevHash, c.Hash = 0, "", ""
	b, err := json.Marshal(&c)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte(idPrefix)) {
		return fmt.Errorf("audit: unexpected record encoding")
	}
	r.body = b[len(idPrefix):]
	return nil
}

// contentWithID is content() for a record whose body was encoded already:
// the same bytes as json.Marshal would give.
func (r *Record) contentWithID() ([]byte, error) {
	if r.body == nil {
		return r.content()
	}
	b := make([]byte, 0, len(r.body)+24)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, ',')
	return append(b, r.body...), nil
}

// chainHash is the hash of a record's content chained to the previous hash.
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
	reqs chan *appendReq
	done chan struct{}
	stop chan struct{} // ends the checkpointer
	// restart asks the writer for a checkpoint between two commits.
	restart         chan struct{}
	checkpointEvery time.Duration
	walRestartBytes int64
	pageSize        int64
	// linger is how long a commit waits for more records (0: it takes
	// only those queued already).
	linger time.Duration
	keys   keyCache

	// The writer's statements, prepared once (database/sql reuses them on
	// each connection they were prepared on).
	head, insert, setHead *sql.Stmt

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

const schema = `
CREATE TABLE IF NOT EXISTS records (
	id        INTEGER PRIMARY KEY,
	time      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	content   TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
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

// Open opens (creating it if needed) the audit database at path. Every
// commit is flushed to the disk before Append returns (SQLite synchronous
// FULL).
func Open(ctx context.Context, path string) (*DB, error) { return OpenSync(ctx, path, "full") }

// OpenSync is Open with a choice of durability: "full" flushes every commit
// to the disk; "normal" leaves the flush to the WAL checkpoints, so a
// record survives a crash of lexscreen but the last ones may be lost if
// the machine loses power. Screening answers about a millisecond sooner.
func OpenSync(ctx context.Context, path, sync string) (*DB, error) {
	linger := time.Duration(0)
	if sync == "normal" {
		linger = syncNormalLinger
	}
	return open(ctx, path, sync, linger)
}

func open(ctx context.Context, path, sync string, linger time.Duration) (*DB, error) {
	switch sync {
	case "full", "normal":
	default:
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit sync %q: want full or normal", sync)
	}
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
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
	if _, err := sdb.ExecContext(ctx, schema); err != nil {
		sdb.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	d := &DB{db: sdb, path: path, reqs: make(chan *appendReq, 1024), done: make(chan struct{}), stop: make(chan struct{}), linger: linger,
		restart: make(chan struct{}, 1), checkpointEvery: checkpointEvery, walRestartBytes: walRestartBytes}
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&d.head, `SELECT last_id, hash FROM chain_head WHERE one = 1`},
		{&d.insert, `INSERT INTO records (id, time, kind, key_id, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&d.setHead, `INSERT INTO chain_head (one, last_id, hash) VALUES (1, ?, ?)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`},
	} {
		if *st.stmt, err = sdb.PrepareContext(ctx, st.sql); err != nil {
			sdb.Close()
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
		}
	}
	d.keys.init()
	if err := sdb.QueryRowContext(ctx, "PRAGMA page_size").Scan(&d.pageSize); err != nil {
		sdb.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", path, err)
	}
	go d.writer()
	go d.checkpointer()
	return d, nil
}

// The WAL is copied into the database every checkpointEvery, without
// blocking the writer. SQLite starts the WAL over from its beginning only
// when a checkpoint has copied all of it, which under a steady stream of
// screenings never happens by itself (records keep coming while it copies):
// the WAL would grow without end (some 14 MB a second at 2,000 screenings
// a second), and flushing a file that grows is slower than flushing one
// written over. So once it holds more than walRestartBytes, the writer
// runs a checkpoint between two commits, with nothing coming in, which
// copies the little written since the background one; the next commit then
// starts the WAL over. Commits wait for that checkpoint (10 to 70 ms on a
// busy disk, most of it flushing), so it is rare: about every 20 s at
// 2,000 screenings a second; the WAL file stays at about that size.
var (
	checkpointEvery       = time.Second
	walRestartBytes int64 = 256 << 20
)

// checkpointer copies the WAL into the database now and then, without
// blocking writers (PASSIVE), and asks the writer for a checkpoint between
// commits when the WAL has grown.
func (d *DB) checkpointer() {
	t := time.NewTicker(d.checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
			// The WAL file keeps its size when SQLite starts it over: what
			// counts is the frames written since, which the checkpoint says.
			var busy, frames, copied int64
			err := d.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
			if err == nil && frames*d.pageSize > d.walRestartBytes {
				select {
				case d.restart <- struct{}{}:
				default:
				}
			}
		}
	}
}

// Path is the file of the database.
func (d *DB) Path() string { return d.path }

// Close stops the writer (after the records already queued) and closes the database.
func (d *DB) Close() error {
	close(d.stop)
	close(d.reqs)
	<-d.done
	d.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	d.head.Close()
	d.insert.Close()
	d.setHead.Close()
	return d.db.Close()
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
		if err := rec.encodeBody(); err != nil {
			return lexscreen.Errorf(lexscreen.EINTERNAL, "audit: encode record: %v", err)
		}
	}
	r := &appendReq{recs: recs, err: make(chan error, 1)}
	select {
	case d.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write goes ahead even if ctx ends: wait for its outcome
	// so the caller never answers without knowing whether it was recorded.
	return <-r.err
}

// Group commits: at most maxBatch appends in one, and with a linger (sync
// normal) the writer waits for more records until it has lingerRecords.
const (
	maxBatch      = 256
	lingerRecords = 64
)

// syncNormalLinger is how long a commit waits for more records with sync
// normal. Without a flush to wait for, a commit would hold one or two
// records, and each commit costs about as much CPU as 5 to 10 records (its
// begin, chain head and WAL pages): waiting a millisecond cuts the writer's
// CPU several times at 2,000 records a second. With sync full the flush of
// the previous commit is the wait.
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
			d.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
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
		err := d.commit(batch)
		for _, b := range batch {
			b.err <- err
		}
		if fn := d.observe.Load(); fn != nil {
			(*fn)(n, time.Since(start), err)
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
	now := time.Now().UTC()
	for _, b := range batch {
		for _, rec := range b.recs {
			lastID++
			rec.ID = lastID
			if rec.Time.IsZero() {
				rec.Time = now
			}
			rec.Time = rec.Time.UTC()
			content, err := rec.contentWithID()
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINTERNAL, "audit: encode record: %v", err)
			}
			rec.PrevHash = prev
			rec.Hash = chainHash(prev, content)
			if _, err := stmt.ExecContext(ctx, rec.ID, rec.Time.Format(time.RFC3339Nano), rec.Kind, rec.KeyID, string(content), rec.PrevHash, rec.Hash); err != nil {
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

// Get returns one record.
func (d *DB) Get(ctx context.Context, id int64) (*Record, error) {
	var content, prev, hash string
	err := d.db.QueryRowContext(ctx, `SELECT content, prev_hash, hash FROM records WHERE id = ?`, id).Scan(&content, &prev, &hash)
	if err == sql.ErrNoRows {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no audit record %d", id)
	}
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	var r Record
	if err := json.Unmarshal([]byte(content), &r); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d is not valid JSON: %v", id, err)
	}
	r.PrevHash, r.Hash = prev, hash
	return &r, nil
}

// List returns up to limit records with an id above after, oldest first.
func (d *DB) List(ctx context.Context, after int64, limit int) ([]*Record, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT content, prev_hash, hash FROM records WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	defer rows.Close()
	out := []*Record{}
	for rows.Next() {
		var content string
		r := &Record{}
		if err := rows.Scan(&content, &r.PrevHash, &r.Hash); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
		prev, hash := r.PrevHash, r.Hash
		if err := json.Unmarshal([]byte(content), r); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "audit: record is not valid JSON: %v", err)
		}
		r.PrevHash, r.Hash = prev, hash
		out = append(out, r)
	}
	return out, rows.Err()
}

// Count returns the number of records.
func (d *DB) Count(ctx context.Context) (int64, error) {
	var n int64
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM records`).Scan(&n)
	return n, err
}

// Problem is one break in the chain found by Verify.
type Problem struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

func (p Problem) String() string { return fmt.Sprintf("record %d: %s", p.ID, p.Reason) }

// Report is the outcome of Verify.
type Report struct {
	Records  int64     `json:"records"`
	LastID   int64     `json:"last_id"`
	OK       bool      `json:"ok"`
	Problems []Problem `json:"problems"`
}

// Verify walks the whole chain and reports every record that was altered,
// deleted or inserted out of order.
func (d *DB) Verify(ctx context.Context) (Report, error) {
	rep := Report{Problems: []Problem{}}
	rows, err := d.db.QueryContext(ctx, `SELECT id, time, kind, key_id, content, prev_hash, hash FROM records ORDER BY id`)
	if err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	defer rows.Close()
	var lastID int64
	prev := ""
	add := func(id int64, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{ID: id, Reason: fmt.Sprintf(format, args...)})
	}
	for rows.Next() {
		var id int64
		var tm, kind, keyID, content, prevHash, hash string
		if err := rows.Scan(&id, &tm, &kind, &keyID, &content, &prevHash, &hash); err != nil {
			return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
		}
		rep.Records++
		for missing := lastID + 1; missing < id; missing++ {
			add(missing, "deleted: the chain goes from record %d to record %d", lastID, id)
		}
		if prevHash != prev {
			add(id, "its previous-hash does not match the hash of the record before it (a record before it was altered, deleted or inserted)")
		}
		if got := chainHash(prevHash, []byte(content)); got != hash {
			add(id, "altered: its content does not match its hash (stored %.12s…, computed %.12s…)", hash, got)
		}
		var r Record
		if err := json.Unmarshal([]byte(content), &r); err != nil {
			add(id, "altered: its content is not valid JSON")
		} else if r.ID != id || r.Kind != kind || r.KeyID != keyID || r.Time.UTC().Format(time.RFC3339Nano) != tm {
			add(id, "altered: its id, time, kind or key columns disagree with its hashed content")
		}
		prev, lastID = hash, id
	}
	if err := rows.Err(); err != nil {
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	var headID int64
	var headHash string
	switch err := d.db.QueryRowContext(ctx, `SELECT last_id, hash FROM chain_head WHERE one = 1`).Scan(&headID, &headHash); err {
	case sql.ErrNoRows:
		if lastID != 0 {
			add(lastID, "the chain head is missing")
		}
	case nil:
		if headID > lastID {
			for missing := lastID + 1; missing <= headID; missing++ {
				add(missing, "deleted: the chain head says the last record is %d", headID)
			}
		} else if headID != lastID || headHash != prev {
			add(lastID, "the chain head (record %d) does not match the last record", headID)
		}
	default:
		return rep, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	rep.LastID = lastID
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}
