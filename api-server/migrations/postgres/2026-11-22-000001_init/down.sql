DROP TABLE idempotency;
DROP TRIGGER events_no_update_delete ON events;
DROP FUNCTION events_append_only();
DROP TABLE events;
DROP TABLE submissions;
DROP TABLE tokens;
