CREATE INDEX i10 ON t1 (lower(b));
