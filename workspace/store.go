// Package workspace is the analyst's system of record: the customer book
// (subjects), the alerts its screenings open, decisions on them under four
// eyes (a maker decides, a different approver approves), good-guy
// suppression of approved false positives, comments, assignment, status
// history, users, webhooks and exports. It keeps its own SQLite database
// (<data-dir>/workspace.db, mode 0600) and writes every action to the
// hash-chained audit log (audit.KindAction records) in the same step: an
// action that could not be recorded is not done.
//
// The rules that matter most are enforced by the database itself, so that
// no handler, script or bug can bypass them: a decision's checker differs
// from its maker (CHECK and trigger), an alert closes only on an approved
// decision (trigger), a suppression needs an approved false positive
// (trigger), and decisions are never deleted or changed once checked.
package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lexscreen/lexscreen/internal/privfile"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/store"
)

// Recorder appends records to the audit log (an *audit.DB).
type Recorder interface {
	Append(ctx context.Context, recs ...*audit.Record) error
}

// ListingReader reads a listed entity as one store snapshot holds it (a
// store.Store).
type ListingReader interface {
	Entity(ctx context.Context, id string, snapshotID int64) (*lexscreen.Entity, error)
}

var _ ListingReader = (store.Store)(nil)

// Options configure Open.
type Options struct {
	// Audit records every action; required.
	Audit Recorder
	// Listings, when set, lets alerts freeze the listed entity they
	// matched (for the field diff of a re-alert).
	Listings ListingReader
	// DueIn is the time an analyst has to decide an alert (default 5 days).
	DueIn time.Duration
	// MaxAttachment is the size limit of one attachment (default 10 MiB).
	MaxAttachment int64
}

// Store is the workspace database.
type Store struct {
	// db is the pool the reads use; wdb is the writer's (group commit):
	// in SQLite a connection of its own, whose page cache and prepared
	// statements no reader's transaction resets (a connection that sees
	// another's commit drops its whole page cache); in PostgreSQL db.
	db, wdb *sql.DB
	path    string
	opts    Options
	now     func() time.Time
	hub     *Hub
	// mu serialises the writes (SQLite has one writer; this keeps the
	// audit records in the order of the changes they record): its holder
	// commits the writes queued (groupcommit.go).
	mu    sync.Mutex
	qmu   sync.Mutex // guards queue
	queue []*writeReq
	// metrics counts the group commits.
	metrics writeMetrics
	// stmts holds the statements of the hot paths, prepared once on
	// wdb; rstmts those read outside the writer, on db.
	stmts, rstmts sync.Map // query text -> *sql.Stmt
	// seen holds the "last seen" marks written after the answer
	// (foundscreening.go).
	seen seenMarks
	// verdicts keeps the precheck's verdicts (verdictcache.go).
	verdicts verdictCache
	// openings are the subjects whose alerts a screening is opening.
	openings openings
	// pg: the database is PostgreSQL (OpenPostgres), not SQLite.
	pg bool
	// origin names this store in the events it notifies (PostgreSQL);
	// listening says whether it receives the other servers' events, and
	// listenFailures counts the connections lost (pgevents.go).
	origin         string
	listening      atomic.Bool
	listenFailures atomic.Int64
	stopListening  context.CancelFunc
	// ckpt is the WAL checkpointer of a SQLite workspace (checkpoint.go).
	ckpt checkpoints
}

// Actor is who acts: "key:ID" for an API key, "user:NAME" for a user,
// "system:JOB" for lexscreen's own jobs, with the role it acts in.
type Actor struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

// System is the actor of lexscreen's own jobs (the monitor, an import).
func System(job string) Actor { return Actor{ID: "system:" + job, Role: "system"} }

