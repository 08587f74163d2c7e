SELECT * FROM t1 WHERE a = ? AND b = ?2 AND c = :c AND d = @c AND e = $c;
