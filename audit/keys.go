package audit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/lexscreen/lexscreen"
)

// Roles of API keys.
const (
	RoleScreener = "screener" // screen, batch, match, search, reconcile
	RoleAnalyst  = "analyst"  // screener's rights and entities, history, lists, diff, obligations, regimes; decides alerts
	RoleApprover = "approver" // analyst's rights, and approves (or rejects) the decisions of others (four eyes)
	RoleAuditor  = "auditor"  // the audit records and the workspace, read-only; no screening
	RoleAdmin    = "admin"    // everything
)

// Roles lists the valid roles.
var Roles = []string{RoleScreener, RoleAnalyst, RoleApprover, RoleAuditor, RoleAdmin}

// Key is an API key as stored: never the secret itself, only a salted hash.
type Key struct {
	ID      string     `json:"id"`
	Role    string     `json:"role"`
	Name    string     `json:"name,omitempty"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// keyPrefix starts every key, so keys are recognisable in leaked text.
const keyPrefix = "lxs_"

func hashSecret(salt []byte, secret string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(secret))
	return h.Sum(nil)
}

// CreateKey makes a key with a role and returns it with its token, which is
// shown once and never stored.
func (d *DB) CreateKey(ctx context.Context, role, name string) (Key, string, error) {
	valid := false
	for _, r := range Roles {
		valid = valid || r == role
	}
	if !valid {
		return Key{}, "", lexscreen.Errorf(lexscreen.EINVALID, "role %q: want one of %s", role, strings.Join(Roles, ", "))
	}
	idb, secretb, salt := make([]byte, 6), make([]byte, 24), make([]byte, 16)
	for _, b := range [][]byte{idb, secretb, salt} {
		if _, err := rand.Read(b); err != nil {
			return Key{}, "", err
		}
	}
	k := Key{ID: hex.EncodeToString(idb), Role: role, Name: name, Created: time.Now().UTC().Truncate(time.Second)}
	secret := hex.EncodeToString(secretb)
	_, err := d.changeKey(ctx, k.ID, `INSERT INTO api_keys (id, role, name, salt, hash, created) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.Role, k.Name, salt, hashSecret(salt, secret), k.Created.Format(time.RFC3339))
	if err != nil {
		return Key{}, "", lexscreen.Errorf(lexscreen.EUNAVAILABLE, "keys: %v", err)
	}
	return k, keyPrefix + k.ID + "_" + secret, nil
}

