package workspace

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/internal/sqlpg"
)

// User is a person who signs in to the web interface.
type User struct {
	Name        string     `json:"name"`
	Role        string     `json:"role"`
	HasPassword bool       `json:"has_password"`
	Created     time.Time  `json:"created"`
	Disabled    *time.Time `json:"disabled,omitempty"`
}

// Actor is the user as an actor.
func (u User) Actor() Actor { return Actor{ID: "user:" + u.Name, Role: u.Role} }

// argon2id parameters (RFC 9106's second recommended option, 64 MiB).
// argonTime and argonMemory are variables only for CheapPasswordHashes.
var (
	argonTime   uint32 = 3
	argonMemory uint32 = 64 << 10
)

const (
	argonThreads = 2
	argonKeyLen  = 32
)

// CheapPasswordHashes makes the password hashes made from now on cost one
// pass over 64 KiB instead of three over 64 MiB: for tests that create
// and sign in many users, never for lexscreen itself. Each hash carries
// its own parameters, so checking a password is unchanged. Call it before
// any hash is made (TestMain): it is not safe for concurrent use.
func CheapPasswordHashes() { argonTime, argonMemory = 1, 64 }

// MinPassword is the shortest password accepted.
const MinPassword = 12

func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CreateUser makes a user with a role (one of audit.Roles) and, when
// password is not empty, a password.
func (s *Store) CreateUser(ctx context.Context, actor Actor, name, role, password string) (User, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " :\t\n") {
		return User{}, lexscreen.Errorf(lexscreen.EINVALID, "user name %q: want a non-empty name without spaces or colons", name)
	}
	if !hasRole(audit.Roles, role) {
		return User{}, lexscreen.Errorf(lexscreen.EINVALID, "role %q: want one of %s", role, strings.Join(audit.Roles, ", "))
	}
	hash := ""
	if password != "" {
		if len(password) < MinPassword {
			return User{}, lexscreen.Errorf(lexscreen.EINVALID, "password: at least %d characters", MinPassword)
		}
		var err error
		if hash, err = hashPassword(password); err != nil {
			return User{}, err
		}
	}
	u := User{Name: name, Role: role, HasPassword: hash != "", Created: s.now()}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)`, name, role, hash, timeText(u.Created)); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") || sqlpg.IsUniqueViolation(err) {
				return lexscreen.Errorf(lexscreen.ECONFLICT, "user %q exists already", name)
			}
			return dbErr(err)
		}
		c.act(actor, "user.created", "user:"+name, map[string]any{"role": role, "has_password": u.HasPassword})
		return nil
	})
	return u, err
}

// SetPassword sets a user's password.
func (s *Store) SetPassword(ctx context.Context, actor Actor, name, password string) error {
	if len(password) < MinPassword {
		return lexscreen.Errorf(lexscreen.EINVALID, "password: at least %d characters", MinPassword)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		r, err := tx.ExecContext(ctx, `UPDATE users SET password = ? WHERE name = ?`, hash, name)
		if err != nil {
			return dbErr(err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return lexscreen.Errorf(lexscreen.ENOTFOUND, "no user %q", name)
		}
		// Whoever knew the old password is signed out.
		ended, err := endSessionsOf(ctx, tx, name)
		if err != nil {
			return err
		}
		c.act(actor, "user.password_set", "user:"+name, map[string]any{"sessions_ended": ended})
		return nil
	})
}

// DisableUser disables a user (who left, or whose access is suspended):
// they can no longer sign in or act (--as), and their sessions end at
// once. Their decisions and the audit records naming them stay. Enable
// with EnableUser.
func (s *Store) DisableUser(ctx context.Context, actor Actor, name string) (User, error) {
	if actor.ID == "user:"+name {
		return User{}, lexscreen.Errorf(lexscreen.EINVALID, "%s may not disable themselves: another admin does it", actor.ID)
	}
	return s.changeUser(ctx, actor, name, "user.disabled", func(ctx context.Context, tx *sql.Tx, u *User) (any, error) {
		if u.Disabled != nil {
			return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "user %s is disabled already (since %s)", name, u.Disabled.Format(time.RFC3339))
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE name = ?`, timeText(now), name); err != nil {
			return nil, dbErr(err)
		}
		u.Disabled = &now
		ended, err := endSessionsOf(ctx, tx, name)
		return map[string]any{"sessions_ended": ended}, err
	})
}

