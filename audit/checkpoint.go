package audit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

// Signed checkpoints, after the transparency logs (Certificate
// Transparency, Trillian, sigsum): now and then the writer signs the
// chain's size (the number of records) and head hash with an ed25519 key
// kept outside the database, and appends the signed checkpoint to a file
// the database writer never rewrites. A checkpoint proves that the first
// size records were exactly those: removing the tail, altering a record or
// recomputing the chain (its hash is unkeyed) leaves a chain that no
// longer ends, at that size, in the signed hash.
//
// Formats follow C2SP: a checkpoint is a signed note (c2sp.org/signed-note)
// whose text is a tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree
// size, base64 hash, one per line. The hash is the SHA-256 head of the
// hash chain, not an RFC 6962 Merkle root, so generic log monitors can
// read the checkpoints but not build proofs from them. Keys use the
// signed-note (golang.org/x/mod/sumdb/note) encodings:
//
//	private: PRIVATE+KEY+<name>+<key id, 8 hex>+<base64(0x01 || 32-byte seed)>
//	public:  <name>+<key id, 8 hex>+<base64(0x01 || 32-byte public key)>
//
// with key id = SHA-256(name || 0x0A || 0x01 || public key)[:4]. The key
// name is the log's origin.

const algEd25519 = 0x01

// Signer signs checkpoints; Verifier checks them.
type Signer struct {
	name string
	id   uint32
	key  ed25519.PrivateKey
}

// Verifier checks the checkpoints of one log (its public key and origin).
type Verifier struct {
	name string
	id   uint32
	key  ed25519.PublicKey
}

func keyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', algEd25519})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func validKeyName(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '+' || r < 0x20 })
}

// Origin is the log's name, the first line of its checkpoints.
func (s *Signer) Origin() string { return s.name }

// Verifier is the public half of s.
func (s *Signer) Verifier() *Verifier {
	return &Verifier{name: s.name, id: s.id, key: s.key.Public().(ed25519.PublicKey)}
}

// String is the private key's encoding (secret!).
func (s *Signer) String() string {
	return fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", s.name, s.id,
		base64.StdEncoding.EncodeToString(append([]byte{algEd25519}, s.key.Seed()...)))
}

// String is the public key's encoding, to give to whoever verifies.
func (v *Verifier) String() string {
	return fmt.Sprintf("%s+%08x+%s", v.name, v.id, base64.StdEncoding.EncodeToString(append([]byte{algEd25519}, v.key...)))
}

// Origin is the log's name the verifier expects.
func (v *Verifier) Origin() string { return v.name }

// NewSigner makes a new key for a log named origin.
func NewSigner(origin string) (*Signer, error) {
	if !validKeyName(origin) {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "log origin %q: want no spaces or +", origin)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &Signer{name: origin, id: keyID(origin, key.Public().(ed25519.PublicKey)), key: key}, nil
}

// ParseSigner reads a private key encoding.
func ParseSigner(s string) (*Signer, error) {
	parts := strings.SplitN(strings.TrimSpace(s), "+", 5) // base64 may hold +
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, errors.New("not a signed-note private key (PRIVATE+KEY+name+id+key)")
	}
	name, idHex, enc := parts[2], parts[3], parts[4]
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b) != 1+ed25519.SeedSize || b[0] != algEd25519 || !validKeyName(name) {
		return nil, errors.New("malformed ed25519 private key")
	}
	key := ed25519.NewKeyFromSeed(b[1:])
	sg := &Signer{name: name, id: keyID(name, key.Public().(ed25519.PublicKey)), key: key}
	if fmt.Sprintf("%08x", sg.id) != idHex {
		return nil, errors.New("the key id does not match the key")
	}
	return sg, nil
}