// Open opens (creating it if needed) the workspace database at path,
// readable by its owner only.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := privfile.SQLite(path); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", path, err)
	}
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_journal_mode", "WAL")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Statement journals (the savepoint of each write of a group commit)
	// in memory, not in temporary files; large writes run alone, without
	// a savepoint (groupcommit.go).
	q.Add("_pragma", "temp_store(MEMORY)")
	// A group's pages stay in memory until its commit (the default 2 MB
	// spilled them to the WAL mid-transaction, in the writer).
	q.Add("_pragma", "cache_size(-16384)")
	// No checkpoint inside a commit: checkpoint.go copies the WAL in the
	// background.
	q.Add("_pragma", "wal_autocheckpoint(0)")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", path, err)
	}
	// Idle connections are kept (database/sql keeps 2 by default): a
	// connection closed after a commit took its page cache and prepared
	// statements with it, and the next was opened cold.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", path, err)
	}
	wdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		db.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	s := newStore(db, path, o)
	s.wdb = wdb
	fail := func(err error) (*Store, error) {
		s.closeStmts()
		wdb.Close()
		db.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database %s: %v", path, err)
	}
	if err := s.prepare(ctx); err != nil {
		return fail(err)
	}
	if err := s.startCheckpoints(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// withDefaults checks o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Audit == nil {
		return o, lexscreen.Errorf(lexscreen.EINTERNAL, "workspace: no audit log to record actions in")
	}
	if o.DueIn <= 0 {
		o.DueIn = 5 * 24 * time.Hour
	}
	if o.MaxAttachment <= 0 {
		o.MaxAttachment = 10 << 20
	}
	return o, nil
}

func newStore(db *sql.DB, location string, o Options) *Store {
	return &Store{db: db, wdb: db, path: location, opts: o, now: func() time.Time { return time.Now().UTC() }, hub: newHub()}
}

// Close closes the database.
func (s *Store) Close() error {
	s.FlushSeen()
	if s.stopListening != nil {
		s.stopListening()
	}
	s.hub.close()
	s.stopCheckpoints()
	s.closeStmts()
	if s.wdb != s.db {
		s.wdb.Close()
	}
	return s.db.Close()
}

// Path is the file of the database, or for PostgreSQL its URL without
// the password.
func (s *Store) Path() string { return s.path }

// Postgres says whether the workspace is in PostgreSQL (OpenPostgres).
func (s *Store) Postgres() bool { return s.pg }

// DB is the underlying database (tests write to it directly to show that
// the rules hold at the SQL level).
func (s *Store) DB() *sql.DB { return s.db }

// change is one step of a write: the database changes made in fn's
// transaction and the actions fn reports, recorded in the audit log before
// the transaction commits. Events are published once it has.
type change struct {
	actions []audit.Action
	events  []Event
	// pairs and sups are the keys of the precheck verdicts the change
	// may alter (verdictcache.go).
	pairs []pairKey
	sups  []suppressionKey
	// frozen: the results stored in frozen_results by this change.
	frozen map[string]bool
}

func (c *change) act(actor Actor, action, object string, detail any) {
	c.actions = append(c.actions, audit.Action{Action: action, Actor: actor.ID, Role: actor.Role, Object: object, Detail: mustJSON(detail)})
}

// dbErr turns a database error into an error a user can act on: the
// store's own refusals (triggers, CHECKs) are conflicts with their reason.
func dbErr(err error) error {
	if err == nil {
		return nil
	}
	var le *lexscreen.Error
	if errors.As(err, &le) {
		return err
	}
	msg := err.Error()
	for _, refusal := range []string{"four eyes", "CHECK constraint failed", "violates check constraint", "final", "are kept", "suppression"} {
		if strings.Contains(msg, refusal) {
			return lexscreen.Errorf(lexscreen.ECONFLICT, "refused by the workspace database: %s", msg)
		}
	}
	return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "workspace database: %v", err)
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func nullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

// page checks a page size: 1 to 1000, default 100.
func page(limit int) (int, error) {
	switch {
	case limit == 0:
		return 100, nil
	case limit < 0 || limit > 1000:
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "limit %d: want 1 to 1000", limit)
	}
	return limit, nil
}

// mustJSON is v as JSON (values of the workspace's own types always encode).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf("%q", err.Error()))
	}
	return b
}
