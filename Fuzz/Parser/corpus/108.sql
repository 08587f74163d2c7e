SELECT t1.a AS over, count(*) filter FROM t1;
