-- Ligne's own voicemail (issue 7): messages being recorded, and the
-- notification outbox (email copies, email and SMS notifications) that
-- keeps a failed send for a later attempt.

-- partial = 1 while the caller is still speaking: the row exists from the
-- first second, so a message cut by a crash is found and kept at restart.
ALTER TABLE voicemail_messages ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
CREATE INDEX voicemail_messages_partial ON voicemail_messages(partial) WHERE partial = 1;

CREATE TABLE voicemail_outbox (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'sms')),
    body       TEXT NOT NULL,              -- JSON of the notification
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,           -- unix ms of the next attempt
    last_error TEXT NOT NULL DEFAULT '',
    created    INTEGER NOT NULL
);
CREATE INDEX voicemail_outbox_next ON voicemail_outbox(next_at);
