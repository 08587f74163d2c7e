PRAGMA cache_size;
