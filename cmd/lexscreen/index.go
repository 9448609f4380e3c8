package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
)

// indexReport is what `lexscreen index --json` prints.
type indexReport struct {
	File      string  `json:"file"`
	Snapshots []int64 `json:"snapshots"`
	Entities  int     `json:"entities"`
	// Built: the index was built now; false, the file was already there.
	Built   bool    `json:"built"`
	Seconds float64 `json:"seconds"`
	// Background: the build was to run at the lowest CPU and I/O priority
	// (--background); Note says why it could not, if so.
	Background bool   `json:"background"`
	Note       string `json:"note,omitempty"`
}

func (a *app) indexCommand() *cobra.Command {
	var snapshotIDs []int64
	cmd := &cobra.Command{
		Use:   "index [--snapshots ID,...] [--background]",
		Short: "Build and keep the screening index of the lists in use, for screenings and servers to map",
		Long: `Build the matcher's index of the lists in use (or of the snapshots given) and keep it in the
index directory beside the store (<data-dir>/index; for a PostgreSQL store, the user's cache
directory), as any screening does when it finds none. A later screening, batch or server that
uses the same snapshots with this lexscreen build maps the file instead of building it: a
fraction of a second against a few seconds for the bundled lists.

lexscreen serve runs it by itself, with --snapshots and --background, when an import or update
in another process changes the lists in use: the index is built in this separate process at the
lowest CPU and I/O priority (nice 19, I/O class idle), so that the server's answers keep the
cores and its heap stays small, then the server maps the file. With --background the process
lowers its own priority first (Linux only; elsewhere it says so and builds at normal priority).

Prints the index file, and whether it was built now or already there.`,
		Example: `  lexscreen import sdn.csv && lexscreen index     # later screenings and batches map it, no build
  lexscreen index --json
  lexscreen index --snapshots 4,5,6,7,3,2,8 --background`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep := indexReport{Background: a.background, Note: a.backgroundNote}
			db, err := a.store()
			if err != nil {
				return err
			}
			var snaps []lexscreen.Snapshot
			if len(snapshotIDs) == 0 {
				if err := a.ensureLists(); err != nil {
					return err
				}
				if snaps, err = db.Current(a.ctx); err != nil {
					return err
				}
			}
			// Given snapshots are used as they are (a server names the
			// ones it screens on); no bundled list is loaded meanwhile.
			if len(snapshotIDs) > 0 {
				if snaps, err = store.SnapshotsByID(a.ctx, db, snapshotIDs); err != nil {
					return lexscreen.Errorf(lexscreen.ENOTFOUND, "--snapshots: %v", err)
				}
			}
			if len(snaps) == 0 {
				return lexscreen.Errorf(lexscreen.ENOTFOUND, "no lists in use: nothing to index (lexscreen import FILE)")
			}
			for _, s := range snaps {
				rep.Snapshots = append(rep.Snapshots, s.ID)
				rep.Entities += s.Entities
			}
			start := time.Now()
			bar := a.newCountBar(int64(rep.Entities), "indexing lists")
			var tick func()
			if bar != nil {
				tick = func() { bar.Add(1) }
			}
			k, err := screening.KeepIndex(a.ctx, db, snaps, Version, tick)
			if bar != nil {
				bar.Finish()
				bar.Clear()
			}
			if err != nil {
				return err
			}
			rep.Seconds = time.Since(start).Seconds()
			rep.Entities, rep.Built, rep.File = k.Entities, k.Built, k.File
			if a.json {
				return a.printJSON(rep)
			}
			how := "already there"
			if rep.Built {
				how = fmt.Sprintf("built in %.1fs", rep.Seconds)
			}
			fmt.Fprintf(a.out, "Index of %s entities from %d snapshot(s) kept in %s (%s).\n", thousands(rep.Entities), len(rep.Snapshots), rep.File, how)
			return nil
		},
	}
	cmd.Flags().Int64SliceVar(&snapshotIDs, "snapshots", nil, "index these snapshots (ids, as lexscreen lists --json shows them) rather than the lists in use")
	return cmd
}

// buildIndexElsewhere is serve's Config.BuildIndex: indexProcess, with
// what that process said besides its report (a damaged index file it
// rebuilt, a priority it could not lower) logged as a warning on log,
// rather than lost with its output.
func (a *app) buildIndexElsewhere(log *slog.Logger) func(ctx context.Context, snapshotIDs []int64) error {
	return func(ctx context.Context, snapshotIDs []int64) error {
		rep, said, err := a.indexProcess(ctx, snapshotIDs)
		if err != nil {
			return err
		}
		if rep.Note != "" || said != "" {
			log.Warn("the index process built the index, and said more", "snapshots", snapshotIDs, "note", rep.Note, "stderr", said)
		}
		return nil
	}
}

// indexProcess runs `lexscreen --background index --snapshots IDS --json`
// in another process on this process's store, and returns its report and
// what it wrote on stderr. The child gets the store by the environment
// (LEXSCREEN_STORE), where a PostgreSQL password stays out of the process
// list; it ends with ctx, and on Linux with the server. A child that ends
// well but whose report cannot be read, or names no file, has failed.
func (a *app) indexProcess(ctx context.Context, snapshotIDs []int64) (indexReport, string, error) {
	exe, err := os.Executable()
	if err != nil {
		return indexReport{}, "", err
	}
	ids := make([]string, len(snapshotIDs))
	for i, id := range snapshotIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	args := []string{"--json"}
	if a.dataDir != "" {
		args = append(args, "--data-dir", a.dataDir)
	}
	args = append(args, "--background", "index", "--snapshots", strings.Join(ids, ","))
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = os.Environ()
	if a.storeURL != "" {
		cmd.Env = append(cmd.Env, "LEXSCREEN_STORE="+a.storeURL)
	}
	cmd.SysProcAttr = childProcAttr()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return indexReport{}, "", fmt.Errorf("lexscreen index --background: %v: %s", err, lastBytes(strings.TrimSpace(out.String()+"\n"+errOut.String()), 2000))
	}
	said := strings.TrimSpace(errOut.String())
	var rep indexReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.File == "" {
		return indexReport{}, said, fmt.Errorf("lexscreen index --background ended well but its report names no index file: %s", lastBytes(out.String(), 2000))
	}
	return rep, said, nil
}

// lastBytes is the end of s, at most n bytes of it.
func lastBytes(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
