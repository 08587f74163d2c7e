SELECT main.t1.a, "t1"."a", [t1].[a], `t1`.`a`, 't1'.a FROM t1;
