SELECT * FROM json_each('[1,2]') AS j, main.pragma_table_info('t1');
