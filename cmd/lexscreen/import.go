package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/formats"
)

// parseSize reads a byte count: 4GiB, 500MiB, 300MB, 1G, 1048576.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   int64
	}{{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3}, {"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}, {"b", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "--max-size %q: want a positive size such as 4GiB, 500MiB or 1073741824", s)
	}
	return n * mult, nil
}

type importFlags struct {
	force     bool
	format    string
	published string
	version   string
	bundled   bool
	maxSize   string
}

func (a *app) importCommand() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import [FILE_OR_DIR...]",
		Short: "Import official list files as new snapshots",
		Long: `Import list files. The format of each file is detected (see ` + "`lexscreen formats`" + `); a folder is
searched recursively and files that are not lists (README, PDF, XSD) are skipped. The four OFAC CSV
files of one folder (sdn.csv, add.csv, alt.csv, sdn_comments.csv; or cons_*.csv) form one snapshot.

Each publication becomes a snapshot with its content hash and the publisher's date (from the file;
else from a folder named YYYY-MM-DD or YYYY-MM; else --published; else the file time). Importing is
atomic: a file that fails to parse, or an interruption, changes nothing. A snapshot that would lose
more than 20% of the previous snapshot's entities is refused (exit code 4) unless --force.
Importing the same content twice stores nothing new.

Hostile or corrupt files are refused before they are read far: a file may unpack to at most
--max-size (2GiB, far above the biggest real list), one XML token or CSV row may hold 1 MiB, one
record 4 MiB, one JSON line 16 MiB, and a zip 10,000 entries. Formats that are UTF-8 refuse bytes
that are not (OFAC's legacy CSV files, Windows-1252 in older copies, are decoded as such).`,
		Example: `  lexscreen import ~/Downloads/SDN.CSV ~/Downloads/ADD.CSV ~/Downloads/ALT.CSV ~/Downloads/SDN_COMMENTS.CSV
  lexscreen import ../shared/data/lists/us_ofac/sdn      # three dated SDN folders, in date order
  lexscreen import --published 2026-11-28 ./consolidated.xml
  lexscreen import --bundled                             # (re)load the lists bundled in the binary`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !f.bundled {
				return lexscreen.Errorf(lexscreen.EINVALID, "name at least one file or folder to import, or use --bundled")
			}
			if f.maxSize != "" {
				n, err := parseSize(f.maxSize)
				if err != nil {
					return err
				}
				source.SetLimits(source.Limits{MaxBytes: n})
			}
			return a.runImport(args, f)
		},
	}
	cmd.Flags().BoolVar(&f.force, "force", false, "accept a snapshot that loses more than 20% of the previous one's entities")
	cmd.Flags().StringVar(&f.format, "format", "", "skip detection and read every file with this format id")
	cmd.Flags().StringVar(&f.published, "published", "", "publisher's date YYYY-MM-DD, when the file carries none")
	cmd.Flags().StringVar(&f.version, "version", "", "version label to record (default: the publisher's date)")
	cmd.Flags().BoolVar(&f.bundled, "bundled", false, "import the lists bundled in the binary")
	cmd.Flags().StringVar(&f.maxSize, "max-size", "", "most bytes one list file may unpack to, e.g. 4GiB (default 2GiB)")
	return cmd
}

// importReport is one line of `import --json`.
type importReport struct {
	Source   string              `json:"source,omitempty"`
	Format   string              `json:"format"`
	Files    []string            `json:"files"`
	Status   string              `json:"status"` // "imported", "duplicate", "failed"
	Snapshot *lexscreen.Snapshot `json:"snapshot,omitempty"`
	Seconds  float64             `json:"seconds,omitempty"`
	Error    *lexscreen.Error    `json:"error,omitempty"`
	// Delta is what an FtM delta file did to the snapshot before it.
	Delta *ingest.DeltaResult `json:"delta,omitempty"`
}

