REINDEX nocase;
