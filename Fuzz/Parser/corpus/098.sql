REINDEX main.i1;