func (a *app) runImport(paths []string, f importFlags) error {
	db, err := a.store()
	if err != nil {
		return err
	}
	opts := ingest.Options{Force: f.force, Version: f.version}
	if f.published != "" {
		d, err := lexscreen.ParseISODate(f.published)
		if err != nil || d.Precision() != "day" {
			return lexscreen.Errorf(lexscreen.EINVALID, "--published %q: want a date YYYY-MM-DD", f.published)
		}
		opts.Published = d.First()
	}
	type work struct {
		name  string
		run   func(ingest.Options) (ingest.Result, error)
		size  int64
		fmt   string
		files []string
	}
	var todo []work
	if f.bundled {
		for _, l := range bundled.Lists() {
			l := l
			todo = append(todo, work{name: l.Source + " (bundled " + l.Published + ")", fmt: l.Format, files: []string{"bundled:" + l.Dir},
				run: func(o ingest.Options) (ingest.Result, error) { o.Force = true; return ingest.Bundled(a.ctx, db, l, o) }})
		}
	}
	if len(paths) > 0 {
		jobs, err := formats.Detect(paths, f.format)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			j := j
			var size int64
			for _, p := range j.Paths() {
				if st, err := os.Stat(p); err == nil {
					size += st.Size()
				}
			}
			todo = append(todo, work{name: j.Dir, size: size, fmt: j.Format.ID, files: j.Paths(),
				run: func(o ingest.Options) (ingest.Result, error) { return ingest.Job(a.ctx, db, j, o) }})
		}
	}
	var reports []importReport
	var firstErr error
	for _, w := range todo {
		bar := a.newBar(w.size, "importing "+shortPath(w.name))
		o := opts
		if bar != nil {
			o.OnRead = func(n int) { bar.Add(n) }
		}
		res, err := w.run(o)
		if bar != nil {
			bar.Finish()
			bar.Clear()
		}
		rep := importReport{Format: w.fmt, Files: res.Files, Seconds: res.Elapsed.Seconds(), Delta: res.Delta}
		if len(rep.Files) == 0 {
			rep.Files = w.files
		}
		switch {
		case err != nil:
			if errors.Is(err, a.ctx.Err()) && a.ctx.Err() != nil {
				return err
			}
			rep.Status = "failed"
			rep.Error = asAppError(err)
			if firstErr == nil {
				firstErr = err
			}
			if !a.json {
				fmt.Fprintf(a.errOut, "lexscreen: import of %s failed, nothing imported: %s\n", strings.Join(rep.Files, ", "), rep.Error.Error())
			}
		case res.Duplicate:
			rep.Status, rep.Source, rep.Snapshot = "duplicate", res.Snapshot.Source, &res.Snapshot
			if !a.json {
				fmt.Fprintf(a.out, "%-13s %-10s already imported as snapshot %d (same content); nothing new stored\n",
					res.Snapshot.Source, res.Snapshot.Version, res.Snapshot.ID)
			}
		default:
			rep.Status, rep.Source, rep.Snapshot = "imported", res.Snapshot.Source, &res.Snapshot
			if !a.json {
				fmt.Fprintf(a.out, "%-13s %-10s imported: %s entities, %s names, snapshot %d (%s, %.1fs)\n",
					res.Snapshot.Source, res.Snapshot.Version, thousands(res.Snapshot.Entities), thousands(res.Snapshot.Names),
					res.Snapshot.ID, w.fmt, res.Elapsed.Seconds())
				if d := res.Delta; d != nil {
					fmt.Fprintf(a.out, "%-13s %-10s delta on snapshot %d: %d added, %d modified, %d deleted, %d DEL not found\n",
						"", "", d.Base, d.Added, d.Modified, d.Deleted, d.NotFound)
				}
			}
			if d := res.Delta; d != nil && len(d.Stale) > 0 {
				fmt.Fprintf(a.errOut, "lexscreen: warning: the delta changed helper records (sanctions, addresses, identifiers, links) of %d entities it does not carry; they keep their previous data until a full export is imported: %s\n",
					len(d.Stale), strings.Join(d.Stale[:min(5, len(d.Stale))], ", "))
			}
		}
		reports = append(reports, rep)
	}
	if a.json {
		if err := a.printJSON(map[string]any{"imports": reports}); err != nil {
			return err
		}
		if firstErr != nil {
			return silentError{firstErr}
		}
		return nil
	}
	if firstErr != nil {
		return silentError{firstErr}
	}
	return nil
}

// silentError carries an exit code for an error that was already reported.
type silentError struct{ err error }

func (s silentError) Error() string { return s.err.Error() }
func (s silentError) Unwrap() error { return s.err }

func asAppError(err error) *lexscreen.Error {
	var le *lexscreen.Error
	if errors.As(err, &le) {
		return le
	}
	return &lexscreen.Error{Code: lexscreen.EINTERNAL, Message: err.Error()}
}

// ensureLists makes sure every bundled list is in the store, whatever else
// was imported: each one missing (by source and content hash; see
// ingest.EnsureBundled) is loaded, unless a snapshot of its source
// published on or after it is there. It runs once per invocation; a list
// that fails to load is an error, after the others were loaded.
func (a *app) ensureLists() error {
	if a.bundled != nil || a.bundledErr != nil {
		return a.bundledErr
	}
	db, err := a.store()
	if err != nil {
		return err
	}
	start := time.Now()
	loads := 0
	states, err := ingest.EnsureBundled(a.ctx, db, func(todo []ingest.BundledState) {
		if loads == 0 {
			var names []string
			for _, st := range todo {
				names = append(names, st.Source)
			}
			a.note("Loading %d bundled list(s) missing from %s: %s ...", len(todo), a.dataDirShown(), strings.Join(names, ", "))
		}
		loads++
	})
	if err != nil && a.ctx.Err() != nil {
		return err
	}
	a.bundled, a.bundledErr = states, err
	if loads > 0 && err == nil {
		a.note("Loaded %d bundled list(s) in %.1fs.", loads, time.Since(start).Seconds())
	}
	return err
}

func (a *app) dataDirShown() string {
	d, _ := a.dataPath()
	return d
}