// EnableUser lets a disabled user sign in and act again.
func (s *Store) EnableUser(ctx context.Context, actor Actor, name string) (User, error) {
	return s.changeUser(ctx, actor, name, "user.enabled", func(ctx context.Context, tx *sql.Tx, u *User) (any, error) {
		if u.Disabled == nil {
			return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "user %s is not disabled", name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = NULL WHERE name = ?`, name); err != nil {
			return nil, dbErr(err)
		}
		u.Disabled = nil
		return nil, nil
	})
}

// SetRole gives a user another role (one of audit.Roles). It applies to
// their next action, in the web interface too: sessions take the user's
// role at every use.
func (s *Store) SetRole(ctx context.Context, actor Actor, name, role string) (User, error) {
	if !hasRole(audit.Roles, role) {
		return User{}, lexscreen.Errorf(lexscreen.EINVALID, "role %q: want one of %s", role, strings.Join(audit.Roles, ", "))
	}
	return s.changeUser(ctx, actor, name, "user.role_set", func(ctx context.Context, tx *sql.Tx, u *User) (any, error) {
		if u.Role == role {
			return nil, lexscreen.Errorf(lexscreen.ECONFLICT, "user %s has role %s already", name, role)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE name = ?`, role, name); err != nil {
			return nil, dbErr(err)
		}
		from := u.Role
		u.Role = role
		return map[string]any{"from": from, "to": role}, nil
	})
}

// changeUser runs fn on a user in a write, and records action with what
// fn returns as its detail.
func (s *Store) changeUser(ctx context.Context, actor Actor, name, action string, fn func(ctx context.Context, tx *sql.Tx, u *User) (any, error)) (User, error) {
	var u User
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		var err error
		if u, _, err = readUser(ctx, tx, name); err != nil {
			return err
		}
		detail, err := fn(ctx, tx, &u)
		if err != nil {
			return err
		}
		c.act(actor, action, "user:"+name, detail)
		return nil
	})
	return u, err
}

// User returns a user.
func (s *Store) User(ctx context.Context, name string) (User, error) {
	u, _, err := s.user(ctx, name)
	return u, err
}

func (s *Store) user(ctx context.Context, name string) (User, string, error) {
	return readUser(ctx, s.db, name)
}

// readUser reads a user and its password hash through q (the store's
// pool, or a write's transaction).
func readUser(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name string) (User, string, error) {
	var u User
	var hash, created string
	var disabled sql.NullString
	err := q.QueryRowContext(ctx, `SELECT name, role, password, created, disabled FROM users WHERE name = ?`, name).
		Scan(&u.Name, &u.Role, &hash, &created, &disabled)
	if err == sql.ErrNoRows {
		return u, "", lexscreen.Errorf(lexscreen.ENOTFOUND, "no user %q (lexscreen users create)", name)
	}
	if err != nil {
		return u, "", dbErr(err)
	}
	u.HasPassword, u.Created, u.Disabled = hash != "", parseTime(created), nullTime(disabled)
	return u, hash, nil
}

// Users lists the users.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM users ORDER BY name`)
	if err != nil {
		return nil, dbErr(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, dbErr(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := []User{}
	for _, n := range names {
		u, err := s.User(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// VerifyPassword returns the user whose name and password these are;
// a wrong password, an unknown or disabled user all give the same error.
func (s *Store) VerifyPassword(ctx context.Context, name, password string) (User, error) {
	u, hash, err := s.user(ctx, name)
	bad := lexscreen.Errorf(lexscreen.EINVALID, "unknown user or wrong password")
	if lexscreen.ErrorCode(err) == lexscreen.ENOTFOUND {
		// Same time as a known user's check, at the cost hashes are made with.
		checkPassword(fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			argonMemory, argonTime, argonThreads), password)
		return User{}, bad
	}
	if err != nil {
		return User{}, err
	}
	if hash == "" || u.Disabled != nil || !checkPassword(hash, password) {
		return User{}, bad
	}
	return u, nil
}
