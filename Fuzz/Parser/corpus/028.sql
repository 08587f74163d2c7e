SELECT key, action, replace, temp, row, rowid, glob(a, b), like(a, b), replace(a, 'x', 'y') FROM t1;
