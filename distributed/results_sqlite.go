package distributed

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/lexscreen/lexscreen"
)

// SQLiteResults is a results store in one SQLite file (WAL), shared by the
// worker and submitter processes of one machine.
type SQLiteResults struct {
	db   *sql.DB
	path string
}

// OpenSQLiteResults opens (creating it if needed) the results file at path.
func OpenSQLiteResults(ctx context.Context, path string) (*SQLiteResults, error) {
	if path == "" {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "results store: empty SQLite path")
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, resultsErr(err, "open %s", path)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS results (
		job    TEXT    NOT NULL,
		row    INTEGER NOT NULL,
		status INTEGER NOT NULL,
		line   BLOB    NOT NULL,
		PRIMARY KEY (job, row)
	) WITHOUT ROWID;
	-- The keys alone, so that counting a job's results (polled while it
	-- runs) reads no result line.
	CREATE INDEX IF NOT EXISTS results_keys ON results (job, row)`); err != nil {
		db.Close()
		return nil, resultsErr(err, "open %s", path)
	}
	return &SQLiteResults{db: db, path: path}, nil
}

// Put implements Results.
func (s *SQLiteResults) Put(ctx context.Context, job string, rs []Result) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, resultsErr(err, "store results in %s", s.path)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO results (job, row, status, line) VALUES (?, ?, ?, ?) ON CONFLICT (job, row) DO NOTHING`)
	if err != nil {
		return 0, resultsErr(err, "store results in %s", s.path)
	}
	defer st.Close()
	inserted := 0
	for _, r := range rs {
		res, err := st.ExecContext(ctx, job, r.Row, int(r.Status), r.Line)
		if err != nil {
			return 0, resultsErr(err, "store results in %s", s.path)
		}
		n, _ := res.RowsAffected()
		inserted += int(n)
	}
	if err := tx.Commit(); err != nil {
		return 0, resultsErr(err, "store results in %s", s.path)
	}
	return inserted, nil
}

// Count implements Results.
func (s *SQLiteResults) Count(ctx context.Context, job string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM results WHERE job = ?`, job).Scan(&n); err != nil {
		return 0, resultsErr(err, "count results in %s", s.path)
	}
	return n, nil
}

// Each implements Results.
func (s *SQLiteResults) Each(ctx context.Context, job string, fn func(Result) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT row, status, line FROM results WHERE job = ? ORDER BY row`, job)
	if err != nil {
		return resultsErr(err, "read results from %s", s.path)
	}
	defer rows.Close()
	for rows.Next() {
		var r Result
		var status int
		if err := rows.Scan(&r.Row, &status, &r.Line); err != nil {
			return resultsErr(err, "read results from %s", s.path)
		}
		r.Status = Status(status)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return resultsErr(err, "read results from %s", s.path)
	}
	return nil
}

// Delete implements Results.
func (s *SQLiteResults) Delete(ctx context.Context, job string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM results WHERE job = ?`, job); err != nil {
		return resultsErr(err, "delete results from %s", s.path)
	}
	return nil
}

// Close implements Results.
func (s *SQLiteResults) Close() error { return s.db.Close() }

// resultsErr is a results store that could not be used: the store is
// unavailable (exit code 5).
func resultsErr(err error, format string, args ...any) error {
	return &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: "results store: " + fmt.Sprintf(format, args...) + ": " + err.Error(), Err: err}
}
