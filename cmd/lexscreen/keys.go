package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen/audit"
)

func (a *app) keysCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the API keys of lexscreen serve",
		Long: `API keys for the HTTP API. A key is printed once, when it is made; only a salted hash is stored
(in <data-dir>/audit.db, or with a postgres:// --store in that database, where a key made or
revoked through any replica holds for all of them at once). Roles: screener (screen, batch, match, search, reconcile), analyst
(screener's rights and entities, history, lists, diff, obligations, regimes; decides alerts),
approver (analyst's rights, and approves the decisions of others: four eyes), auditor (the audit
records and the workspace, read-only, no screening), admin (everything).`,
	}
	var role, name string
	create := &cobra.Command{
		Use:     "create --role ROLE [--name TEXT]",
		Short:   "Make an API key and print it (once)",
		Example: `  lexscreen keys create --role screener --name "payments gateway"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.audit()
			if err != nil {
				return err
			}
			k, token, err := db.CreateKey(a.ctx, role, name)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"id": k.ID, "role": k.Role, "name": k.Name, "key": token})
			}
			fmt.Fprintln(a.out, token)
			a.note("Key %s (role %s) made. It is shown only now: store it safely.", k.ID, k.Role)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "screener, analyst, approver, auditor or admin")
	create.Flags().StringVar(&name, "name", "", "what the key is for")
	create.MarkFlagRequired("role")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the API keys (ids and roles, never the secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.audit()
			if err != nil {
				return err
			}
			keys, err := db.Keys(a.ctx)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"keys": keys})
			}
			var rows [][]string
			for _, k := range keys {
				state := "active"
				if k.Revoked != nil {
					state = "revoked " + k.Revoked.Format("2006-01-02 15:04")
				}
				rows = append(rows, []string{k.ID, k.Role, k.Created.Format("2006-01-02 15:04"), state, k.Name})
			}
			table(a.out, []string{"ID", "ROLE", "CREATED", "STATE", "NAME"}, rows)
			return nil
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API key (running servers refuse it within 2 s; with a postgres:// --store, at once)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.audit()
			if err != nil {
				return err
			}
			if err := db.RevokeKey(a.ctx, args[0]); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"revoked": args[0]})
			}
			fmt.Fprintf(a.out, "Revoked %s.\n", strings.TrimSpace(args[0]))
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	_ = audit.Roles
	return cmd
}
