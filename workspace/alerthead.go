package workspace

import (
	"context"
	"database/sql"

	"github.com/lexscreen/lexscreen"
)

// getAlertHead reads what a decision on an alert needs (its id, status,
// subject and listing with their fingerprints), not the frozen subject,
// result and listing: decoding those took most of a decision's time in
// the writer, which every other write waits for. Subject.Fingerprint is
// the subject_fp column, which found() writes from the same value as the
// frozen subject's.
// st is qAlertHead, prepared.
func getAlertHead(ctx context.Context, st *sql.Stmt, id int64) (*Alert, error) {
	var a Alert
	err := st.QueryRowContext(ctx, id).
		Scan(&a.ID, &a.Status, &a.SubjectID, &a.Subject.Fingerprint, &a.EntityID, &a.EntityName, &a.EntityFingerprint)
	if err == sql.ErrNoRows {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no alert %d", id)
	}
	if err != nil {
		return nil, dbErr(err)
	}
	return &a, nil
}
