-- An alert's decisions, attachments and comments by their parent: every
-- approval reads the alert's decisions (its pending one, and the check of
-- lexscreen_alerts_close), which scanned the whole table without them.
CREATE INDEX decisions_alert ON decisions (alert_id, id);
CREATE INDEX attachments_decision ON attachments (decision_id, id);
CREATE INDEX comments_alert ON comments (alert_id, id);
