-- The result of a screening frozen once for all the alerts it opened
-- (alerts.result_hash; alerts.result is then ''): a screening of a listed
-- name opens an alert per list that names it, and four copies of its
-- result were most of what a commit wrote. Never changed or deleted.
CREATE TABLE frozen_results (
	hash   TEXT PRIMARY KEY CHECK (length(hash) = 64),
	result TEXT NOT NULL
);
CREATE FUNCTION lexscreen_frozen_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a frozen result is final' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER frozen_results_final BEFORE UPDATE ON frozen_results FOR EACH ROW EXECUTE FUNCTION lexscreen_frozen_final();
CREATE TRIGGER frozen_results_kept BEFORE DELETE ON frozen_results FOR EACH ROW EXECUTE FUNCTION lexscreen_kept();
CREATE TRIGGER frozen_results_not_truncated BEFORE TRUNCATE ON frozen_results FOR EACH STATEMENT EXECUTE FUNCTION lexscreen_kept();
ALTER TABLE alerts ADD COLUMN result_hash TEXT;