// Keys lists every key, revoked ones too.
func (d *DB) Keys(ctx context.Context) ([]Key, error) {
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT id, role, name, created, revoked FROM api_keys ORDER BY created, id`))
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "keys: %v", err)
	}
	defer rows.Close()
	out := []Key{}
	for rows.Next() {
		var k Key
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&k.ID, &k.Role, &k.Name, &created, &revoked); err != nil {
			return nil, err
		}
		k.Created, _ = time.Parse(time.RFC3339, created)
		if revoked.Valid {
			t, _ := time.Parse(time.RFC3339, revoked.String)
			k.Revoked = &t
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes a key; it stops working at once in this process. A
// server in another process refuses it within its key cache lifetime
// (keyCacheTTL, 2 s) on SQLite; on PostgreSQL every server is told at
// once (NOTIFY) and drops its cache, the 2 s staying the bound should the
// notification be lost.
func (d *DB) RevokeKey(ctx context.Context, id string) error {
	id = strings.TrimPrefix(id, keyPrefix)
	if i := strings.IndexByte(id, '_'); i >= 0 {
		id = id[:i]
	}
	n, err := d.changeKey(ctx, id, `UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL`, time.Now().UTC().Format(time.RFC3339), id)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "keys: %v", err)
	}
	if n == 0 {
		return lexscreen.Errorf(lexscreen.ENOTFOUND, "no active key %q", id)
	}
	d.keys.clear()
	return nil
}

// changeKey runs a statement changing the key id and returns the rows it
// changed; on PostgreSQL, in the same transaction, it announces the change
// to every server sharing the database (keysChannel), which drop their
// key caches when it commits.
func (d *DB) changeKey(ctx context.Context, id, query string, args ...any) (int64, error) {
	if d.pg == nil {
		res, err := d.db.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, d.q(query), args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return n, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, keysChannel, id); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// keyCache remembers recent authentications so a busy server does not read
// the database for every request.
type keyCache struct {
	mu  sync.Mutex
	m   map[string]cachedKey
	ttl time.Duration // keyCacheTTL; longer in a test of the notifications
	// gen counts the clears: an answer read from the database while the
	// cache was cleared is not cached (it may predate the change).
	gen uint64
	// reads lets the requests with a token that is being checked in the
	// database wait for that check instead of reading too (a client's
	// hundreds of connections all start at once, and every keyCacheTTL the
	// token's entry ends under all of them); keyed by gen and token, so
	// that no one waits for a check begun before a clear.
	reads singleflight.Group
	// misses counts the checks in the database.
	misses atomic.Int64
}

type cachedKey struct {
	key     Key
	ok      bool
	expires time.Time
}

func (c *keyCache) init() { c.m, c.ttl = map[string]cachedKey{}, keyCacheTTL }

func (c *keyCache) clear() {
	c.mu.Lock()
	c.m = map[string]cachedKey{}
	c.gen++
	c.mu.Unlock()
}

// keyCacheTTL bounds how long a revoked key may go on working in a server.
const keyCacheTTL = 2 * time.Second

// Authenticate returns the active key a token belongs to. Unknown, malformed
// and revoked tokens give ok=false.
func (d *DB) Authenticate(ctx context.Context, token string) (Key, bool, error) {
	now := time.Now()
	d.keys.mu.Lock()
	if c, found := d.keys.m[token]; found && now.Before(c.expires) {
		d.keys.mu.Unlock()
		return c.key, c.ok, nil
	}
	gen := d.keys.gen
	d.keys.mu.Unlock()
	// The check is shared: it does not end with the context of the request
	// that began it.
	// The answer is kept before the check ends, and a check looks in the
	// cache again first, so that no request checks the token again for
	// having come between the two.
	v, err, _ := d.keys.reads.Do(strconv.FormatUint(gen, 10)+" "+token, func() (any, error) {
		// A check that ended between this request's look in the cache and
		// here has kept its answer: no need to check again.
		d.keys.mu.Lock()
		if c, found := d.keys.m[token]; found && now.Before(c.expires) && d.keys.gen == gen {
			d.keys.mu.Unlock()
			return c, nil
		}
		d.keys.mu.Unlock()
		d.keys.misses.Add(1)
		k, ok, err := d.authenticate(context.WithoutCancel(ctx), token)
		if err != nil {
			return nil, err
		}
		c := cachedKey{key: k, ok: ok, expires: now.Add(d.keys.ttl)}
		d.keys.mu.Lock()
		defer d.keys.mu.Unlock()
		if len(d.keys.m) > 10000 {
			d.keys.m = map[string]cachedKey{}
		}
		if d.keys.gen == gen {
			d.keys.m[token] = c
		}
		return c, nil
	})
	if err != nil {
		return Key{}, false, err
	}
	c := v.(cachedKey)
	return c.key, c.ok, nil
}

func (d *DB) authenticate(ctx context.Context, token string) (Key, bool, error) {
	rest, found := strings.CutPrefix(token, keyPrefix)
	if !found {
		return Key{}, false, nil
	}
	id, secret, found := strings.Cut(rest, "_")
	if !found || id == "" || secret == "" {
		return Key{}, false, nil
	}
	var k Key
	var salt, hash []byte
	var created string
	var revoked sql.NullString
	err := d.db.QueryRowContext(ctx, d.q(`SELECT id, role, name, salt, hash, created, revoked FROM api_keys WHERE id = ?`), id).
		Scan(&k.ID, &k.Role, &k.Name, &salt, &hash, &created, &revoked)
	if err == sql.ErrNoRows {
		return Key{}, false, nil
	}
	if err != nil {
		return Key{}, false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "keys: %v", err)
	}
	if subtle.ConstantTimeCompare(hashSecret(salt, secret), hash) != 1 || revoked.Valid {
		return Key{}, false, nil
	}
	k.Created, _ = time.Parse(time.RFC3339, created)
	return k, true, nil
}
