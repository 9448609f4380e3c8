package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/workspace"
)

// workspace opens <data-dir>/workspace.db (or, with --store postgres://…,
// the workspace in that database) once per invocation, with the audit log
// its actions are recorded in.
func (a *app) workspace() (*workspace.Store, error) {
	if a.ws != nil {
		return a.ws, nil
	}
	adb, err := a.audit()
	if err != nil {
		return nil, err
	}
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	opts := workspace.Options{Audit: adb, Listings: db}
	var ws *workspace.Store
	if dsn := a.sharedDSN(); dsn != "" {
		ws, err = workspace.OpenPostgres(a.ctx, dsn, opts)
	} else {
		var dir string
		if dir, err = a.dataPath(); err != nil {
			return nil, err
		}
		ws, err = workspace.Open(a.ctx, filepath.Join(dir, "workspace.db"), opts)
	}
	if err != nil {
		return nil, err
	}
	a.ws = ws
	return ws, nil
}

// asFlag registers --as on a command of the workspace.
func (a *app) asFlag(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&a.as, "as", "", "who acts: a user (lexscreen users create) or an API key (lxs_...); default $LEXSCREEN_AS")
}

// actor resolves --as: an API key is authenticated, a user must exist
// and be enabled. Nobody acts anonymously in the workspace.
func (a *app) actor() (workspace.Actor, error) {
	who := a.as
	if who == "" {
		who = os.Getenv("LEXSCREEN_AS")
	}
	if who == "" {
		return workspace.Actor{}, lexscreen.Errorf(lexscreen.EINVALID, "say who acts: --as USER (lexscreen users create) or --as KEY (an API key), or set LEXSCREEN_AS")
	}
	if strings.HasPrefix(who, "lxs_") {
		adb, err := a.audit()
		if err != nil {
			return workspace.Actor{}, err
		}
		k, ok, err := adb.Authenticate(a.ctx, who)
		if err != nil {
			return workspace.Actor{}, err
		}
		if !ok {
			return workspace.Actor{}, lexscreen.Errorf(lexscreen.EINVALID, "--as: unknown or revoked API key")
		}
		return workspace.Actor{ID: "key:" + k.ID, Role: k.Role}, nil
	}
	ws, err := a.workspace()
	if err != nil {
		return workspace.Actor{}, err
	}
	u, err := ws.User(a.ctx, strings.TrimPrefix(who, "user:"))
	if err != nil {
		return workspace.Actor{}, err
	}
	if u.Disabled != nil {
		return workspace.Actor{}, lexscreen.Errorf(lexscreen.EINVALID, "--as: user %s is disabled", u.Name)
	}
	return u.Actor(), nil
}

// screenSubjects screens subjects on the current lists (each for its
// operator) and opens alerts for their matches; subjects that could not
// be screened are returned, never dropped.
func (a *app) screenSubjects(actor workspace.Actor, run string, subs []lexscreen.Subject) (workspace.FoundReport, []workspace.RowError, error) {
	unscreened := []workspace.RowError{}
	ws, err := a.workspace()
	if err != nil {
		return workspace.FoundReport{}, nil, err
	}
	if len(subs) == 0 {
		return workspace.FoundReport{Opened: []int64{}, Realerted: []int64{}}, unscreened, nil
	}
	db, err := a.store()
	if err != nil {
		return workspace.FoundReport{}, nil, err
	}
	sc, err := a.screener()
	if err != nil {
		return workspace.FoundReport{}, nil, err
	}
	opts := map[string]*screening.Options{}
	var results []workspace.SubjectResult
	var screened []lexscreen.Subject
	for _, sub := range subs {
		o, ok := opts[sub.Operator]
		if !ok {
			lf := legalFlags{operator: sub.Operator}
			so, _, err := lf.options()
			if err != nil {
				unscreened = append(unscreened, workspace.RowError{ID: sub.ID, Message: err.Error()})
				opts[sub.Operator] = nil
				continue
			}
			so.MaxListAge = a.maxListAge
			o = &so
			opts[sub.Operator] = o
		}
		if o == nil {
			unscreened = append(unscreened, workspace.RowError{ID: sub.ID, Message: "operator profile " + sub.Operator + " could not be read"})
			continue
		}
		q := sub.Query
		q.ID = sub.ID
		res, err := sc.Screen(q, *o)
		if err != nil {
			unscreened = append(unscreened, workspace.RowError{ID: sub.ID, Message: err.Error()})
			continue
		}
		screened = append(screened, sub)
		if len(res.Matches) == 0 {
			continue
		}
		fps, err := workspace.Fingerprints(a.ctx, db, res)
		if err != nil {
			return workspace.FoundReport{}, nil, err
		}
		results = append(results, workspace.SubjectResult{Subject: sub, Result: res, EntityFingerprints: fps})
	}
	rep, err := ws.FoundAs(a.ctx, actor, run+":"+time.Now().UTC().Format(time.RFC3339), results)
	if err == nil {
		// Their alerts are open: they no longer wait for the monitor.
		err = ws.MarkScreened(a.ctx, screened)
	}
	return rep, unscreened, err
}
