package main

import (
	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
)

func (a *app) entityCommand() *cobra.Command {
	var snapshot int64
	return &cobra.Command{
		Use:     "entity ENTITY_ID",
		Short:   "Show one listed entity as lexscreen stores it (JSON)",
		Example: `  lexscreen entity us-ofac-sdn:52965`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.ensureLists(); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			src := sourceOf(args[0])
			if snapshot == 0 {
				cur, err := db.Current(a.ctx)
				if err != nil {
					return err
				}
				for _, s := range cur {
					if s.Source == src {
						snapshot = s.ID
					}
				}
				if snapshot == 0 {
					return lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store for %s", src, args[0])
				}
			}
			e, err := db.Entity(a.ctx, args[0], snapshot)
			if err != nil {
				return err
			}
			return a.printJSON(e)
		},
	}
}

func sourceOf(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] == ':' {
			return id[:i]
		}
	}
	return id
}
