DROP TABLE idempotency;
DROP TRIGGER events_no_delete;
DROP TRIGGER events_no_update;
DROP TABLE events;
DROP TABLE submissions;
DROP TABLE tokens;
