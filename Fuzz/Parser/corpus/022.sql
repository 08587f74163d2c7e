SELECT (a, b) = (1, 2), (a, b) IN (VALUES (1, 2)) FROM t1;
