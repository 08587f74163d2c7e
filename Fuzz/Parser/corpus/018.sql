SELECT a BETWEEN 1 AND 2, b NOT BETWEEN c AND d, e IN (1, 2, 3), f NOT IN (SELECT a FROM t2), g IN t2, h IN main.t2, i IN json_each('[1]'), j IN () FROM t1;
