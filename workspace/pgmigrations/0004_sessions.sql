-- Web sessions of the workspace's users, shared by every replica: only the
-- SHA-256 of each session token is kept (see workspace/sessions.go).
CREATE TABLE sessions (
	token_hash TEXT COLLATE "C" PRIMARY KEY,
	user_name  TEXT COLLATE "C" NOT NULL REFERENCES users (name),
	created    TEXT NOT NULL,
	last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
