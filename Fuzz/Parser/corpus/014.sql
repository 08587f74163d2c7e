SELECT count(DISTINCT a), count(*), group_concat(b, ','), f() FROM t1;
