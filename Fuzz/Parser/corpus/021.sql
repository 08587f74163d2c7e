SELECT -a, +b, ~c, NOT d, a & b | c << 1 >> 2, a + b * c / d % e - f, a || b, a -> '$.x', a ->> '$.y' FROM t1;
