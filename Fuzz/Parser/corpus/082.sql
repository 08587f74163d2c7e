PRAGMA table_info(t1);
