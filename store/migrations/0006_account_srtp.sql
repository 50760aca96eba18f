-- The user's encrypted-audio choice (issue 12): '' = offered on TLS
-- accounts, 'required' = every call encrypted or refused, 'off' = never.
ALTER TABLE account ADD COLUMN srtp TEXT NOT NULL DEFAULT '';
