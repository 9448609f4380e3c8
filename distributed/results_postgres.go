package distributed

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgresResults is a results store in a PostgreSQL table
// (lexscreen_results), shared by workers on any number of machines.
type PostgresResults struct {
	pool *pgxpool.Pool
}

// OpenPostgresResults connects to the database a postgres:// URL names and
// creates the results table if needed.
func OpenPostgresResults(ctx context.Context, dsn string) (*PostgresResults, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, resultsErr(err, "connect to PostgreSQL")
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS lexscreen_results (
		job    text     NOT NULL,
		row_no integer  NOT NULL,
		status smallint NOT NULL,
		line   bytea    NOT NULL,
		PRIMARY KEY (job, row_no)
	)`); err != nil {
		pool.Close()
		return nil, resultsErr(err, "create the results table")
	}
	return &PostgresResults{pool: pool}, nil
}

// Put implements Results: one statement, so all rows or none.
func (p *PostgresResults) Put(ctx context.Context, job string, rs []Result) (int, error) {
	rows := make([]int32, len(rs))
	status := make([]int16, len(rs))
	lines := make([][]byte, len(rs))
	for i, r := range rs {
		rows[i], status[i], lines[i] = int32(r.Row), int16(r.Status), r.Line
	}
	tag, err := p.pool.Exec(ctx, `INSERT INTO lexscreen_results (job, row_no, status, line)
		SELECT $1, r, s, l FROM unnest($2::integer[], $3::smallint[], $4::bytea[]) AS t(r, s, l)
		ON CONFLICT (job, row_no) DO NOTHING`, job, rows, status, lines)
	if err != nil {
		return 0, resultsErr(err, "store results")
	}
	return int(tag.RowsAffected()), nil
}

// Count implements Results.
func (p *PostgresResults) Count(ctx context.Context, job string) (int, error) {
	var n int
	if err := p.pool.QueryRow(ctx, `SELECT count(*) FROM lexscreen_results WHERE job = $1`, job).Scan(&n); err != nil {
		return 0, resultsErr(err, "count results")
	}
	return n, nil
}

// Each implements Results.
func (p *PostgresResults) Each(ctx context.Context, job string, fn func(Result) error) error {
	rows, err := p.pool.Query(ctx, `SELECT row_no, status, line FROM lexscreen_results WHERE job = $1 ORDER BY row_no`, job)
	if err != nil {
		return resultsErr(err, "read results")
	}
	defer rows.Close()
	var line []byte
	var row int32
	var status int16
	var fnErr error
	_, err = pgx.ForEachRow(rows, []any{&row, &status, &line}, func() error {
		fnErr = fn(Result{Row: int(row), Status: Status(status), Line: line})
		return fnErr
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return resultsErr(err, "read results")
	}
	return nil
}

// Delete implements Results.
func (p *PostgresResults) Delete(ctx context.Context, job string) error {
	if _, err := p.pool.Exec(ctx, `DELETE FROM lexscreen_results WHERE job = $1`, job); err != nil {
		return resultsErr(err, "delete results")
	}
	return nil
}

// Close implements Results.
func (p *PostgresResults) Close() error { p.pool.Close(); return nil }
