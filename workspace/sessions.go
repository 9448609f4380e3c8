package workspace

import (
	"context"
	"database/sql"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Web sessions of the users. The workspace keeps them, so every replica
// on a shared database sees the same sessions and a restart signs nobody
// out; only a hash of each session's token is stored (the caller hashes:
// a copy of the database gives no session). A session is the user's for
// as long as the user is: it ends when the user is disabled or their
// password changes, and it takes the user's current role at every use.

// SessionLimits are how long a session lasts: Idle without a use, Max in
// all.
type SessionLimits struct {
	Idle, Max time.Duration
}

// Session is a user's live session.
type Session struct {
	User    User
	Created time.Time
}

// sessionSeenEvery is how stale a session's last use may be before a use
// writes it again: uses within it cost a read, not a write. The idle limit
// is enforced to within this.
const sessionSeenEvery = time.Minute

// sessionTime is a session time as stored: fixed width, so that the
// database compares them as text.
func sessionTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// StartSession records a new session of user, whose token hashes to
// tokenHash, and ends the user's sessions (and everyone's) past the
// limits. The user must exist and not be disabled.
func (s *Store) StartSession(ctx context.Context, tokenHash, user string, now time.Time, lim SessionLimits) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		var disabled sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE name = ?`, user).Scan(&disabled)
		if err == sql.ErrNoRows {
			return lexscreen.Errorf(lexscreen.ENOTFOUND, "no user %q", user)
		}
		if err != nil {
			return dbErr(err)
		}
		if disabled.Valid {
			return lexscreen.Errorf(lexscreen.EINVALID, "user %s is disabled", user)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ? OR created < ?`,
			sessionTime(now.Add(-lim.Idle)), sessionTime(now.Add(-lim.Max))); err != nil {
			return dbErr(err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_name, created, last_seen) VALUES (?, ?, ?, ?)`,
			tokenHash, user, sessionTime(now), sessionTime(now))
		return dbErr(err)
	})
}

// SessionOf returns the live session whose token hashes to tokenHash,
// with its user as they are now, and marks it used. A session that is
// unknown, ended (idle or too old), or of a user now disabled is
// ENOTFOUND.
func (s *Store) SessionOf(ctx context.Context, tokenHash string, now time.Time, lim SessionLimits) (Session, error) {
	var ses Session
	var created, seen, userCreated string
	var disabled sql.NullString
	u := &ses.User
	err := s.db.QueryRowContext(ctx, `SELECT s.created, s.last_seen, u.name, u.role, u.password <> '', u.created, u.disabled
		FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?`, tokenHash).
		Scan(&created, &seen, &u.Name, &u.Role, &u.HasPassword, &userCreated, &disabled)
	gone := lexscreen.Errorf(lexscreen.ENOTFOUND, "no such session: signed out, ended, or the user was disabled")
	if err == sql.ErrNoRows {
		return Session{}, gone
	}
	if err != nil {
		return Session{}, dbErr(err)
	}
	ses.Created, u.Created, u.Disabled = parseTime(created), parseTime(userCreated), nullTime(disabled)
	last := parseTime(seen)
	if u.Disabled != nil || now.Sub(last) > lim.Idle || now.Sub(ses.Created) > lim.Max {
		s.EndSession(ctx, tokenHash) // best effort: it is refused either way
		return Session{}, gone
	}
	if now.Sub(last) > sessionSeenEvery {
		err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?`,
				sessionTime(now), tokenHash, sessionTime(now))
			return dbErr(err)
		})
		if err != nil {
			return Session{}, err
		}
	}
	return ses, nil
}

// EndSession ends the session whose token hashes to tokenHash (sign-out);
// ending one that is gone already is not an error.
func (s *Store) EndSession(ctx context.Context, tokenHash string) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return dbErr(err)
	})
}

// endSessionsOf ends every session of a user, in a write's transaction.
func endSessionsOf(ctx context.Context, tx *sql.Tx, user string) (int64, error) {
	r, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, user)
	if err != nil {
		return 0, dbErr(err)
	}
	n, _ := r.RowsAffected()
	return n, nil
}
