SELECT a = b = c, - - 1, a NOT NULL NOT NULL, 1 NOT NULL = 1 FROM t1;