// ParseVerifier reads a public key encoding.
func ParseVerifier(s string) (*Verifier, error) {
	parts := strings.SplitN(strings.TrimSpace(s), "+", 3) // base64 may hold +
	if len(parts) != 3 {
		return nil, errors.New("not a signed-note public key (name+id+key)")
	}
	name, idHex, enc := parts[0], parts[1], parts[2]
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b) != 1+ed25519.PublicKeySize || b[0] != algEd25519 || !validKeyName(name) {
		return nil, errors.New("malformed ed25519 public key")
	}
	v := &Verifier{name: name, key: ed25519.PublicKey(b[1:])}
	v.id = keyID(name, v.key)
	if fmt.Sprintf("%08x", v.id) != idHex {
		return nil, errors.New("the key id does not match the key")
	}
	return v, nil
}

// LoadOrCreateSigner reads the private key at path, or creates one there
// (file 0600, directory 0700 when created; created says so) for a log
// named origin (default: lexscreen.local/audit/ and 8 random hex digits).
func LoadOrCreateSigner(path, origin string) (s *Signer, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, false, lexscreen.Errorf(lexscreen.EINVALID, "audit key %s: readable by others (mode %04o); chmod 600 it", path, fi.Mode().Perm())
		}
		s, err := ParseSigner(string(b))
		if err != nil {
			return nil, false, lexscreen.Errorf(lexscreen.EINVALID, "audit key %s: %v", path, err)
		}
		return s, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit key %s: %v", path, err)
	}
	if origin == "" {
		r := make([]byte, 4)
		rand.Read(r)
		origin = "lexscreen.local/audit/" + hex.EncodeToString(r)
	}
	if s, err = NewSigner(origin); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit key %s: %v", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit key %s: %v", path, err)
	}
	_, err = fmt.Fprintln(f, s.String())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, false, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit key %s: %v", path, err)
	}
	return s, true, nil
}

// Checkpoint is a signed statement that the log named Origin had Size
// records, the last with hash Hash (hex).
type Checkpoint struct {
	Origin string `json:"origin"`
	Size   int64  `json:"size"`
	Hash   string `json:"hash"`
}

