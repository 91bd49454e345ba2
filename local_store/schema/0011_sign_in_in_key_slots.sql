-- Issue 12, item 5: offline sign-in now unwraps the account's key slot
-- (keyslots.json, outside the encrypted case database).  The argon2 hashes the
-- database kept for it are no longer read: cleared, so no password hash stays.
UPDATE staff_account SET password_hash = NULL;
