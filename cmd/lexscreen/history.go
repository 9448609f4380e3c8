package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) historyCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "history ENTITY_ID",
		Short: "Show when an entity appeared on its list, changed and left",
		Long: `Walk every snapshot of the entity's list in publisher-date order and show when the entity
appeared, each change (field by field), when it left and any return. Entity ids are
"<source>:<publisher key>", as ` + "`lexscreen diff`" + ` and screening results print them.`,
		Example: `  lexscreen history us-ofac-sdn:52965
  lexscreen history un-sc:6908072 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.ensureLists(); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			events, err := db.History(a.ctx, args[0])
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"entity": args[0], "events": nonNil(events)})
			}
			fmt.Fprintf(a.out, "History of %s\n", args[0])
			for _, ev := range events {
				fmt.Fprintf(a.out, "  %s  %-10s snapshot %d (%s)\n", ev.Snapshot.Published.Format("2006-01-02"), ev.Kind, ev.Snapshot.ID, ev.Snapshot.Version)
				for _, f := range ev.Fields {
					fmt.Fprintf(a.out, "      %s: %s -> %s\n", f.Field, showValue(f.From), showValue(f.To))
				}
			}
			return nil
		},
	}
}
