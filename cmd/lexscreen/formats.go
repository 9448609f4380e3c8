package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen/source/formats"
)

func (a *app) formatsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "formats",
		Short: "List the file formats lexscreen can import",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.json {
				type f struct {
					ID    string `json:"id"`
					Title string `json:"title"`
				}
				var out []f
				for _, x := range formats.All {
					out = append(out, f{x.ID, x.Title})
				}
				return a.printJSON(map[string]any{"formats": out})
			}
			fmt.Fprint(a.out, formats.Describe())
			return nil
		},
	}
}
