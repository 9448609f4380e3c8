package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/internal/lowprio"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/store/postgres"
	"github.com/lexscreen/lexscreen/store/sqlite"
	"github.com/lexscreen/lexscreen/workspace"
)

// Version is the engine version, set at build time with -ldflags "-X main.Version=...".
var Version = "0.1.0-dev"

// Exit codes. They are part of the CLI contract (see README).
const (
	exitOK          = 0
	exitInternal    = 1 // a bug or an unexpected failure
	exitInvalid     = 2 // bad input: flags, arguments, a malformed list file
	exitNotFound    = 3 // an entity, source or snapshot that does not exist
	exitConflict    = 4 // refused to protect data (a list that shrank by more than 20%, an audit log cut since its last checkpoint)
	exitUnavailable = 5 // a publisher or the store could not be reached
	exitMatch       = 6 // screen --fail-on-match: something matched
	exitPartial     = 7 // batch completed, but some rows could not be screened (error lines)
	exitWarnings    = 8 // --strict: the work was done, but with warnings (stale or missing lists, unreadable fields)
)

// app is the state shared by all commands of one invocation.
type app struct {
	ctx     context.Context
	in      io.Reader
	out     io.Writer
	errOut  io.Writer
	dataDir string
	// storeURL is --store: a postgres:// URL or a SQLite file; "" is
	// $LEXSCREEN_STORE, else lexscreen.db in the data directory.
	storeURL string
	json     bool
	quiet    bool
	// maxListAge is --max-list-age (negative: no age check); strict is
	// --strict: warnings make the exit code exitWarnings.
	maxListAge time.Duration
	strict     bool
	// bundled is what ensureLists found and did, once per invocation.
	bundled    []ingest.BundledState
	bundledErr error
	db         store.Store
	auditDB    *audit.DB
	ws         *workspace.Store
	as         string // --as: who acts in the workspace
	// The audit log's signed checkpoints (serve; audit verify reads them).
	auditKey, auditCheckpoints string
	auditSync                  string // serve's --audit-sync: "full" or "normal" ("": full)
	signCheckpoints            bool
	checkpointEvery            int64
	checkpointInterval         time.Duration
	checkpointPublished        func(note []byte, err error)
	// witness receives the signed checkpoints (serve --audit-witness).
	witness *audit.Witness

	cpuProfile string
	// background: --background, the process runs at the lowest CPU
	// priority; backgroundNote says why it could not, if so.
	background     bool
	backgroundNote string
	stopProfile    func()
}