// Sign returns the checkpoint as a signed note.
func (s *Signer) Sign(size int64, hash string) ([]byte, error) {
	h, err := hex.DecodeString(hash)
	if err != nil || len(h) != sha256.Size {
		return nil, fmt.Errorf("chain hash %q is not a SHA-256 hash", hash)
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", s.name, size, base64.StdEncoding.EncodeToString(h))
	sig := make([]byte, 4, 4+ed25519.SignatureSize)
	binary.BigEndian.PutUint32(sig, s.id)
	sig = append(sig, ed25519.Sign(s.key, []byte(text))...)
	return []byte(text + "\n— " + s.name + " " + base64.StdEncoding.EncodeToString(sig) + "\n"), nil
}

// maxNote bounds one note in a checkpoints file.
const maxNote = 16 << 10

// Open checks a signed note and returns the checkpoint it states. The
// note must carry a valid signature of v's key; signatures of other keys
// are ignored, as the signed-note specification says (witnesses).
func (v *Verifier) Open(note []byte) (Checkpoint, error) {
	if len(note) > maxNote {
		return Checkpoint{}, errors.New("note too long")
	}
	i := bytes.LastIndex(note, []byte("\n\n"))
	if i < 0 {
		return Checkpoint{}, errors.New("no signature")
	}
	text, sigs := note[:i+1], note[i+2:]
	verified := false
	for _, line := range strings.Split(strings.TrimSuffix(string(sigs), "\n"), "\n") {
		rest, ok := strings.CutPrefix(line, "— ")
		name, enc, ok2 := strings.Cut(rest, " ")
		if !ok || !ok2 {
			return Checkpoint{}, fmt.Errorf("malformed signature line %q", line)
		}
		sig, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(sig) < 4 {
			return Checkpoint{}, fmt.Errorf("malformed signature line %q", line)
		}
		if name != v.name || binary.BigEndian.Uint32(sig) != v.id {
			continue // another key's signature (a witness)
		}
		if !ed25519.Verify(v.key, text, sig[4:]) {
			return Checkpoint{}, errors.New("the signature does not verify: the checkpoint was altered or forged")
		}
		verified = true
	}
	if !verified {
		return Checkpoint{}, fmt.Errorf("not signed by the key %s", v.name)
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, errors.New("a checkpoint has at least 3 lines")
	}
	if lines[0] != v.name {
		return Checkpoint{}, fmt.Errorf("origin %q, want %q", lines[0], v.name)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("tree size %q", lines[1])
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != sha256.Size {
		return Checkpoint{}, fmt.Errorf("root hash %q", lines[2])
	}
	return Checkpoint{Origin: lines[0], Size: size, Hash: hex.EncodeToString(h)}, nil
}

// ReadCheckpoints reads a checkpoints file (signed notes, each followed by
// a blank line) and returns the checkpoints that verify with v, in file
// order, and a line for each note that does not (bad says what and where).
func ReadCheckpoints(r io.Reader, v *Verifier) (cps []Checkpoint, bad []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxNote)
	var note []byte
	start, lineNo, inSigs := 0, 0, false
	flush := func() {
		if len(note) == 0 {
			return
		}
		cp, err := v.Open(note)
		if err != nil {
			bad = append(bad, fmt.Sprintf("checkpoint at line %d: %v", start, err))
		} else {
			cps = append(cps, cp)
		}
		note, inSigs = note[:0], false
	}
	for sc.Scan() {
		lineNo++
		line := sc.Bytes()
		switch {
		case len(line) == 0 && inSigs:
			flush()
		case len(line) == 0 && len(note) > 0:
			note = append(note, '\n') // the blank line before the signatures
			inSigs = true
		case len(line) == 0:
		default:
			if len(note) == 0 {
				start = lineNo
			}
			if len(note)+len(line) > maxNote {
				bad = append(bad, fmt.Sprintf("checkpoint at line %d: note too long", start))
				note, inSigs = note[:0], false
				continue
			}
			note = append(note, line...)
			note = append(note, '\n')
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return cps, bad, fmt.Errorf("line %d: %v", lineNo+1, err)
	}
	return cps, bad, nil
}

// CheckpointOptions say when and where a DB publishes signed checkpoints.
type CheckpointOptions struct {
	// Signer signs the checkpoints; none are made without it.
	Signer *Signer
	// File is where checkpoints are appended (opened O_APPEND; the writer
	// never rewrites it). Required with a Signer.
	File string
	// Every: a checkpoint once this many records were added since the last
	// (default 1000); Interval: at least this often while records are added
	// (default 10 s). One is also made when the DB is closed.
	Every    int64
	Interval time.Duration
	// Published, if set, is called with each checkpoint written (to copy
	// it elsewhere: a log, a witness) or the error that kept it from the file.
	Published func(note []byte, err error)
}

// checkpointer signs and publishes checkpoints off the writer's goroutine.
type checkpointer struct {
	o     CheckpointOptions
	file  *os.File
	nudge chan struct{}
	stop  chan struct{}
	done  chan struct{}

	mu         sync.Mutex
	head       Checkpoint // the last committed state
	signedSize int64      // the size of the last checkpoint written
	signedHash string
}

func (d *DB) startCheckpoints(ctx context.Context, o CheckpointOptions) error {
	if o.File == "" {
		return lexscreen.Errorf(lexscreen.EINVALID, "audit checkpoints: no file to write them to")
	}
	if o.Every <= 0 {
		o.Every = 1000
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Second
	}
	if err := os.MkdirAll(filepath.Dir(o.File), 0o700); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit checkpoints %s: %v", o.File, err)
	}
	f, err := os.OpenFile(o.File, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit checkpoints %s: %v", o.File, err)
	}
	c := &checkpointer{o: o, file: f, nudge: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	var last int64
	var hash string
	switch err := d.db.QueryRowContext(ctx, d.q(`SELECT last_id, hash FROM chain_head WHERE one = 1`)).Scan(&last, &hash); err {
	case nil, sql.ErrNoRows:
	default:
		f.Close()
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	if err := d.matchesLastCheckpoint(ctx, o, last, hash); err != nil {
		f.Close()
		return err
	}
	// What is in the database at start is not signed again until records
	// are added: a state changed while no lexscreen ran is not vouched for.
	c.head = Checkpoint{Origin: o.Signer.name, Size: last, Hash: hash}
	c.signedSize, c.signedHash = last, hash
	d.cp = c
	go c.run()
	return nil
}

// committed tells the checkpointer the chain's new head (writer only).
func (c *checkpointer) committed(r *appendReq) {
	last := r.recs[len(r.recs)-1]
	c.mu.Lock()
	c.head.Size, c.head.Hash = last.ID, last.Hash
	due := c.head.Size-c.signedSize >= c.o.Every
	c.mu.Unlock()
	if due {
		select {
		case c.nudge <- struct{}{}:
		default:
		}
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(c.o.Interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-c.nudge:
		case <-t.C:
		}
		c.publish()
	}
}

// publish signs and appends the last committed state if it is new.
func (c *checkpointer) publish() error {
	c.mu.Lock()
	head := c.head
	c.mu.Unlock()
	if head.Size == 0 || head.Size == c.signedSize && head.Hash == c.signedHash {
		return nil
	}
	note, err := c.o.Signer.Sign(head.Size, head.Hash)
	if err == nil {
		if _, err = c.file.Write(append(note, '\n')); err == nil {
			err = c.file.Sync()
		}
	}
	if err != nil {
		err = lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit checkpoint %s: %v", c.o.File, err)
	} else {
		c.mu.Lock()
		c.signedSize, c.signedHash = head.Size, head.Hash
		c.mu.Unlock()
	}
	if c.o.Published != nil {
		c.o.Published(note, err)
	}
	return err
}

// close makes the last checkpoint (the writer has stopped) and closes the file.
func (c *checkpointer) close(d *DB) error {
	close(c.stop)
	<-c.done
	err := c.publish()
	if cerr := c.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// matchesLastCheckpoint refuses to go on appending to a chain that no
// longer extends the last checkpoint signed into o.File: records cut from
// the tail, or a chain recomputed, while no lexscreen ran. It reads one
// record, so a start stays fast whatever the size of the log; `audit
// verify --checkpoint` is the full check.
func (d *DB) matchesLastCheckpoint(ctx context.Context, o CheckpointOptions, last int64, head string) error {
	f, err := os.Open(o.File)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit checkpoints %s: %v", o.File, err)
	}
	defer f.Close()
	cps, _, err := ReadCheckpoints(f, o.Signer.Verifier())
	if err != nil {
		return lexscreen.Errorf(lexscreen.EINVALID, "audit checkpoints %s: %v", o.File, err)
	}
	if len(cps) == 0 {
		return nil
	}
	cp := cps[len(cps)-1]
	goOn := "start with another --data-dir (or move audit.db aside)"
	if d.pg != nil {
		goOn = "use another PostgreSQL database (--store), or start this replica with another --audit-checkpoints file once the log is accounted for"
	}
	refuse := func(what string) error {
		return lexscreen.Errorf(lexscreen.ECONFLICT, "audit log %s does not extend its last signed checkpoint (%d records, head %.16s… in %s): %s. "+
			"Records were removed or rewritten while no lexscreen ran. Nothing was added. Run `lexscreen audit verify --checkpoint %s` for the details; "+
			"keep this database as evidence and %s to go on",
			d.path, cp.Size, cp.Hash, o.File, what, o.File, goOn)
	}
	if last < cp.Size {
		return refuse(fmt.Sprintf("the log now ends at record %d", last))
	}
	var h string
	switch err := d.db.QueryRowContext(ctx, d.q(`SELECT hash FROM records WHERE id = ?`), cp.Size).Scan(&h); err {
	case nil:
	case sql.ErrNoRows:
		return refuse(fmt.Sprintf("record %d is missing", cp.Size))
	default:
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: %v", err)
	}
	if h != cp.Hash {
		return refuse(fmt.Sprintf("record %d now hashes to %.16s…", cp.Size, h))
	}
	if last == cp.Size && head != cp.Hash {
		return refuse(fmt.Sprintf("the chain head says %.16s…", head))
	}
	return nil
}
