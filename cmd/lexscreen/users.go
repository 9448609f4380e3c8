package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/workspace"
)

// readPassword reads a password, the first line of stdin.
func (a *app) readPassword() (string, error) {
	line, err := bufio.NewReader(a.in).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", lexscreen.Errorf(lexscreen.EINVALID, "no password on stdin (echo it, or type it and press enter): %v", err)
	}
	return line, nil
}

func (a *app) usersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Users of the workspace (who decides and approves), with argon2id passwords",
		Long: `People who act in the workspace: --as NAME on lexscreen subjects and alerts, and the web interface to
come (passwords are stored as argon2id hashes in <data-dir>/workspace.db; they are read from stdin,
never from the command line). Roles: analyst (decides), approver (decides and approves others'
decisions), auditor (reads everything), admin (everything), screener.`,
	}
	var role string
	var withPassword bool
	create := &cobra.Command{
		Use:     "create NAME --role ROLE [--password-stdin]",
		Short:   "Make a user",
		Example: `  echo 'correct horse battery' | lexscreen users create ana --role analyst --password-stdin`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw := ""
			if withPassword {
				var err error
				if pw, err = a.readPassword(); err != nil {
					return err
				}
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			u, err := ws.CreateUser(a.ctx, workspace.System("cli"), args[0], role, pw)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(u)
			}
			fmt.Fprintf(a.out, "User %s (role %s) made.\n", u.Name, u.Role)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "analyst, approver, auditor, admin or screener")
	create.Flags().BoolVar(&withPassword, "password-stdin", false, "read a password (at least 12 characters) from stdin")
	create.MarkFlagRequired("role")
	passwd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (read from stdin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.readPassword()
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			if err := ws.SetPassword(a.ctx, workspace.System("cli"), args[0], pw); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]string{"password_set": args[0]})
			}
			fmt.Fprintf(a.out, "Password of %s set.\n", args[0])
			return nil
		},
	}
	verify := &cobra.Command{
		Use:   "verify NAME",
		Short: "Check a user's password (read from stdin): exit 0 if right, 2 if not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.readPassword()
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			u, err := ws.VerifyPassword(a.ctx, args[0], pw)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(u)
			}
			fmt.Fprintf(a.out, "Password of %s is right (role %s).\n", u.Name, u.Role)
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the users (never their passwords)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			us, err := ws.Users(a.ctx)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"users": us})
			}
			var rows [][]string
			for _, u := range us {
				disabled := ""
				if u.Disabled != nil {
					disabled = u.Disabled.Format("2006-01-02 15:04")
				}
				rows = append(rows, []string{u.Name, u.Role, fmt.Sprint(u.HasPassword), u.Created.Format("2006-01-02 15:04"), disabled})
			}
			table(a.out, []string{"NAME", "ROLE", "PASSWORD", "CREATED", "DISABLED"}, rows)
			return nil
		},
	}
	cmd.AddCommand(create, passwd, verify, list, a.userChange("disable NAME", "Disable a user: no sign-in, no --as, their web sessions end at once",
		"A user who left or whose access is suspended. Their decisions and audit records stay; lexscreen users enable NAME\nundoes it.",
		func(ws *workspace.Store, name string) (workspace.User, error) {
			return ws.DisableUser(a.ctx, workspace.System("cli"), name)
		}, func(u workspace.User) string { return "User " + u.Name + " disabled; their sessions ended." }),
		a.userChange("enable NAME", "Let a disabled user sign in and act again", "",
			func(ws *workspace.Store, name string) (workspace.User, error) {
				return ws.EnableUser(a.ctx, workspace.System("cli"), name)
			}, func(u workspace.User) string { return "User " + u.Name + " enabled." }))
	var newRole string
	roleCmd := a.userChange("role NAME --role ROLE", "Give a user another role (it applies to their next request, web sessions included)", "",
		func(ws *workspace.Store, name string) (workspace.User, error) {
			return ws.SetRole(a.ctx, workspace.System("cli"), name, newRole)
		}, func(u workspace.User) string { return "User " + u.Name + " now has role " + u.Role + "." })
	roleCmd.Flags().StringVar(&newRole, "role", "", "analyst, approver, auditor, admin or screener")
	roleCmd.MarkFlagRequired("role")
	cmd.AddCommand(roleCmd)
	return cmd
}

// userChange is a users subcommand that changes one user (named by its
// one argument) and prints the user (--json) or what done says of it.
func (a *app) userChange(use, short, long string, change func(ws *workspace.Store, name string) (workspace.User, error), done func(workspace.User) string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  strings.TrimSpace(short + ".\n\n" + long),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			u, err := change(ws, args[0])
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(u)
			}
			fmt.Fprintln(a.out, done(u))
			return nil
		},
	}
}