// run runs lexscreen with args (without the program name), reading stdin
// from in and writing to out and errOut, and returns the exit code. It
// never exits the process and keeps no state between calls (the tests run
// it many times in one process).
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	a := &app{ctx: ctx, in: in, out: out, errOut: errOut, maxListAge: screening.DefaultMaxListAge}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	err := root.ExecuteContext(ctx)
	if a.stopProfile != nil {
		a.stopProfile()
	}
	if a.ws != nil {
		a.ws.Close()
	}
	if a.auditDB != nil {
		a.auditDB.Close() // signs the last checkpoint
	}
	if a.witness != nil {
		wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		a.witness.Close(wctx)
		cancel()
	}
	if a.db != nil {
		a.db.Close()
	}
	if err == nil {
		return exitOK
	}
	return a.reportError(err)
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lexscreen",
		Short: "Screen names against sanctions and watch lists, and keep every version of those lists",
		Long: `lexscreen screens people, organisations, vessels and aircraft against official sanctions
and watch lists (OFAC, UN, EU, UK, Canada, US trade lists, OpenSanctions datasets, your own lists),
says what the law requires of an operator on a date when a name matches (block, freeze, report,
do not comply, notify, arrest and surrender, risk only, no legal effect; with citations), and keeps
every version of each list it imports, so any past state can be shown and compared.

It works offline from the first run: real lists (OFAC SDN and Consolidated, UN, EU, UK OFSI) and
lexscreen's ICC arrest-warrant and Russian-case lists are bundled in the binary and loaded into the
data directory the first time they are needed.

Start with: lexscreen screen --operator eu-bank "Karim Khan"

Data directory: --data-dir, else $LEXSCREEN_DATA, else $XDG_DATA_HOME/lexscreen
(~/.local/share/lexscreen). The lists are stored there (lexscreen.db), unless --store (or
$LEXSCREEN_STORE) names a PostgreSQL database, postgres://user@host:5432/lexscreen, which
several servers share (docs/OPERATIONS.md), and then the audit log and API keys are kept there
too; the workspace stays in the data directory.

Every command makes sure the bundled lists are all in the data directory, whatever else was
imported: one that is missing (a first run that was interrupted, a new lexscreen version) is
loaded, unless a snapshot of that list published on or after it was imported.

Screenings and ` + "`lists`" + ` warn (on stderr, and in the JSON result's "warnings") when no official
list is in use, or when an official list is older than --max-list-age (default ` + fmt.Sprint(int(screening.DefaultMaxListAge.Hours()/24)) + ` days; the
bundled EU and UK files are from January 2024). With --strict, any warning makes the exit code 8.

Exit codes: 0 ok, 1 internal error, 2 invalid input, 3 not found, 4 refused to protect data
(e.g. a list that shrank by more than 20%; use --force), 5 a publisher or the store was unavailable,
6 screen --fail-on-match found a match, 8 --strict and the result carries warnings (a list older
than --max-list-age, no official list, a field that could not be read).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.PersistentFlags().StringVar(&a.dataDir, "data-dir", "", "directory holding the list store (default $LEXSCREEN_DATA or ~/.local/share/lexscreen)")
	root.PersistentFlags().StringVar(&a.storeURL, "store", "", "the list store: a PostgreSQL URL (postgres://user@host/db, shared by several servers) or a SQLite file (default $LEXSCREEN_STORE, else lexscreen.db in the data directory)")
	root.PersistentFlags().BoolVar(&a.json, "json", false, "print machine-readable JSON (errors too)")
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "no progress bars or notes on stderr")
	root.PersistentFlags().Var(maxAgeFlag{&a.maxListAge}, "max-list-age", "warn when an official list in use was published longer ago than this: days (180, 400d), weeks (26w); 0: never ($LEXSCREEN_MAX_LIST_AGE)")
	root.PersistentFlags().BoolVar(&a.strict, "strict", false, "exit with code 8 when a result (or the lists command) carries warnings: stale or missing lists, unreadable fields")
	root.PersistentFlags().BoolVar(&a.background, "background", false, "run at the lowest CPU and I/O priority (nice 19, I/O class idle; Linux), beside a server answering screenings: an import, update, index or batch then takes only the CPU the server leaves")
	root.PersistentFlags().StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file")
	root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if f := cmd.Flags().Lookup("max-list-age"); f != nil && !f.Changed {
			if v := os.Getenv("LEXSCREEN_MAX_LIST_AGE"); v != "" {
				if err := f.Value.Set(v); err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "LEXSCREEN_MAX_LIST_AGE=%q: %v", v, err)
				}
			}
		}
		if a.background {
			if err := lowprio.Lower(); err != nil {
				a.backgroundNote = err.Error() + ": running at normal priority"
				a.note("%s", a.backgroundNote)
			}
		}
		if a.cpuProfile == "" {
			return nil
		}
		f, err := os.Create(a.cpuProfile)
		if err != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "--cpuprofile: %v", err)
		}
		a.stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return pprof.StartCPUProfile(f)
	}
	root.AddCommand(a.importCommand(), a.listsCommand(), a.diffCommand(), a.historyCommand(),
		a.updateCommand(), a.formatsCommand(), a.entityCommand(), a.screenCommand(), a.batchCommand(), a.scorePairsCommand(),
		a.regimesCommand(), a.obligationsCommand(), a.serveCommand(), a.monitorCommand(), a.keysCommand(), a.auditCommand(),
		a.subjectsCommand(), a.alertsCommand(), a.usersCommand(), a.exportCommand(), a.screenPaymentCommand(),
		a.workerCommand(), a.indexCommand())
	return root
}

// dataPath resolves the data directory.
func (a *app) dataPath() (string, error) {
	if a.dataDir != "" {
		return a.dataDir, nil
	}
	if d := os.Getenv("LEXSCREEN_DATA"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "lexscreen"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", lexscreen.Errorf(lexscreen.EINVALID, "cannot find a home directory for the data; set --data-dir or LEXSCREEN_DATA")
	}
	return filepath.Join(home, ".local", "share", "lexscreen"), nil
}

// store opens the list store once per invocation: --store, else
// $LEXSCREEN_STORE, else lexscreen.db in the data directory.
func (a *app) store() (store.Store, error) {
	if a.db != nil {
		return a.db, nil
	}
	loc := cmp.Or(a.storeURL, os.Getenv("LEXSCREEN_STORE"))
	switch {
	case postgres.IsDSN(loc):
		db, err := postgres.Open(a.ctx, loc)
		if err != nil {
			return nil, err
		}
		a.db = db
		return db, nil
	case strings.Contains(loc, "://"):
		return nil, lexscreen.Errorf(lexscreen.EINVALID,
			"--store %s: not a store lexscreen knows; give a postgres:// URL or the path of a SQLite file", postgres.Redact(loc))
	case loc != "":
		if err := os.MkdirAll(filepath.Dir(loc), 0o700); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "cannot create the directory of --store %s: %v", loc, err)
		}
		db, err := sqlite.Open(a.ctx, loc)
		if err != nil {
			return nil, err
		}
		a.db = db
		return db, nil
	}
	dir, err := a.dataPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "cannot create the data directory %s: %v", dir, err)
	}
	db, err := sqlite.Open(a.ctx, filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		return nil, err
	}
	a.db = db
	return db, nil
}

// note prints a line for humans on stderr, unless --quiet or --json.
func (a *app) note(format string, args ...any) {
	if a.quiet || a.json {
		return
	}
	fmt.Fprintf(a.errOut, format+"\n", args...)
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// reportError prints err for users (as JSON with --json) and returns the exit code.
func (a *app) reportError(err error) int {
	var se silentError
	reported := errors.As(err, &se)
	var le *lexscreen.Error
	if !errors.As(err, &le) {
		le = &lexscreen.Error{Code: lexscreen.EINTERNAL, Message: err.Error()}
		if errors.Is(err, context.Canceled) {
			le.Message = "interrupted; nothing was changed by the unfinished step"
		} else if isUsageError(err) {
			le.Code = lexscreen.EINVALID
		}
	}
	switch {
	case reported: // the command printed it already
	case a.json:
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"error": le})
	default:
		fmt.Fprintf(a.errOut, "lexscreen: %s\n", le.Error())
	}
	switch le.Code {
	case lexscreen.EINVALID:
		return exitInvalid
	case lexscreen.ENOTFOUND:
		return exitNotFound
	case lexscreen.ECONFLICT:
		return exitConflict
	case lexscreen.EUNAVAILABLE:
		return exitUnavailable
	case exitMatchCode:
		return exitMatch
	case exitPartialCode:
		return exitPartial
	case exitWarningsCode:
		return exitWarnings
	}
	return exitInternal
}

// maxAgeFlag is --max-list-age: a number of days (see screening.ParseMaxAge).
type maxAgeFlag struct{ d *time.Duration }

func (f maxAgeFlag) String() string {
	if f.d == nil {
		return ""
	}
	if *f.d < 0 {
		return "0"
	}
	return fmt.Sprintf("%dd", int(*f.d/(24*time.Hour)))
}

func (f maxAgeFlag) Set(s string) error {
	d, err := screening.ParseMaxAge(s)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

func (f maxAgeFlag) Type() string { return "days" }

// exitWarningsCode is the error code that maps to exit code 8.
const exitWarningsCode = "warnings"

// strictCheck returns, under --strict, an error that makes the exit code 8
// when n warnings were given (already reported); else nil.
func (a *app) strictCheck(n int) error {
	if !a.strict || n == 0 {
		return nil
	}
	return silentError{lexscreen.Errorf(exitWarningsCode, "%d warning(s) under --strict", n)}
}

// printWarnings says each warning on stderr (even with --quiet: they are
// not notes). With --json they are in the result and not repeated.
func (a *app) printWarnings(ws []lexscreen.Warning) {
	if a.json {
		return
	}
	for _, w := range ws {
		what := w.Field
		if w.Value != "" && !strings.Contains(w.Message, w.Value) {
			what += " " + strconv.Quote(w.Value)
		}
		fmt.Fprintf(a.errOut, "lexscreen: warning: %s: %s\n", what, w.Message)
	}
}

// isUsageError recognises cobra's errors about flags and arguments.
func isUsageError(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
