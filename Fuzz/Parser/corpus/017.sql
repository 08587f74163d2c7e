SELECT a LIKE 'x%' ESCAPE '\', b NOT GLOB '*y', c REGEXP 'z', d NOT MATCH 'w' FROM t1;
